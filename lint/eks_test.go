package lint_test

import (
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/lint"
)

// TestSharedRoleFindings: the statements of the shared EKS role are
// linted as its workload roles', so a finding names the kind whose role
// block fixes or accepts it, and the shared role as the IAM role.
func TestSharedRoleFindings(t *testing.T) {
	spec := func(accept string) string {
		return specHead + eksIRSA("") + `
  role "query-task" {
` + accept + `
  }
}
`
	}
	find := func(r *lint.Report) *lint.Finding {
		for i, f := range r.Findings {
			if f.Code == "LR003" && f.Sid == "AutoScaling" {
				return &r.Findings[i]
			}
		}
		return nil
	}
	// eksIRSA is per-role; the shared layout is the default.
	shared := func(s string) string { return replaceOnce(t, s, `role_layout     = "per-role"`, "") }

	f := find(check(t, shared(spec(""))))
	if f == nil {
		t.Fatal("no LR003 finding on AutoScaling")
	}
	if f.RoleKind != "query-task" || f.RoleName != "lakerunner-workload-role" || f.PolicyName != "lakerunner-workload-access" {
		t.Errorf("finding of role %q (%s), policy %q; want query-task (lakerunner-workload-role), lakerunner-workload-access", f.RoleKind, f.RoleName, f.PolicyName)
	}
	accepted := check(t, shared(spec(`    accept "LR003" {
      sid    = "AutoScaling"
      reason = "scales its workers"
    }`)))
	if f := find(accepted); f == nil || f.Accepted == nil {
		t.Errorf("the query-task role block does not accept the shared role's finding: %+v", f)
	}
	for _, f := range accepted.Findings {
		if f.Code == "LR015" {
			t.Errorf("stale accept: %s", f.Message)
		}
	}
}

func replaceOnce(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not in %q", old, s)
	}
	return strings.Replace(s, old, new, 1)
}
