package templates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
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
