package generator_test

import (
	"reflect"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil/testspec"
)

// TestAbsentParts: a role block says which parts a hand-made role lacks;
// the model then has no inline policy to import, and the instance profile
// gets its own tags.
func TestAbsentParts(t *testing.T) {
	const spec = `
environment "prod" {
  account_id   = "123456789012"
  region       = "us-east-1"
  compute      = "ec2"
  adopt        = true
  catalog_tags = false

  role "query-task" {
    inline_policy = false
  }
  role "ecs-instance" {
    tags                  = { team = "data" }
    instance_profile_tags = {}
  }
}
`
	env := testspec.LoadText(t, spec).Environments[0]
	q := env.Role("query-task")
	if q.Permissions != nil || q.PolicyName != "" {
		t.Errorf("query-task with inline_policy = false: policy %q %v, want none", q.PolicyName, q.Permissions)
	}
	for _, imp := range env.Imports() {
		if imp.Role == q && imp.Type == "aws_iam_role_policy" {
			t.Errorf("imports %s, which does not exist", imp.Address)
		}
	}
	passed := false
	for _, a := range q.Arguments() {
		if a.Name == "inline_policy" {
			passed = a.Value.False()
		}
	}
	if !passed {
		t.Errorf("the root does not pass inline_policy = false: %v", q.Arguments())
	}
	if d := env.Role("data-task"); d.Permissions == nil {
		t.Errorf("data-task lost its inline policy")
	}
	ip := env.Role("ecs-instance")
	if !reflect.DeepEqual(ip.InstanceProfileTags, map[string]string{}) || !reflect.DeepEqual(ip.Tags, map[string]string{"team": "data"}) {
		t.Errorf("ecs-instance: profile tags %v, role tags %v", ip.InstanceProfileTags, ip.Tags)
	}
	if env.Role("data-task").InstanceProfileTags != nil {
		t.Errorf("a role without instance_profile_tags has profile tags")
	}
}

func TestAbsentPartsErrors(t *testing.T) {
	for _, tt := range []struct{ name, role, summary string }{
		{"no catalog policy", `role "ecs-instance" { inline_policy = false }`, "Role has no inline policy to leave out"},
		{"no instance profile", `role "query-task" { instance_profile_tags = {} }`, "Role has no instance profile"},
		{"statements", `role "query-task" {
  inline_policy = false
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
}`, "Statement in a role without an inline policy"},
		{"policy name", `role "query-task" {
  inline_policy = false
  policy_name   = "p"
}`, "Policy name of a role without an inline policy"},
		{"profile tag key", `role "ecs-instance" { instance_profile_tags = { "aws:x" = "y" } }`, "Reserved tag key"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := "environment \"prod\" {\n  account_id = \"123456789012\"\n  region = \"us-east-1\"\n  compute = \"ec2\"\n" + tt.role + "\n}\n"
			m, diags := testspec.Eval(t, src)
			if m != nil || !diags.HasErrors() || diags[0].Summary != tt.summary {
				t.Fatalf("diagnostics %v, want %q", diags, tt.summary)
			}
			if diags[0].Subject == nil || diags[0].Subject.Start.Line < 5 {
				t.Errorf("diagnostic at %v, want the role block", diags[0].Subject)
			}
		})
	}
}
