package schema

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
)

const expectEnv = `
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
%s
}`

func TestExpectDecoded(t *testing.T) {
	spec := parse(t, "x.hcl", strings.Replace(expectEnv, "%s", `
  role "query-task" {
    expect "reads bucket" {
      effect    = "allow"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::lakerunner-data/x"]
      context   = { "aws:SourceVpc" = ["vpc-1", "vpc-2"] }
    }
  }
  service "query-api" {
    expect "no iam" {
      effect    = "deny"
      actions   = ["iam:CreateUser"]
      resources = ["*"]
    }
  }`, 1))
	env := spec.Environments[0]
	x := env.Roles[0].Expects[0]
	want := &Expect{Name: "reads bucket", Effect: "allow", Actions: []string{"s3:GetObject"},
		Resources: []string{"arn:aws:s3:::lakerunner-data/x"}, Context: map[string][]string{"aws:SourceVpc": {"vpc-1", "vpc-2"}}}
	if x.Name != want.Name || x.Effect != want.Effect || !reflect.DeepEqual(x.Actions, want.Actions) ||
		!reflect.DeepEqual(x.Resources, want.Resources) || !reflect.DeepEqual(x.Context, want.Context) {
		t.Errorf("role expect = %+v", x)
	}
	var svc *Service
	for _, s := range env.Services {
		if s.Name == "query-api" {
			svc = s
		}
	}
	if len(svc.Expects) != 1 || svc.Expects[0].Effect != "deny" || svc.Expects[0].Context != nil {
		t.Errorf("service expects = %+v", svc.Expects)
	}
}

// TestExpectValidation: each mistake in an expect block is reported at the
// value that is wrong (line:col), with a hint.
func TestExpectValidation(t *testing.T) {
	for _, c := range []struct {
		name, body, summary, at, detail string
	}{
		{"effect case", `effect = "Allow"
      actions = ["s3:GetObject"]
      resources = ["*"]`, "Invalid expectation effect", "x.hcl:8:16", `"allow"`},
		{"effect", `effect = "permit"
      actions = ["s3:GetObject"]
      resources = ["*"]`, "Invalid expectation effect", "x.hcl:8:16", `use "allow"`},
		{"wildcard action", `effect = "deny"
      actions = ["s3:GetObject", "s3:Put*"]
      resources = ["*"]`, "Wildcard in expected action", "x.hcl:9:34", "List the actions"},
		{"bad action", `effect = "deny"
      actions = ["GetObject"]
      resources = ["*"]`, "Invalid action", "x.hcl:9:18", "s3:GetObject"},
		{"no actions", `effect = "deny"
      actions = []
      resources = ["*"]`, "Expectation without actions", "x.hcl:9:17", "at least one action"},
		{"no resources", `effect = "deny"
      actions = ["s3:GetObject"]
      resources = []`, "Expectation without resources", "x.hcl:10:19", "at least one resource"},
		{"bad resource", `effect = "deny"
      actions = ["s3:GetObject"]
      resources = ["bucket/x"]`, "Invalid resource", "x.hcl:10:20", "not an ARN"},
		{"other partition", `effect = "deny"
      actions = ["s3:GetObject"]
      resources = ["arn:aws-cn:s3:::b/x"]`, "Resource in another partition", "x.hcl:10:20", `"arn:aws:s3:::b/x"`},
		{"context key", `effect = "deny"
      actions = ["s3:GetObject"]
      resources = ["*"]
      context = { "SourceVpc" = ["v"] }`, "Invalid condition key", "x.hcl:11:19", "aws:SourceAccount"},
		{"context values", `effect = "deny"
      actions = ["s3:GetObject"]
      resources = ["*"]
      context = { "aws:SourceVpc" = [] }`, "Context key without values", "x.hcl:11:37", "leave the key out"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(expectEnv, "%s", `
  role "query-task" {
    expect "x" {
      `+c.body+`
    }
  }`, 1)
			_, diags := Parse(hclparse.NewParser(), "x.hcl", []byte(src))
			if len(diags) != 1 {
				t.Fatalf("want one diagnostic, got %v", diags)
			}
			d := diags[0]
			at := fmt.Sprintf("%s:%d:%d", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column)
			if d.Summary != c.summary || at != c.at || !strings.Contains(d.Detail, c.detail) {
				t.Errorf("got %s: %s: %s", at, d.Summary, d.Detail)
			}
		})
	}
}

func TestExpectDuplicateNames(t *testing.T) {
	block := `
    expect "x" {
      effect = "deny"
      actions = ["s3:GetObject"]
      resources = ["*"]
    }`
	src := strings.Replace(expectEnv, "%s", `
  service "query-api" {`+block+block+`
  }`, 1)
	_, diags := Parse(hclparse.NewParser(), "x.hcl", []byte(src))
	if len(diags) != 1 || diags[0].Summary != "Duplicate expectation" || diags[0].Subject.Start.Line != 12 ||
		!strings.Contains(diags[0].Detail, `Service "query-api" already has an expectation "x" at x.hcl:7`) {
		t.Errorf("got %v", diags)
	}
}
