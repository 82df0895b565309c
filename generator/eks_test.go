package generator_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/internal/testutil/testspec"
	"github.com/cardinalhq/lakerunner-iam/policy"
)

const (
	exampleIssuer  = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
	exampleCluster = "arn:aws:eks:us-east-1:123456789012:cluster/lakerunner"
)

func buildFile(t *testing.T, path string) *generator.Model {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return testspec.LoadText(t, string(src))
}

// TestEKSTrust is the "done when" on the EKS examples: every IRSA
// role lets only its own ServiceAccounts of namespace lakerunner assume
// it, with audience sts.amazonaws.com; every Pod Identity role only its
// cluster in its account, with sts:TagSession; no role trusts ECS tasks,
// and there is no execution or instance role.
func TestEKSTrust(t *testing.T) {
	for _, c := range []struct {
		spec  string
		kinds []string
		sas   map[string]string // kind → ServiceAccount
	}{
		{"../examples/eks-irsa.hcl", []string{"workload"}, map[string]string{"workload": "lakerunner"}},
		{"../examples/eks-pod-identity.hcl", []string{"data-task", "query-task", "migration-task"},
			map[string]string{"data-task": "lakerunner-data", "query-task": "lakerunner-query", "migration-task": "lakerunner-migration"}},
	} {
		t.Run(c.spec, func(t *testing.T) {
			e := buildFile(t, c.spec).Environments[0]
			var kinds []string
			for _, r := range e.Roles {
				kinds = append(kinds, r.Kind())
				if got := r.ServiceAccounts; !slices.Equal(got, []string{c.sas[r.Kind()]}) {
					t.Errorf("%s: ServiceAccounts %v, want %s", r.Kind(), got, c.sas[r.Kind()])
				}
				want := podIdentityTrust()
				if e.Spec.EKS.Identity == "irsa" {
					want = irsaTrust("system:serviceaccount:lakerunner:" + c.sas[r.Kind()])
				}
				if got := string(r.Trust.JSON()); got != string(want.JSON()) {
					t.Errorf("%s: trust\n got %s\nwant %s", r.Kind(), got, want.JSON())
				}
				if r.AssumedByECSTasks() {
					t.Errorf("%s: ECS tasks can assume it", r.Kind())
				}
			}
			if !slices.Equal(kinds, c.kinds) {
				t.Errorf("roles %v, want %v (no execution or instance role on EKS)", kinds, c.kinds)
			}
			for _, s := range e.Services {
				if s.ExecutionRole != nil {
					t.Errorf("service %s has execution role %s", s.Name, s.ExecutionRole.Name)
				}
			}
		})
	}
}

func irsaTrust(subs ...string) policy.Document {
	return policy.Document{Statements: []policy.Statement{{
		Effect:     "Allow",
		Actions:    []string{"sts:AssumeRoleWithWebIdentity"},
		Principals: []policy.Principal{{Type: "Federated", Identifiers: []string{"arn:aws:iam::123456789012:oidc-provider/" + exampleIssuer}}},
		Conditions: []policy.Condition{
			{Test: "StringEquals", Variable: exampleIssuer + ":sub", Values: subs},
			{Test: "StringEquals", Variable: exampleIssuer + ":aud", Values: []string{"sts.amazonaws.com"}},
		},
	}}}
}

func podIdentityTrust() policy.Document {
	return policy.Document{Statements: []policy.Statement{{
		Effect:     "Allow",
		Actions:    []string{"sts:AssumeRole", "sts:TagSession"},
		Principals: []policy.Principal{{Type: "Service", Identifiers: []string{"pods.eks.amazonaws.com"}}},
		Conditions: []policy.Condition{
			{Test: "StringEquals", Variable: "aws:SourceAccount", Values: []string{"123456789012"}},
			{Test: "ArnEquals", Variable: "aws:SourceArn", Values: []string{exampleCluster}},
		},
	}}}
}

// TestSharedRole: the shared role has every workload role's statements
// once, with unique Sids, each with the origin lint points at.
func TestSharedRole(t *testing.T) {
	m := testspec.LoadText(t, `environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"
  msk_access = true
  eks {
    cluster_name    = "lakerunner"
    identity        = "irsa"
    oidc_issuer_url = "https://`+exampleIssuer+`"
  }
  role "query-task" {
    statement {
      sid       = "S3Access"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::extra/*"]
    }
  }
}
`)
	e := m.Environments[0]
	r := e.Role(generator.SharedKind)
	if r == nil || len(e.Roles) != 1 {
		t.Fatalf("roles %d, want only the shared one", len(e.Roles))
	}
	var merged []string
	for _, w := range r.Merged {
		merged = append(merged, w.Kind())
	}
	if want := []string{"data-task", "query-task", "migration-task", "msk-access"}; !slices.Equal(merged, want) {
		t.Errorf("merged %v, want %v", merged, want)
	}
	var sids []string
	for i, st := range r.Permissions.Statements {
		sids = append(sids, st.Sid)
		o := r.PermissionOrigins[i]
		if o.Template == nil && o.Spec == nil {
			t.Errorf("statement %s has no origin", st.Sid)
		}
		if st.Sid == "QueryTaskS3Access" && o.Spec == nil {
			t.Errorf("QueryTaskS3Access should come from the spec's role block")
		}
	}
	if len(r.PermissionOrigins) != len(r.Permissions.Statements) {
		t.Errorf("%d origins for %d statements", len(r.PermissionOrigins), len(r.Permissions.Statements))
	}
	if c := slices.Compact(slices.Sorted(slices.Values(sids))); len(c) != len(sids) {
		t.Errorf("Sids not unique: %v", sids)
	}
	for _, want := range []string{"S3Access", "QueryTaskS3Access"} {
		if !slices.Contains(sids, want) {
			t.Errorf("Sids %v lack %s", sids, want)
		}
	}
	for _, s := range e.Services {
		if s.TaskRole != r {
			t.Errorf("service %s runs under %s, want the shared role", s.Name, s.TaskRole.Name)
		}
	}
}

// TestSharedRoleOverQuota: a shared role over IAM's inline quota is an
// error at the eks block's role_layout that suggests per-role.
func TestSharedRoleOverQuota(t *testing.T) {
	var stmts []string
	for i := range 120 {
		stmts = append(stmts, fmt.Sprintf(`    statement {
      sid       = "Extra%d"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::a-rather-long-bucket-name-for-team-%03d/*"]
    }`, i, i))
	}
	_, diags := testspec.Eval(t, `environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"
  eks {
    cluster_name = "lakerunner"
    identity     = "pod-identity"
    role_layout  = "shared"
  }
  role "data-task" {
`+strings.Join(stmts[:60], "\n")+`
  }
  role "query-task" {
`+strings.Join(stmts[60:], "\n")+`
  }
}
`)
	if !diags.HasErrors() {
		t.Fatal("no error")
	}
	d := diags[0]
	if d.Summary != "Inline policy too large" || !strings.Contains(d.Detail, `role_layout = "per-role"`) || d.Subject == nil || d.Subject.Start.Line != 8 {
		t.Errorf("diagnostic %s: %s at %v; want Inline policy too large at role_layout (line 8), suggesting per-role", d.Summary, d.Detail, d.Subject)
	}
}

// The shared role keeps every merged role's "allow" expectations and only
// the "deny" ones all merged roles share: the query role's read-only
// must-not is the data role's need, which sharing grants by design.
func TestSharedRoleExpectations(t *testing.T) {
	m := testspec.Load(t, "../examples/eks-irsa.hcl")
	var shared *generator.Role
	for _, r := range m.Environments[0].Roles {
		if r.Kind() == generator.SharedKind {
			shared = r
		}
	}
	if shared == nil {
		t.Fatal("no shared workload role")
	}
	names := map[string]string{}
	for _, x := range shared.Expectations {
		names[x.Name] = x.Effect
	}
	for _, w := range shared.Merged {
		for _, x := range w.Expectations {
			name := w.Kind() + "/" + x.Name
			if _, kept := names[name]; x.Effect == "allow" && !kept {
				t.Errorf("allow expectation %s of a merged role is not kept", name)
			}
		}
	}
	if _, kept := names["query-task/only-reads-objects"]; kept {
		t.Error("the query role's read-only deny must not bind the shared role, which also writes for the data role")
	}
	if names["data-task/no-iam-user-creation"] != "deny" {
		t.Errorf("a deny every merged role shares must be kept; have %v", names)
	}
}
