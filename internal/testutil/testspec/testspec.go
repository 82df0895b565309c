// Package testspec loads specs for tests the way the CLI does (package
// pipeline), so every package's tests evaluate specs one way. It is apart
// from testutil because tests inside pipeline's own dependencies may not
// import pipeline.
package testspec

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// Load evaluates the spec file at path with its catalog; any error
// diagnostic fails the test.
func Load(t testing.TB, path string) *generator.Model {
	t.Helper()
	m, _, diags := pipeline.Load(path)
	if diags.HasErrors() {
		t.Fatalf("%s: %s", path, diags.Error())
	}
	return m
}

// Write writes spec text to lakerunner.hcl in a fresh temporary directory
// and returns its path.
func Write(t testing.TB, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lakerunner.hcl")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// LoadText evaluates spec text as Load does a file.
func LoadText(t testing.TB, text string) *generator.Model {
	t.Helper()
	m, _, diags := pipeline.Load(Write(t, text))
	if diags.HasErrors() {
		t.Fatalf("spec does not load: %s\n%s", diags.Error(), text)
	}
	return m
}

// Eval evaluates spec text and returns the diagnostics, for tests of
// specs that are meant to fail; the model is nil when there are errors.
func Eval(t testing.TB, text string) (*generator.Model, hcl.Diagnostics) {
	t.Helper()
	m, _, diags := pipeline.Load(Write(t, text))
	return m, diags
}
