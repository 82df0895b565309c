package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenDiffApplies checks that the diff gen --diff prints is a patch:
// `patch -p1` in the working directory turns out/ into what gen would
// write, adding, changing and removing files, so gen --check then finds
// it up to date. Headers are relative, whether -o was given relative or
// absolute.
func TestGenDiffApplies(t *testing.T) {
	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Skip("no patch program on PATH")
	}
	for _, absolute := range []bool{false, true} {
		dir := t.TempDir()
		t.Chdir(dir)
		writeFile(t, dir, "lakerunner.hcl", strings.Replace(smallSpec, "%s", "", 1))
		out := "out"
		if absolute {
			out = filepath.Join(dir, "out")
		}
		generated(t, "lakerunner.hcl", out)
		// ec2 adds the instance role; one service fewer removes the
		// migration role and changes the root.
		writeFile(t, dir, "lakerunner.hcl", strings.Replace(smallSpec, "%s", "  compute = \"ec2\"\n  service \"query-api\" {}\n", 1))
		code, diff, stderr := cli(t, "gen", "--diff", "-q", "-o", out, "lakerunner.hcl")
		if code != exitIssues || stderr != "" {
			t.Fatalf("gen --diff exited %d: %s", code, stderr)
		}
		if strings.Contains(diff, dir) {
			t.Errorf("the diff names the absolute directory %s:\n%s", dir, diff)
		}
		cmd := exec.Command(patch, "-p1", "--batch", "--silent")
		cmd.Stdin = strings.NewReader(diff)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("patch -p1: %v\n%s", err, b)
		}
		if code, stdout, stderr := cli(t, "gen", "--check", "-o", out, "lakerunner.hcl"); code != exitOK {
			t.Errorf("after patch, gen --check exited %d:\n%s%s", code, stdout, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "out", "modules", "migration-task")); !os.IsNotExist(err) {
			t.Errorf("patch left modules/migration-task: %v", err)
		}
	}
}
