package pipeline_test

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/internal/testutil"
	"github.com/cardinalhq/lakerunner-iam/internal/tfenv"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
	"github.com/cardinalhq/lakerunner-iam/schema"
)

// pins reads the Terraform and AWS provider constraints of a versions.tf.
func pins(t *testing.T, f generator.File) (terraform, aws string) {
	t.Helper()
	file, diags := hclparse.NewParser().ParseHCL(f.Content, f.Path)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, b := range file.Body.(*hclsyntax.Body).Blocks {
		if b.Type != "terraform" {
			continue
		}
		if a := b.Body.Attributes["required_version"]; a != nil {
			v, _ := a.Expr.Value(nil)
			terraform = v.AsString()
		}
		for _, rp := range b.Body.Blocks {
			if a := rp.Body.Attributes["aws"]; rp.Type == "required_providers" && a != nil {
				v, _ := a.Expr.Value(nil)
				aws = v.GetAttr("version").AsString()
			}
		}
	}
	return terraform, aws
}

// versionFiles generates spec and returns its versions.tf files by path.
func versionFiles(t *testing.T, spec string) map[string]generator.File {
	t.Helper()
	out := map[string]generator.File{}
	for _, f := range generate(t, spec, "out") {
		if filepath.Base(f.Path) == "versions.tf" {
			out[f.Path] = f
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s generates no versions.tf", spec)
	}
	return out
}

// TestVersionPins checks that every versions.tf carries the spec's pins,
// or the defaults, and that a root whose state is locked with an S3 lock
// file requires a Terraform that has one.
func TestVersionPins(t *testing.T) {
	cases := []struct {
		spec string
		want func(path string) (terraform, aws string)
	}{
		{"fargate-minimal.hcl", func(string) (string, string) {
			return schema.DefaultTerraformVersion, schema.DefaultAWSProviderVersion
		}},
		{"custom.hcl", func(string) (string, string) { return ">= 1.5.0, < 2.0.0", "~> 5.0" }},
		{"team-state.hcl", func(path string) (string, string) {
			if path == "production/versions.tf" { // use_lockfile
				return ">= 1.10.0, < 2.0.0", schema.DefaultAWSProviderVersion
			}
			return ">= 1.5.0, < 2.0.0", schema.DefaultAWSProviderVersion // modules; staging locks with DynamoDB
		}},
	}
	for _, c := range cases {
		for path, f := range versionFiles(t, filepath.Join(specsDir, c.spec)) {
			tf, aws := pins(t, f)
			wantTF, wantAWS := c.want(path)
			if tf != wantTF || aws != wantAWS {
				t.Errorf("%s: %s pins Terraform %q and the AWS provider %q, want %q and %q", c.spec, path, tf, aws, wantTF, wantAWS)
			}
		}
	}
}

// TestDefaultVersionsAcceptTools checks that the default pins (and the
// raised floor of a root with a lock file) admit the Terraform and AWS
// provider this machine runs the tests with: a default that excluded them
// would fail every init.
func TestDefaultVersionsAcceptTools(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform; skipped with -short")
	}
	tools := tfenv.RequireOrSkip(t)
	tf, err := tools.NewTerraform(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tfVersion, _, err := tf.Version(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	admits := func(constraint string, v *version.Version, what string) {
		t.Helper()
		cs, err := version.NewConstraint(constraint)
		if err != nil {
			t.Fatalf("%s: %v", constraint, err)
		}
		if !cs.Check(v) {
			t.Errorf("%s %q does not admit %s, which the tests run", what, constraint, v)
		}
	}
	admits(schema.DefaultTerraformVersion, tfVersion, "the default required_version")
	lockfileRoot, _ := pins(t, versionFiles(t, filepath.Join(specsDir, "team-state.hcl"))["production/versions.tf"])
	admits(lockfileRoot, tfVersion, "the required_version of a root with use_lockfile")

	pv := tfenv.ProviderVersion(tools.PluginDir)
	if pv == "" {
		t.Skipf("the AWS provider comes from the registry (no plugin directory), so its version is not known here; Terraform %s is admitted", tfVersion)
	}
	admits(schema.DefaultAWSProviderVersion, version.Must(version.NewVersion(pv)), "the default aws_provider_version")
}

// TestBackendChecks covers what the generator says about backends it
// cannot write as asked.
func TestBackendChecks(t *testing.T) {
	cases := []struct {
		name, spec string
		severity   hcl.DiagnosticSeverity
		summary    string
		line       int
	}{
		{"lock file with an old Terraform", `terraform {
  required_version = "~> 1.9.0"
}
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  backend { bucket = "acme-tfstate" }
}
`, hcl.DiagError, "Terraform too old for the state lock file", 2},
		{"no lock", `environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  backend {
    bucket       = "acme-tfstate"
    use_lockfile = false
  }
}
`, hcl.DiagWarning, "State without a lock", 6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			testutil.WriteFiles(t, dir, map[string]string{"spec.hcl": c.spec})
			_, _, diags := pipeline.Load(filepath.Join(dir, "spec.hcl"))
			var found *hcl.Diagnostic
			for _, d := range diags {
				if d.Summary == c.summary {
					found = d
				}
			}
			if found == nil || found.Severity != c.severity || found.Subject == nil || found.Subject.Start.Line != c.line {
				t.Fatalf("want a %q diagnostic (severity %v) at line %d, got: %v", c.summary, c.severity, c.line, diags)
			}
		})
	}
}

// TestBackendFile checks backend.tf: written only for environments with a
// backend block, with the lock the spec asks for.
func TestBackendFile(t *testing.T) {
	backends := map[string]string{}
	for _, f := range generate(t, filepath.Join(specsDir, "team-state.hcl"), "out") {
		if filepath.Base(f.Path) == "backend.tf" {
			backends[f.Path] = string(f.Content)
		}
	}
	prod, staging := backends["production/backend.tf"], backends["staging/backend.tf"]
	if len(backends) != 2 || prod == "" || staging == "" {
		t.Fatalf("backend.tf files: %v; want production/ and staging/", slices.Sorted(maps.Keys(backends)))
	}
	for _, want := range []string{`bucket       = "acme-tfstate-777777777777"`, `key          = "lakerunner-iam/production/terraform.tfstate"`, `region       = "us-west-2"`, `encrypt      = true`, `use_lockfile = true`} {
		if !strings.Contains(prod, want) {
			t.Errorf("production/backend.tf lacks %s:\n%s", want, prod)
		}
	}
	for _, want := range []string{`key            = "iam/staging.tfstate"`, `region         = "us-east-1"`, `dynamodb_table = "acme-terraform-locks"`, `dynamodb="http://localhost:4566"`} {
		if !strings.Contains(staging, want) {
			t.Errorf("staging/backend.tf lacks %s:\n%s", want, staging)
		}
	}
	if strings.Contains(staging, "use_lockfile") {
		t.Errorf("staging/backend.tf locks with a DynamoDB table only, but sets use_lockfile:\n%s", staging)
	}
	for _, f := range generate(t, filepath.Join(specsDir, "custom.hcl"), "out") {
		if filepath.Base(f.Path) == "backend.tf" {
			t.Errorf("%s generated for an environment without a backend block", f.Path)
		}
	}
}
