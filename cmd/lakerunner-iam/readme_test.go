package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// serviceRolesTable is the README's service → role table of the
// console-guide catalog, from the model of a spec that leaves services
// out (every service, with the catalog's default_services mapping).
func serviceRolesTable(t *testing.T) string {
	t.Helper()
	spec := filepath.Join(t.TempDir(), "lakerunner.hcl")
	if err := os.WriteFile(spec, []byte(strings.Replace(smallSpec, "%s", "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	m, _, diags := pipeline.Load(spec)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	var b strings.Builder
	b.WriteString("| service | task role | execution role |\n|---|---|---|\n")
	for _, s := range m.Environments[0].Services {
		fmt.Fprintf(&b, "| `%s` | `%s` (%s) | `%s` |\n", s.Name, s.TaskRole.Kind(), s.TaskRole.Name, s.ExecutionRole.Kind())
	}
	return b.String()
}

// TestReadmeServiceRoles checks that the README's service → role table is
// the catalog's.
func TestReadmeServiceRoles(t *testing.T) {
	t.Parallel()
	const begin, end = "<!-- service-roles: console-guide -->\n", "<!-- /service-roles -->\n"
	readme, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok1 := strings.Cut(string(readme), begin)
	table, _, ok2 := strings.Cut(rest, end)
	want := serviceRolesTable(t)
	if !ok1 || !ok2 {
		t.Fatalf("README.md has no %q … %q section; it should hold:\n%s", begin, end, want)
	}
	if table != want {
		t.Errorf("README.md's service → role table differs from the catalog; it should be:\n%s", want)
	}
}
