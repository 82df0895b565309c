package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// TestReplacedKindWithoutDefaultServices checks the diagnostic for a
// service no role kind takes as its task role, as when a custom template
// replaces query-task and lists no default_services: it names the service
// and says how to give it a role.
func TestReplacedKindWithoutDefaultServices(t *testing.T) {
	dir := t.TempDir()
	testutil.WriteFiles(t, dir, map[string]string{
		"iam/query.hcl": strings.Replace(queryTaskTemplate, `default_services = ["query-api", "query-worker"]`, "", 1),
		"spec.hcl":      "templates_dir = \"iam\"\nenvironment \"prod\" {\n  account_id = \"123456789012\"\n  region     = \"us-east-1\"\n}\n",
	})
	_, _, diags := pipeline.Load(filepath.Join(dir, "spec.hcl"))
	var services []string
	for _, d := range diags {
		if strings.Contains(d.Detail, `role ""`) {
			t.Errorf("diagnostic names an empty role: %s: %s", d.Summary, d.Detail)
		}
		if d.Summary == "No task role" {
			if !strings.Contains(d.Detail, "task_role") || !strings.Contains(d.Detail, "default_services") {
				t.Errorf("%q does not say to set task_role or default_services: %s", d.Summary, d.Detail)
			}
			services = append(services, strings.Fields(d.Detail)[1])
		}
	}
	if got, want := strings.Join(services, " "), `"query-api" "query-worker"`; got != want {
		t.Errorf("No task role for %s, want %s; all diagnostics: %s", got, want, diags.Error())
	}
}

// TestAdoptIsAnInput checks that Options.Adopt reaches the model through
// Load, where it is checked, and leaves the spec as written.
func TestAdoptIsAnInput(t *testing.T) {
	m, _, diags := pipeline.Options{Adopt: true}.Load("../testdata/specs/full.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, e := range m.Environments {
		if !e.Adopt || e.Spec.Adopt {
			t.Errorf("environment %s: model adopts: %v, spec says adopt: %v; want true, false", e.Spec.Name, e.Adopt, e.Spec.Adopt)
		}
	}
}

// TestSpecNameFails checks that SpecName reports a spec path it cannot
// name relative to the output directory, here because the working
// directory is gone, instead of naming the spec by its base name; and
// that Generate then writes nothing.
func TestSpecNameFails(t *testing.T) {
	abs, err := filepath.Abs("../testdata/specs/full.hcl")
	if err != nil {
		t.Fatal(err)
	}
	if name, err := pipeline.SpecName(abs, filepath.Join(filepath.Dir(abs), "out")); err != nil || name != "full.hcl" {
		t.Errorf("SpecName = %q, %v; want full.hcl", name, err)
	}
	gone := t.TempDir()
	t.Chdir(gone)
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	if name, err := pipeline.SpecName("spec.hcl", "out"); err == nil {
		t.Errorf("SpecName in a removed directory = %q, want an error", name)
	}
	res, diags := pipeline.Generate(abs, pipeline.Options{OutDir: "out"})
	if !diags.HasErrors() || len(res.Files) > 0 {
		t.Errorf("Generate in a removed directory: %d files, diagnostics %v; want none and an error", len(res.Files), diags)
	}
}
