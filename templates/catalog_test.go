package templates

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/cardinalhq/lakerunner-iam/schema"
)

// TestLoadDirRefusesHostileFiles: a team's templates directory may hold a
// symlink to a device or a file that would take the parser too deep;
// each is refused with a diagnostic instead of being read without end or
// crashing.
func TestLoadDirRefusesHostileFiles(t *testing.T) {
	for _, c := range []struct {
		name  string
		setup func(dir string) error
		want  string
	}{
		{"device", func(dir string) error { return os.Symlink("/dev/zero", filepath.Join(dir, "zero.hcl")) }, "is a device"},
		{"too large", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "big.hcl"), []byte(strings.Repeat("#\n", 1<<20)), 0o644)
		}, "larger than"},
		{"too deep", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "deep.hcl"), []byte("x = "+strings.Repeat("[", 100000)+strings.Repeat("]", 100000)+"\n"), 0o644)
		}, "Nesting too deep"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := c.setup(dir); err != nil {
				t.Skip(err)
			}
			_, diags := LoadDir(dir, hclparse.NewParser())
			if !diags.HasErrors() || !strings.Contains(diags.Error(), c.want) {
				t.Errorf("want %q, got %v", c.want, diags)
			}
		})
	}
}

// TestBuiltinWithinBounds: the embedded templates are loaded without
// schema.CheckSource (builtinOrigin), so they must pass it.
func TestBuiltinWithinBounds(t *testing.T) {
	names, err := fs.Glob(builtin, "*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	tiers, err := fs.Glob(builtin, "tiers/*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	names = append(names, tiers...)
	if len(tiers) == 0 || len(names) == len(tiers) {
		t.Fatalf("found %d templates, %d of them tiers'", len(names), len(tiers))
	}
	for _, name := range names {
		src, err := fs.ReadFile(builtin, name)
		if err != nil {
			t.Fatal(err)
		}
		if d := schema.CheckSource(name, src, false, schema.MaxTemplateBytes); len(d) > 0 {
			t.Errorf("%s: %v", name, d)
		}
	}
}
