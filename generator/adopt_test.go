package generator_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil/testspec"
	"github.com/zclconf/go-cty/cty"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/outtree"
)

const adoptingSpec = `
environment "prod" {
  account_id        = "123456789012"
  region            = "us-east-1"
  compute           = "ec2"
  lambda_migrations = true
  adopt             = true

  role "ecs-instance" {
    path = "/lakerunner/"
    statement {
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::lakerunner-config/*"]
    }
  }

  role "data-task" {
    policy_name         = "DataAccess"
    managed_policy_arns = ["arn:aws:iam::123456789012:policy/team/extra"]
  }
}
`

func TestImports(t *testing.T) {
	env := testspec.LoadText(t, adoptingSpec).Environments[0]
	got := map[string][]string{}
	for _, imp := range env.Imports() {
		got[imp.Role.Kind()] = append(got[imp.Role.Kind()], imp.Address+" "+imp.ID)
	}
	want := map[string][]string{
		"ecs-execution": {
			"module.ecs_execution.aws_iam_role.this lakerunner-ecs-execution-role",
			"module.ecs_execution.aws_iam_role_policy.this[0] lakerunner-ecs-execution-role:lakerunner-execution-secrets-access",
			`module.ecs_execution.aws_iam_role_policy_attachment.this["AmazonECSTaskExecutionRolePolicy"] lakerunner-ecs-execution-role/arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy`,
		},
		// policy_name, and a customer managed policy from the spec.
		"data-task": {
			"module.data_task.aws_iam_role.this lakerunner-data-task-role",
			"module.data_task.aws_iam_role_policy.this[0] lakerunner-data-task-role:DataAccess",
			`module.data_task.aws_iam_role_policy_attachment.this["extra"] lakerunner-data-task-role/arn:aws:iam::123456789012:policy/team/extra`,
		},
		"query-task": {
			"module.query_task.aws_iam_role.this lakerunner-query-task-role",
			"module.query_task.aws_iam_role_policy.this[0] lakerunner-query-task-role:lakerunner-query-access",
		},
		"migration-task": {
			"module.migration_task.aws_iam_role.this lakerunner-migration-task-role",
			"module.migration_task.aws_iam_role_policy.this[0] lakerunner-migration-task-role:lakerunner-migration-access",
		},
		"migration-lambda": {
			"module.migration_lambda.aws_iam_role.this lakerunner-migration-lambda-role",
			"module.migration_lambda.aws_iam_role_policy.this[0] lakerunner-migration-lambda-role:lakerunner-migration-lambda-ecs",
			`module.migration_lambda.aws_iam_role_policy_attachment.this["AWSLambdaBasicExecutionRole"] lakerunner-migration-lambda-role/arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`,
		},
		// No inline policy in the catalog: the spec's statements are the
		// module's count-based policy. Names, not paths, identify roles and
		// instance profiles.
		"ecs-instance": {
			"module.ecs_instance.aws_iam_role.this lakerunner-ecs-instance-role",
			"module.ecs_instance.aws_iam_role_policy.this[0] lakerunner-ecs-instance-role:lakerunner-ecs-instance-role-extra",
			`module.ecs_instance.aws_iam_role_policy_attachment.this["AmazonEC2ContainerServiceforEC2Role"] lakerunner-ecs-instance-role/arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role`,
			`module.ecs_instance.aws_iam_role_policy_attachment.this["AmazonSSMManagedInstanceCore"] lakerunner-ecs-instance-role/arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore`,
			"module.ecs_instance.aws_iam_instance_profile.this lakerunner-ecs-instance-role",
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Imports() =\n%s\nwant\n%s", dump(got), dump(want))
	}

	// Without the spec's statements, the ecs-instance role has no inline
	// policy to import.
	env = testspec.LoadText(t, `
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  compute    = "ec2"
}
`).Environments[0]
	for _, imp := range env.Imports() {
		if imp.Role.Kind() == "ecs-instance" && imp.Type == "aws_iam_role_policy" {
			t.Errorf("imports %s (%s), which the module does not declare", imp.Address, imp.ID)
		}
	}
}

// TestImportsFile checks out/<env>/imports.tf: present only when the
// environment adopts, with one import block per Import, in order.
func TestImportsFile(t *testing.T) {
	m := testspec.LoadText(t, adoptingSpec)
	file := findFile(generator.ImportFiles(m, "lakerunner.hcl"), "prod/imports.tf")
	if file == nil {
		t.Fatal("no prod/imports.tf although the environment adopts")
	}
	if outtree.Owner(file.Content) != outtree.Pristine {
		t.Error("prod/imports.tf has no generated-file header")
	}
	f, diags := hclsyntax.ParseConfig(file.Content, file.Path, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	blocks := f.Body.(*hclsyntax.Body).Blocks
	imports := m.Environments[0].Imports()
	if len(blocks) != len(imports) {
		t.Fatalf("%d blocks in imports.tf, want %d", len(blocks), len(imports))
	}
	for i, b := range blocks {
		want := imports[i]
		if b.Type != "import" || len(b.Labels) != 0 {
			t.Errorf("block %d is %s %v, want import", i, b.Type, b.Labels)
			continue
		}
		to := b.Body.Attributes["to"].Expr
		if got := strings.TrimSpace(string(to.Range().SliceBytes(file.Content))); got != want.Address {
			t.Errorf("block %d: to = %s, want %s", i, got, want.Address)
		}
		if _, d := hcl.AbsTraversalForExpr(to); d.HasErrors() {
			t.Errorf("block %d: to is not a resource address: %s", i, d.Error())
		}
		id, d := b.Body.Attributes["id"].Expr.Value(nil)
		if d.HasErrors() || id.AsString() != want.ID {
			t.Errorf("block %d: id = %#v, want %q", i, id, want.ID)
		}
	}

	m = testspec.LoadText(t, strings.Replace(adoptingSpec, "adopt             = true", "", 1))
	if findFile(generator.ImportFiles(m, "lakerunner.hcl"), "prod/imports.tf") != nil {
		t.Error("prod/imports.tf is generated although the environment does not adopt")
	}
}

func findFile(files []generator.File, path string) *generator.File {
	for i := range files {
		if files[i].Path == path {
			return &files[i]
		}
	}
	return nil
}

func TestCatalogTags(t *testing.T) {
	const spec = `
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  %s
  tags = { Team = "obs" }

  role "ecs-execution" {
    %s
    tags = { Type = "Mine" }
  }
}
`
	tests := []struct {
		name, env, role string
		exec, data      map[string]string
	}{
		{"default: the catalog's, the environment's and the role's", "", "",
			map[string]string{"Environment": "prod", "Team": "obs", "Component": "ECS", "Type": "Mine"},
			map[string]string{"Environment": "prod", "Team": "obs", "Component": "ECS", "Type": "TaskRole"}},
		{"environment off: exactly the spec's", "catalog_tags = false", "",
			map[string]string{"Team": "obs", "Type": "Mine"},
			map[string]string{"Team": "obs"}},
		{"role back on", "catalog_tags = false", "catalog_tags = true",
			map[string]string{"Environment": "prod", "Team": "obs", "Component": "ECS", "Type": "Mine"},
			map[string]string{"Team": "obs"}},
		{"role off", "", "catalog_tags = false",
			map[string]string{"Team": "obs", "Type": "Mine"},
			map[string]string{"Environment": "prod", "Team": "obs", "Component": "ECS", "Type": "TaskRole"}},
	}
	for _, tt := range tests {
		env := testspec.LoadText(t, fmtSpec(spec, tt.env, tt.role)).Environments[0]
		if got := env.Role("ecs-execution").Tags; !reflect.DeepEqual(got, tt.exec) {
			t.Errorf("%s: execution role tags = %v, want %v", tt.name, got, tt.exec)
		}
		if got := env.Role("data-task").Tags; !reflect.DeepEqual(got, tt.data) {
			t.Errorf("%s: data role tags = %v, want %v", tt.name, got, tt.data)
		}
	}
}

func fmtSpec(spec string, args ...string) string {
	for _, a := range args {
		spec = strings.Replace(spec, "%s", a, 1)
	}
	return spec
}

func TestPolicyName(t *testing.T) {
	const spec = `
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  compute    = "ec2"

  role "%s" {
    policy_name = "%s"
  }
}
`
	env := testspec.LoadText(t, fmtSpec(spec, "query-task", "QueryServicePolicy")).Environments[0]
	if got := env.Role("query-task").PolicyName; got != "QueryServicePolicy" {
		t.Errorf("query-task policy name = %q, want QueryServicePolicy", got)
	}
	if got := env.Role("data-task").PolicyName; got != "lakerunner-data-access" {
		t.Errorf("data-task policy name = %q, want the catalog's", got)
	}

	for _, tt := range []struct{ kind, name, summary string }{
		{"query-task", "Query Service Policy", "Invalid policy name"},
		{"query-task", "", "Invalid policy name"},
		{"query-task", strings.Repeat("p", 129), "Invalid policy name"},
		{"ecs-instance", "InstancePolicy", "Role has no inline policy to name"},
	} {
		_, diags := testspec.Eval(t, fmtSpec(spec, tt.kind, tt.name))
		if !diags.HasErrors() || diags[0].Summary != tt.summary {
			t.Errorf("policy_name %q on %s: diagnostics %v, want %q", tt.name, tt.kind, diags, tt.summary)
			continue
		}
		if rng := diags[0].Subject; rng == nil || rng.Start.Line != 8 {
			t.Errorf("policy_name %q on %s: diagnostic at %v, want line 8", tt.name, tt.kind, rng)
		}
	}
}

func dump(m map[string][]string) string {
	var b strings.Builder
	for _, k := range []string{"ecs-execution", "data-task", "query-task", "migration-task", "migration-lambda", "ecs-instance"} {
		b.WriteString(k + ":\n")
		for _, l := range m[k] {
			b.WriteString("  " + l + "\n")
		}
	}
	return b.String()
}

// Terraform imports a role with force_detach_policies = false, so an
// adopting environment passes false unless the spec says otherwise: the
// adopt plan must change nothing.
func TestAdoptForceDetachPolicies(t *testing.T) {
	arg := func(r *generator.Role) (cty.Value, bool) {
		for _, a := range r.Arguments() {
			if a.Name == "force_detach_policies" {
				return a.Value, true
			}
		}
		return cty.NilVal, false
	}
	adopting := testspec.LoadText(t, strings.Replace(adoptingSpec, `policy_name         = "DataAccess"`, `policy_name           = "DataAccess"
    force_detach_policies = true`, 1)).Environments[0]
	for _, r := range adopting.Roles {
		v, passed := arg(r)
		switch {
		case r.Kind() == "data-task":
			if passed || !r.ForceDetachPolicies {
				t.Errorf("%s: force_detach_policies = true in the spec must win (passed %v, value %v)", r.Kind(), passed, r.ForceDetachPolicies)
			}
		case !passed || v.True():
			t.Errorf("%s: an adopting environment must pass force_detach_policies = false, got %v (passed %v)", r.Kind(), v.GoString(), passed)
		}
	}
	plain := testspec.LoadText(t, strings.Replace(adoptingSpec, "adopt             = true", "", 1)).Environments[0]
	for _, r := range plain.Roles {
		if _, passed := arg(r); passed || !r.ForceDetachPolicies {
			t.Errorf("%s: without adoption the module default (true) applies, got passed=%v value=%v", r.Kind(), passed, r.ForceDetachPolicies)
		}
	}
}
