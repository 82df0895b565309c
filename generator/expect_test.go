package generator_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// expectTemplate replaces query-task with a template carrying expect
// blocks: expressions over var.*, one enabled only with msk_access.
const expectTemplate = `
role "query-task" {
  summary          = "test"
  name             = "${env.name_prefix}-query-task-role"
  description      = "test"
  default_services = ["query-api", "query-worker"]
  trust {
    service = "ecs-tasks.amazonaws.com"
  }
  input "s3_buckets" {
    type        = list(string)
    description = "buckets"
    value       = env.resources.s3_buckets
  }
  input "msk" {
    type        = bool
    description = "msk"
    value       = env.msk_access
  }
  policy {
    name = "p"
    statement {
      actions   = ["s3:GetObject"]
      resources = [for b in var.s3_buckets : "arn:${var.partition}:s3:::${b}/*"]
    }
    statement {
      enabled   = var.msk
      actions   = ["kafka-cluster:DescribeCluster"]
      resources = ["arn:${var.partition}:kafka:*"]
    }
  }
  expect "reads objects" {
    effect    = "allow"
    actions   = ["s3:GetObject"]
    resources = [for b in var.s3_buckets : "arn:${var.partition}:s3:::${b}/k"]
    context   = { "aws:SourceAccount" = [var.account_id] }
  }
  expect "no msk" {
    enabled   = !var.msk
    effect    = "deny"
    actions   = ["kafka-cluster:Connect"]
    resources = ["*"]
  }
}
`

func buildWithTemplate(t *testing.T, tmpl, spec string) (*generator.Model, hcl.Diagnostics) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "q.hcl"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	parser := hclparse.NewParser()
	cat, diags := templates.Load(templates.BuiltinFS(), parser)
	custom, d := templates.LoadDir(dir, parser)
	if diags = append(diags, d...); diags.HasErrors() {
		t.Fatal(diags)
	}
	s, diags := schema.Parse(parser, "lakerunner.hcl", []byte(spec))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return generator.Build(s, cat.With(custom), generator.Options{})
}

// TestExpectations: template expectations are evaluated with the module's
// inputs and their enabled; a role block's and a service block's are
// attached to the role (the service's: to its task role), each with its
// origin.
func TestExpectations(t *testing.T) {
	m, diags := buildWithTemplate(t, expectTemplate, `
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  resources { s3_buckets = ["a", "b"] }
  role "query-task" {
    expect "no iam" {
      effect    = "deny"
      actions   = ["iam:CreateUser"]
      resources = ["*"]
    }
  }
  service "query-api" {
    expect "no iam" {
      effect    = "deny"
      actions   = ["iam:CreateRole"]
      resources = ["*"]
    }
  }
}`)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	r := m.Environments[0].Role("query-task")
	type row struct {
		name, effect, origin string
		actions, resources   []string
		context              map[string][]string
	}
	var got []row
	for _, x := range r.Expectations {
		origin := "spec"
		if x.Origin.Template != nil {
			origin = "template"
		}
		rng := x.Origin.Range()
		origin += ":" + filepath.Base(rng.Filename)
		got = append(got, row{x.String(), x.Effect, origin, x.Actions, x.Resources, x.Context})
	}
	want := []row{
		{"reads objects", "allow", "template:q.hcl", []string{"s3:GetObject"}, []string{"arn:aws:s3:::a/k", "arn:aws:s3:::b/k"}, map[string][]string{"aws:SourceAccount": {"123456789012"}}},
		{"no msk", "deny", "template:q.hcl", []string{"kafka-cluster:Connect"}, []string{"*"}, nil},
		{"no iam", "deny", "spec:lakerunner.hcl", []string{"iam:CreateUser"}, []string{"*"}, nil},
		{"query-api/no iam", "deny", "spec:lakerunner.hcl", []string{"iam:CreateRole"}, []string{"*"}, nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("expectations:\n got %+v\nwant %+v", got, want)
	}

	// enabled = !var.msk turns the second off.
	m, diags = buildWithTemplate(t, expectTemplate, `
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  msk_access = true
}`)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if xs := m.Environments[0].Role("query-task").Expectations; len(xs) != 1 || xs[0].Name != "reads objects" {
		t.Errorf("with msk_access: %+v", xs)
	}
}

func TestExpectationErrors(t *testing.T) {
	for _, c := range []struct{ name, tmpl, spec, want string }{
		{"spec repeats a template name", expectTemplate, `
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  role "query-task" {
    expect "no msk" {
      effect    = "allow"
      actions   = ["kafka-cluster:Connect"]
      resources = ["*"]
    }
  }
}`, `lakerunner.hcl:6,5-20: Duplicate expectation; Role "query-task" already has an expectation "no msk", at`},
		{"wildcard action", strings.Replace(expectTemplate, `["kafka-cluster:Connect"]`, `["kafka-cluster:*"]`, 1), `
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
}`, `Invalid expected action; Expectation "no msk" of role "query-task" names "kafka-cluster:*"`},
		{"empty", strings.Replace(expectTemplate, `resources = ["*"]`, `resources = []`, 1), `
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
}`, `Empty expectation`},
		{"bad effect", strings.Replace(expectTemplate, `effect    = "deny"`, `effect    = "Deny"`, 1), ``, `Invalid expectation effect`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.spec == "" {
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, "q.hcl"), []byte(c.tmpl), 0o644); err != nil {
					t.Fatal(err)
				}
				_, diags := templates.LoadDir(dir, hclparse.NewParser())
				if !strings.Contains(diags.Error(), c.want) {
					t.Errorf("got %v, want %s", diags, c.want)
				}
				return
			}
			_, diags := buildWithTemplate(t, c.tmpl, c.spec)
			if !strings.Contains(diags.Error(), c.want) {
				t.Errorf("got %v, want %s", diags, c.want)
			}
		})
	}
}
