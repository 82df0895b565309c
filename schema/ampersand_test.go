package schema

import (
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
)

// TestPolicyVariables: "&{" in a spec statement is refused at its element,
// with the "$${" spelling as the fix; "$${" is read as the literal "${"
// that the deployed policy holds.
func TestPolicyVariables(t *testing.T) {
	const head = "environment \"dev\" {\n  account_id = \"123456789012\"\n  region     = \"us-east-1\"\n  role \"data-task\" {\n    statement {\n      actions   = [\"s3:GetObject\"]\n"
	const tail = "    }\n  }\n}\n"
	tests := []struct {
		name, body string
		line, col  int    // of the error; 0 for none
		resource   string // the first resource, as decoded, when valid
	}{
		{name: "resource", body: "      resources = [\"arn:aws:s3:::b/x\", \"arn:aws:s3:::b/&{aws:username}/*\"]\n", line: 7, col: 40},
		{name: "not_resources", body: "      not_resources = [\"arn:aws:s3:::b/&{aws:username}\"]\n", line: 7, col: 24},
		{name: "condition value", body: "      resources = [\"*\"]\n      condition {\n        test     = \"StringLike\"\n        variable = \"s3:prefix\"\n        values   = [\"home/&{aws:username}/\"]\n      }\n", line: 11, col: 21},
		{name: "condition key", body: "      resources = [\"*\"]\n      condition {\n        test     = \"StringEquals\"\n        variable = \"aws:ResourceTag/&{aws:username}\"\n        values   = [\"x\"]\n      }\n", line: 10, col: 20},
		{name: "escaped variable", body: "      resources = [\"arn:aws:s3:::b/$${aws:username}/*\"]\n", resource: "arn:aws:s3:::b/${aws:username}/*"},
		{name: "ampersand without brace", body: "      resources = [\"arn:aws:s3:::b/a&b\"]\n", resource: "arn:aws:s3:::b/a&b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec, diags := Parse(hclparse.NewParser(), "s.hcl", []byte(head+tt.body+tail))
			if tt.line == 0 {
				if diags.HasErrors() {
					t.Fatal(diags.Error())
				}
				if got := spec.Environments[0].Roles[0].Statements[0].Resources[0]; got != tt.resource {
					t.Errorf("resource %q, want %q", got, tt.resource)
				}
				return
			}
			if len(diags) != 1 || diags[0].Summary != "Policy variable written with &{" {
				t.Fatalf("diagnostics: %s", diags.Error())
			}
			if s := diags[0].Subject; s.Start.Line != tt.line || s.Start.Column != tt.col {
				t.Errorf("at %d:%d, want %d:%d", s.Start.Line, s.Start.Column, tt.line, tt.col)
			}
		})
	}
}
