package pipeline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/outtree"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// exampleGoldens are the example specs with a golden tree of their own,
// by golden directory name: specs whose templates_dir only resolves from
// examples/.
var exampleGoldens = map[string]string{
	"example-auditor": "../examples/auditor.hcl",
	// EKS (README "Running on EKS"): IRSA with the chart's shared
	// ServiceAccount, Pod Identity with a ServiceAccount per role kind.
	"example-eks-irsa":         "../examples/eks-irsa.hcl",
	"example-eks-pod-identity": "../examples/eks-pod-identity.hcl",
	"example-tiers":            "../examples/lakerunner-tiers.hcl",
}

// TestGoldenExamples compares what the example specs generate with
// testdata/golden/<name>/; -update rewrites them.
func TestGoldenExamples(t *testing.T) {
	for name, spec := range exampleGoldens {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(goldenDir, name)
			files := generate(t, spec, dir)
			if *testutil.Update {
				if _, err := outtree.WriteTree(dir, files, outtree.Options{Spec: spec, Force: true}); err != nil {
					t.Fatal(err)
				}
			}
			assertTree(t, spec, dir, files, "run `make golden` and review the diff")
		})
	}
}

// auditorTemplates is the example's templates directory, absolute, for
// specs written into temporary directories.
func auditorTemplates(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../examples/templates")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// queryTaskTemplate replaces the built-in query-task: read-only S3 and no
// ECS access, and it also runs a service of the team's own.
const queryTaskTemplate = `role "query-task" {
  summary          = "Query services, read-only."
  name             = "${env.name_prefix}-query-ro-role"
  description      = "Query services without ECS access"
  default_services = ["query-api", "query-worker"]

  trust {
    service    = "ecs-tasks.amazonaws.com"
    source_arn = "arn:${var.partition}:ecs:${var.region}:${var.account_id}:*"
  }

  input "s3_buckets" {
    type        = list(string)
    description = "Buckets."
    value       = env.resources.s3_buckets
  }

  policy {
    name = "${env.name_prefix}-query-ro"
    statement {
      sid       = "S3ReadAccess"
      actions   = ["s3:GetObject", "s3:ListBucket"]
      resources = flatten([for b in var.s3_buckets : ["arn:${var.partition}:s3:::${b}", "arn:${var.partition}:s3:::${b}/*"]])
    }
  }
}
`

// reportsTemplate is a new ECS task role kind that takes query-api over.
const reportsTemplate = `role "reports-task" {
  summary          = "Reports."
  name             = "${env.name_prefix}-reports-task-role"
  description      = "Reports"
  default_services = ["query-api"]
  tags             = { Team = "reports" }

  trust {
    service = "ecs-tasks.amazonaws.com"
  }

  managed_policy "CloudWatchAgentServerPolicy" {
    path = ""
  }
}
`

// TestCustomTemplates loads a spec whose templates_dir replaces a built-in
// kind and adds one, and checks the catalog, roles, services and modules.
func TestCustomTemplates(t *testing.T) {
	dir := t.TempDir()
	testutil.WriteFiles(t, dir, map[string]string{
		"iam/query.hcl":   queryTaskTemplate,
		"iam/reports.hcl": reportsTemplate,
		"specs/lakerunner.hcl": `templates_dir = "../iam"
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  role "reports-task" {
    max_session_duration = 7200
  }
}
`,
	})
	res, diags := pipeline.Generate(filepath.Join(dir, "specs/lakerunner.hcl"), pipeline.Options{OutDir: filepath.Join(dir, "out")})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	m := res.Model
	if got, want := strings.Join(m.Catalog.Kinds(), " "),
		"ecs-execution data-task query-task migration-task migration-lambda ecs-instance msk-access cross-account cross-account-no-external-id reports-task"; got != want {
		t.Errorf("catalog kinds = %s, want %s (a replaced kind keeps its place, a new one comes last)", got, want)
	}
	env := m.Environments[0]
	q := env.Role("query-task")
	if q == nil {
		t.Fatal("no query-task role")
	}
	if q.Name != "lakerunner-query-ro-role" || q.Template.DefRange.Filename != filepath.Join(dir, "specs/../iam/query.hcl") {
		t.Errorf("query-task is %s from %s; want the custom template's lakerunner-query-ro-role", q.Name, q.Template.DefRange.Filename)
	}
	if n := len(q.Permissions.Statements); n != 1 || q.Permissions.Statements[0].Sid != "S3ReadAccess" {
		t.Errorf("query-task has %d statements (%+v); want only the custom S3ReadAccess", n, q.Permissions.Statements)
	}
	r := env.Role("reports-task")
	if r == nil {
		t.Fatal("no reports-task role")
	}
	if r.MaxSessionDuration != 7200 || r.Tags["Team"] != "reports" || r.Permissions != nil || len(r.ManagedPolicies) != 1 {
		t.Errorf("reports-task: session %d, tags %v, permissions %v, managed %v", r.MaxSessionDuration, r.Tags, r.Permissions, r.ManagedPolicies)
	}
	services := map[string]string{}
	for _, s := range env.Services {
		services[s.Name] = s.TaskRole.Kind()
	}
	if services["query-api"] != "reports-task" || services["query-worker"] != "query-task" || services["ingest-logs"] != "data-task" {
		t.Errorf("task roles by service = %v; want query-api on reports-task (the later kind listing it), query-worker on query-task", services)
	}
	paths := map[string]bool{}
	for _, f := range res.Files {
		paths[f.Path] = true
	}
	for _, p := range []string{"modules/reports-task/main.tf", "modules/query-task/main.tf", "prod/main.tf"} {
		if !paths[p] {
			t.Errorf("%s was not generated", p)
		}
	}
	for _, f := range res.Files {
		if f.Path == "prod/outputs.tf" && !bytes.Contains(f.Content, []byte(`output "reports_task_role_arn"`)) {
			t.Errorf("prod/outputs.tf has no reports_task_role_arn output")
		}
		if f.Path == "modules/query-task/main.tf" && bytes.Contains(f.Content, []byte("ecs:UpdateService")) {
			t.Errorf("modules/query-task/main.tf still has the built-in statements")
		}
	}
}

// TestTemplatesOption checks that Options.Templates (gen --templates)
// takes the place of the spec's templates_dir.
func TestTemplatesOption(t *testing.T) {
	dir := t.TempDir()
	testutil.WriteFiles(t, dir, map[string]string{
		"other/reports.hcl": reportsTemplate,
		"spec.hcl":          "templates_dir = \"missing\"\nenvironment \"prod\" {\n  account_id = \"123456789012\"\n  region = \"us-east-1\"\n}\n",
	})
	spec := filepath.Join(dir, "spec.hcl")
	if _, _, diags := pipeline.Load(spec); !diags.HasErrors() {
		t.Fatal("templates_dir names a missing directory, but Load reported no error")
	}
	m, _, diags := pipeline.Options{Templates: filepath.Join(dir, "other")}.Load(spec)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if m.Environments[0].Role("reports-task") == nil {
		t.Error("the --templates directory's reports-task was not generated")
	}
}

// TestTemplateEnabled checks the auditor template's enabled expression:
// every environment but developer sandboxes gets the role.
func TestTemplateEnabled(t *testing.T) {
	dir := t.TempDir()
	testutil.WriteFiles(t, dir, map[string]string{"spec.hcl": `templates_dir = "` + auditorTemplates(t) + `"
environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"
}
environment "dev-alice" {
  account_id = "210987654321"
  region     = "us-east-1"
}
`})
	m, _, diags := pipeline.Load(filepath.Join(dir, "spec.hcl"))
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if m.Environments[0].Role("auditor") == nil {
		t.Error("production has no auditor role")
	}
	if m.Environments[1].Role("auditor") != nil {
		t.Error("dev-alice has an auditor role; the template disables it in dev* environments")
	}
	if len(m.Modules) != 5 {
		t.Errorf("%d modules; want the four built-in fargate kinds and auditor", len(m.Modules))
	}
}

// TestTemplateDiagnostics checks that a mistake in a custom template is
// reported at the template's file and line, with a snippet of it, and that
// a problem with the directory points at templates_dir.
func TestTemplateDiagnostics(t *testing.T) {
	spec := "templates_dir = \"iam\"\nenvironment \"prod\" {\n  account_id = \"123456789012\"\n  region     = \"us-east-1\"\n}\n"
	cases := []struct {
		name     string
		template string // "" for no directory
		summary  string
		file     string // where the diagnostic points
		line     int
		snippet  string // in the printed diagnostic
	}{
		{"syntax", "role \"x\" {\n  summary = \"x\" \"y\"\n}\n", "Missing newline after argument", "iam/bad.hcl", 2, `summary = "x" "y"`},
		{"unknown attribute", strings.Replace(reportsTemplate, "  tags ", "  tagz ", 1), "Unsupported argument", "iam/bad.hcl", 6, "tagz"},
		{"evaluation", strings.Replace(reportsTemplate, "${env.name_prefix}", "${env.nameprefix}", 1), "Unsupported attribute", "iam/bad.hcl", 3, "env.nameprefix"},
		{"kind", strings.Replace(reportsTemplate, `"reports-task"`, `"Reports_Task"`, 1), "Invalid role kind", "iam/bad.hcl", 1, `role "Reports_Task"`},
		{"unused input", strings.Replace(reportsTemplate, "  trust {", "  input \"x\" {\n    type = string\n    description = \"x\"\n    value = \"x\"\n  }\n  trust {", 1), "Unused template input", "iam/bad.hcl", 8, `input "x"`},
		{"duplicate kind", reportsTemplate + reportsTemplate, "Duplicate role kind", "iam/bad.hcl", 16, `role "reports-task"`},
		{"no directory", "", "Cannot read templates directory", "spec.hcl", 1, `templates_dir = "iam"`},
		// Required attributes are required, though gohcl decodes *hcl.Attribute as optional.
		{"no description", strings.Replace(reportsTemplate, "  description      = \"Reports\"\n", "", 1), "Missing required argument", "iam/bad.hcl", 1, `role "reports-task"`},
		{"statement without actions", strings.Replace(reportsTemplate, "  managed_policy", "  policy {\n    name = \"p\"\n    statement {\n      resources = [\"*\"]\n    }\n  }\n  managed_policy", 1), "Statement needs actions and not_actions", "iam/bad.hcl", 14, "statement {"},
		{"policy without name", strings.Replace(reportsTemplate, "  managed_policy", "  policy {\n    statement {\n      actions   = [\"s3:GetObject\"]\n      resources = [\"*\"]\n    }\n  }\n  managed_policy", 1), "Missing required argument", "iam/bad.hcl", 12, "policy {"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"spec.hcl": spec}
			if c.template != "" {
				files["iam/bad.hcl"] = c.template
			}
			testutil.WriteFiles(t, dir, files)
			_, parser, diags := pipeline.Load(filepath.Join(dir, "spec.hcl"))
			var found *hcl.Diagnostic
			for _, d := range diags {
				if d.Summary == c.summary {
					found = d
				}
			}
			if found == nil {
				t.Fatalf("no %q diagnostic among: %s", c.summary, diags.Error())
			}
			if found.Subject == nil || found.Subject.Filename != filepath.Join(dir, c.file) || found.Subject.Start.Line != c.line {
				t.Fatalf("%q points at %v, want %s line %d", c.summary, found.Subject, c.file, c.line)
			}
			var out bytes.Buffer
			if err := hcl.NewDiagnosticTextWriter(&out, parser.Files(), 100, false).WriteDiagnostic(found); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), c.snippet) {
				t.Errorf("printed diagnostic does not show %q:\n%s", c.snippet, out.String())
			}
		})
	}
}

// TestTemplatesDirNamedTemplates checks that a templates directory called
// "templates", whose files have the names of built-in ones, replaces them
// rather than being mistaken for them (the parser caches files by name).
func TestTemplatesDirNamedTemplates(t *testing.T) {
	builtin, err := os.ReadFile("../templates/01-ecs-execution.hcl")
	if err != nil {
		t.Fatal(err)
	}
	custom := strings.Replace(string(builtin), "-ecs-execution-role", "-exec-role", 1)
	t.Chdir(t.TempDir())
	testutil.WriteFiles(t, ".", map[string]string{
		"templates/01-ecs-execution.hcl": custom,
		"spec.hcl":                       "templates_dir = \"templates\"\nenvironment \"prod\" {\n  account_id = \"123456789012\"\n  region = \"us-east-1\"\n}\n",
	})
	m, _, diags := pipeline.Load("spec.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if got := m.Environments[0].Role("ecs-execution").Name; got != "lakerunner-exec-role" {
		t.Errorf("ecs-execution is named %s, want lakerunner-exec-role from ./templates/01-ecs-execution.hcl", got)
	}
}
