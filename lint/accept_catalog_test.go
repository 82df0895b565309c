package lint_test

import (
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/lint"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// TestTiersExampleClean: the tiers example lints without a finding; what
// the catalog accepts is shown as accepted, with the template's reason and
// place.
func TestTiersExampleClean(t *testing.T) {
	m, _, diags := pipeline.Load("../examples/lakerunner-tiers.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	rep := lint.Check(m)
	if c := rep.Counts(); c.Errors+c.Warnings+c.Info != 0 || c.Accepted != 1 {
		t.Errorf("counts %+v, want no finding and one accepted (Bedrock foundation models)", c)
	}
	for _, f := range rep.Findings {
		if f.Accepted == nil || !strings.HasPrefix(f.Accepted.Range.Filename, "templates/tiers/") || f.Accepted.Reason == "" {
			t.Errorf("%s %s: accepted %+v, want the catalog's accept with its reason", f.Code, f.Sid, f.Accepted)
		}
	}
}

// TestCatalogAcceptOnlyTemplateStatements: a spec statement that replaces
// the catalog's statement is judged afresh; the catalog accepted only its
// own.
func TestCatalogAcceptOnlyTemplateStatements(t *testing.T) {
	rep := check(t, `catalog = "tiers"
environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"
  role "process-task" {
    statement {
      sid       = "InvokeBedrockFoundationModels"
      actions   = ["bedrock:InvokeModel"]
      resources = ["arn:aws:bedrock:*:*:*"]
    }
  }
}`)
	var found bool
	for _, f := range rep.Findings {
		if f.Sid == "InvokeBedrockFoundationModels" {
			found = true
			if f.Accepted != nil {
				t.Errorf("%s on the spec's statement was accepted by %s", f.Code, f.Accepted.Range)
			}
		}
	}
	if !found {
		t.Error("no finding on the spec's account-wide Bedrock statement")
	}
}
