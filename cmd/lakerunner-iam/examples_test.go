package main

import (
	"path/filepath"
	"testing"
)

// TestExamplesLintClean lints every spec shipped in examples/ at the
// default --fail-on: a new user's first lint of an example must pass. The
// guide example accepts the guide's over-grants with reasons; the others
// narrow them. A spec added to examples/ is picked up here by itself.
func TestExamplesLintClean(t *testing.T) {
	t.Chdir(repoRoot) // findings name the spec as a user in the repository would
	var specs []string
	for _, pattern := range []string{"examples/*.hcl", "examples/*.hcl.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, m...)
	}
	if len(specs) < 3 {
		t.Fatalf("found %d examples, want at least 3", len(specs))
	}
	for _, spec := range specs {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			if code, stdout, stderr := cli(t, "lint", spec); code != exitOK {
				t.Errorf("lint %s exited %d, want %d:\n%s%s", spec, code, exitOK, stdout, stderr)
			}
		})
	}
}
