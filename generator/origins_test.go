package generator_test

import (
	"testing"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// TestStatementOrigins checks that every generated statement records where
// it came from, which the linter relies on to point at the spec.
func TestStatementOrigins(t *testing.T) {
	m, _, diags := pipeline.Load("../testdata/specs/custom.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	staging := m.Environments[0]
	origin := func(o generator.Origin) string {
		switch {
		case o.Spec != nil:
			return "spec:" + o.Spec.Sid
		case o.Template != nil:
			return "catalog:" + o.Template.Sid
		case o.TrustedPrincipals:
			return "trusted-principals"
		}
		return "service"
	}
	cases := []struct {
		kind        string
		trust, perm []string
	}{
		// custom.hcl replaces CloudWatchLogs (same Sid) and adds ReadSharedConfig.
		{"data-task", []string{"service"}, []string{"catalog:S3Access", "catalog:SQSAccess", "spec:CloudWatchLogs", "catalog:CloudWatchMetrics", "spec:ReadSharedConfig"}},
		// Without confused-deputy conditions the break-glass principal
		// joins the service statement.
		{"query-task", []string{"service"}, []string{"catalog:S3ReadAccess", "catalog:ECSServiceManagement", "catalog:AutoScaling", "catalog:CloudWatchAccess"}},
	}
	for _, c := range cases {
		r := staging.Role(c.kind)
		for _, set := range []struct {
			name    string
			origins []generator.Origin
			n       int
			want    []string
		}{
			{"trust", r.TrustOrigins, len(r.Trust.Statements), c.trust},
			{"permissions", r.PermissionOrigins, len(r.Permissions.Statements), c.perm},
		} {
			if len(set.origins) != set.n {
				t.Fatalf("%s %s: %d origins for %d statements", c.kind, set.name, len(set.origins), set.n)
			}
			for i, o := range set.origins {
				if i >= len(set.want) || origin(o) != set.want[i] {
					t.Errorf("%s %s statement %d: origin %s, want %v", c.kind, set.name, i, origin(o), set.want)
				}
			}
		}
	}

	// With the conditions on, the trusted principals get their own statement.
	m, _, diags = pipeline.Load("../testdata/specs/full.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	ca := m.Environments[0].Role("cross-account")
	if got := origin(ca.TrustOrigins[0]); got != "catalog:" {
		t.Errorf("cross-account trust origin %s, want the catalog statement", got)
	}
}
