package pipeline_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/internal/testutil"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// TestRolesFollowServices checks that an environment generates a role that
// services run under only when a deployed service does, and the roles an
// enabled part refers to: the migration Lambda runs the migration task.
func TestRolesFollowServices(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"all services by default", ``,
			[]string{"ecs-execution", "data-task", "query-task", "migration-task"}},
		{"pubsub and query only", `
  service "pubsub-sqs" {}
  service "query-api" {}`,
			[]string{"ecs-execution", "data-task", "query-task"}},
		{"query only", `
  service "query-api" {}`,
			[]string{"ecs-execution", "query-task"}},
		{"migration only", `
  service "migration" {}`,
			[]string{"ecs-execution", "migration-task"}},
		{"a part without services", `
  compute = "ec2"
  service "query-worker" {}`,
			[]string{"ecs-execution", "query-task", "ecs-instance"}},
		{"the migration Lambda needs the migration task's roles", `
  lambda_migrations = true
  service "ingest-logs" {}`,
			[]string{"ecs-execution", "data-task", "migration-task", "migration-lambda"}},
		{"a service mapped to another task role", `
  service "sweeper" {
    task_role = "query-task"
  }`,
			[]string{"ecs-execution", "query-task"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			testutil.WriteFiles(t, dir, map[string]string{"spec.hcl": "environment \"prod\" {\n  account_id = \"123456789012\"\n  region     = \"us-east-1\"\n" + c.body + "\n}\n"})
			res, diags := pipeline.Generate(filepath.Join(dir, "spec.hcl"), pipeline.Options{OutDir: filepath.Join(dir, "out")})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			var kinds []string
			for _, r := range res.Model.Environments[0].Roles {
				kinds = append(kinds, r.Kind())
			}
			if !slices.Equal(kinds, c.want) {
				t.Errorf("roles %v, want %v", kinds, c.want)
			}
			for _, f := range res.Files {
				if !slices.ContainsFunc(c.want, func(k string) bool {
					return !strings.HasPrefix(f.Path, "modules/") || strings.HasPrefix(f.Path, "modules/"+k+"/")
				}) {
					t.Errorf("%s is generated, but its role is not", f.Path)
				}
			}
		})
	}
}

// TestCustomizedRoleNoServiceRunsUnder checks that a role block for a role
// no deployed service needs is refused, saying how to deploy one.
func TestCustomizedRoleNoServiceRunsUnder(t *testing.T) {
	dir := t.TempDir()
	testutil.WriteFiles(t, dir, map[string]string{"spec.hcl": `environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  service "query-api" {}
  role "migration-task" {
    max_session_duration = 7200
  }
}
`})
	_, _, diags := pipeline.Load(filepath.Join(dir, "spec.hcl"))
	if len(diags) != 1 || diags[0].Summary != "Role is not generated" || !strings.Contains(diags[0].Detail, `a service block for migration`) || diags[0].Subject.Start.Line != 5 {
		t.Errorf("diagnostics: %v, want one at line 5 saying to deploy the migration service", diags)
	}
}

// TestSkipRegionValidation checks the escape hatch for a region newer than
// the list: the spec accepts it, and so does the generated provider.
func TestSkipRegionValidation(t *testing.T) {
	for _, skip := range []bool{false, true} {
		dir := t.TempDir()
		body := ""
		if skip {
			body = "  skip_region_validation = true\n"
		}
		testutil.WriteFiles(t, dir, map[string]string{"spec.hcl": "environment \"prod\" {\n  account_id = \"123456789012\"\n  region     = \"eu-west-9\"\n" + body + "}\n"})
		res, diags := pipeline.Generate(filepath.Join(dir, "spec.hcl"), pipeline.Options{OutDir: filepath.Join(dir, "out")})
		if !skip {
			if len(diags) != 1 || diags[0].Summary != "Unknown AWS region" || !strings.Contains(diags[0].Detail, `did you mean "eu-west-1"?`) || !strings.Contains(diags[0].Detail, "skip_region_validation = true") {
				t.Errorf("without skip_region_validation: %v, want one Unknown AWS region with a suggestion and the escape hatch", diags)
			}
			continue
		}
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		i := slices.IndexFunc(res.Files, func(f generator.File) bool { return f.Path == "prod/main.tf" })
		if i < 0 || !strings.Contains(string(res.Files[i].Content), "skip_region_validation = true") {
			t.Errorf("prod/main.tf does not set skip_region_validation in its provider block")
		}
	}
}

// TestLintErrorsStopGenerate checks that a lint finding of severity error
// refuses the spec at its line, unless the spec accepts it, and that
// warnings never do.
func TestLintErrorsStopGenerate(t *testing.T) {
	const statement = `
  role "data-task" {
    statement {
      sid       = "Extra"
      actions   = [%q]
      resources = ["arn:aws:s3:::archive/*"]
    }%s
  }`
	cases := []struct {
		name, action, accept string
		wantError            bool
	}{
		{"unknown action", "s3:GetObjekt", "", true},
		{"unknown action accepted", "s3:GetObjekt", "\n    accept \"LR011\" {\n      sid    = \"Extra\"\n      reason = \"Reviewed: a new action our SDK knows already.\"\n    }", false},
		{"a warning (service-wide action)", "s3:*", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			body := "environment \"prod\" {\n  account_id = \"123456789012\"\n  region     = \"us-east-1\"\n" + fmt.Sprintf(statement, c.action, c.accept) + "\n}\n"
			testutil.WriteFiles(t, dir, map[string]string{"spec.hcl": body})
			res, diags := pipeline.Generate(filepath.Join(dir, "spec.hcl"), pipeline.Options{OutDir: filepath.Join(dir, "out")})
			if !c.wantError {
				if diags.HasErrors() || len(res.Files) == 0 {
					t.Fatalf("refused (%d files): %s", len(res.Files), diags.Error())
				}
				return
			}
			if len(diags) != 1 || diags[0].Summary != "[LR011] unknown-action" || diags[0].Subject == nil || diags[0].Subject.Start.Line != 8 {
				t.Fatalf("diagnostics %v, want one [LR011] at the actions line (8)", diags)
			}
			if res.Model != nil || res.Files != nil {
				t.Error("a refused spec still has a model or files")
			}
		})
	}
}
