package generator_test

import (
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
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
	env := mustBuild(t, spec).Environments[0]
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
			m, diags := buildSpecOrDiags(t, src)
			if m != nil || !diags.HasErrors() || diags[0].Summary != tt.summary {
				t.Fatalf("diagnostics %v, want %q", diags, tt.summary)
			}
			if diags[0].Subject == nil || diags[0].Subject.Start.Line < 5 {
				t.Errorf("diagnostic at %v, want the role block", diags[0].Subject)
			}
		})
	}
}

// buildSpecOrDiags is buildSpec that also returns the spec's own errors.
func buildSpecOrDiags(t *testing.T, src string) (*generator.Model, hcl.Diagnostics) {
	t.Helper()
	parser := hclparse.NewParser()
	cat, diags := templates.Load(templates.BuiltinFS(), parser)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	spec, diags := schema.Parse(parser, "lakerunner.hcl", []byte(src))
	if diags.HasErrors() {
		return nil, diags
	}
	return generator.Build(spec, cat, generator.Options{})
}

// TestAdoptForceDetach: the AWS provider imports a role with
// force_detach_policies = false, so an adopting environment passes false
// unless a role block says otherwise; without adoption the default is true.
func TestAdoptForceDetach(t *testing.T) {
	const spec = `
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  adopt      = %s

  role "query-task" {
    force_detach_policies = true
  }
}
`
	for _, tt := range []struct {
		adopt       string
		data, query bool
	}{{"true", false, true}, {"false", true, true}} {
		env := mustBuild(t, fmtSpec(spec, tt.adopt)).Environments[0]
		if got := env.Role("data-task").ForceDetachPolicies; got != tt.data {
			t.Errorf("adopt = %s: data-task force_detach_policies = %v, want %v", tt.adopt, got, tt.data)
		}
		if got := env.Role("query-task").ForceDetachPolicies; got != tt.query {
			t.Errorf("adopt = %s: query-task (set in its block) = %v, want %v", tt.adopt, got, tt.query)
		}
	}
}
