package importer

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestMerge: --merge replaces the environment block of the same name in
// place, or appends the environment, and keeps every other line,
// comments included; a merge that would make the spec invalid is refused.
func TestMerge(t *testing.T) {
	cat := catalog(t)
	src, err := os.ReadFile(consoleSpec)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(context.Background(), newFake(accountOf(model(t, cat, "console.hcl", src))...),
		Options{Env: "console", AccountID: "999900001111", Region: "us-east-1", Catalog: cat, Def: Catalogs["console-guide"]})
	if err != nil {
		t.Fatal(err)
	}
	const head = "# Team spec.\nterraform {\n  required_version = \">= 1.5\" # pinned\n}\n\n"
	const staging = "# staging: made by gen\nenvironment \"staging\" {\n  account_id = \"111122223333\"\n  region     = \"us-east-1\"\n}\n"
	const old = "# console: the old block\nenvironment \"console\" {\n  # gone after the merge\n  account_id = \"999900001111\"\n  region     = \"us-east-1\"\n}\n"
	for _, tt := range []struct {
		name, src string
		before    string // what comes before the console block in the result
	}{
		{"replace", head + old + "\n" + staging, head + "# console: the old block\n"},
		{"append", head + staging, head + staging + "\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, diags := Merge("lakerunner.hcl", []byte(tt.src), res)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			got := string(out)
			if !strings.HasPrefix(got, tt.before+"environment \"console\" {") {
				t.Errorf("merged spec:\n%s\nwant it to start with\n%s", got, tt.before)
			}
			for _, s := range []string{staging, "role \"query-task\" {\n    policy_name = \"lakerunner-query-service-policy\"", "adopt"} {
				if !strings.Contains(got, s) {
					t.Errorf("merged spec lacks %q:\n%s", s, got)
				}
			}
			if strings.Contains(got, "gone after the merge") || strings.Count(got, "environment \"console\"") != 1 {
				t.Errorf("the old block stays:\n%s", got)
			}
		})
	}
	if _, diags := Merge("lakerunner.hcl", []byte("environment \"x\" {\n"), res); !diags.HasErrors() {
		t.Errorf("merged into a spec that does not parse")
	}
	invalid := "environment \"other\" {\n  account_id = \"999900001111\"\n  region     = \"us-east-1\"\n  bogus      = 1\n}\n"
	if _, diags := Merge("lakerunner.hcl", []byte(invalid), res); !diags.HasErrors() || diags[len(diags)-1].Summary != "Merged spec is not valid" {
		t.Errorf("diagnostics %v, want the merged spec refused", diags)
	}
	other := "catalog = \"tiers\"\n\nenvironment \"prod\" {\n  account_id = \"111122223333\"\n  region     = \"us-east-1\"\n}\n"
	if _, diags := Merge("lakerunner.hcl", []byte(other), res); !diags.HasErrors() || diags[0].Summary != "Spec of another catalog" || diags[0].Subject == nil || diags[0].Subject.Start.Line != 1 {
		t.Errorf("diagnostics %v, want a spec of the tiers catalog refused at its catalog line", diags)
	}
	// The default written out is the default: a console-guide import merges.
	explicit := "catalog = \"console-guide\"\n\nenvironment \"prod\" {\n  account_id = \"111122223333\"\n  region     = \"us-east-1\"\n}\n"
	if _, diags := Merge("lakerunner.hcl", []byte(explicit), res); diags.HasErrors() {
		t.Errorf("a spec naming catalog = \"console-guide\" was refused: %v", diags)
	}
}
