package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportRefuses: bad command lines and outputs are refused before
// IAM is read (no endpoint answers here), with exit 1 and nothing written.
func TestImportRefuses(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "lakerunner.hcl")
	if err := os.WriteFile(existing, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	req := []string{"import", "--env", "prod", "--account-id", "123456789012", "--region", "us-east-1", "--endpoint", "http://127.0.0.1:1"}
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"missing flags", []string{"import", "--env", "prod"}, `required flag(s) "account-id", "region" not set`},
		{"overwrite", append(req, "-o", existing), "exists; import never overwrites a spec"},
		{"out and merge", append(req, "-o", filepath.Join(dir, "new.hcl"), "--merge", existing), "none of the others can be"},
		{"merge a missing spec", append(req, "--merge", filepath.Join(dir, "missing.hcl")), "--merge takes an existing spec"},
		{"unknown catalog", append(req, "--catalog", "nope"), `no role catalog "nope"; --catalog takes one of: console-guide`},
		{"arguments", append(req, "spec.hcl"), "unknown command"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, tt.args...)
			if code != exitError || stdout != "" || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, stdout, stderr, tt.want)
			}
			if b, _ := os.ReadFile(existing); string(b) != "# mine\n" {
				t.Errorf("%s changed: %q", existing, b)
			}
			if _, err := os.Stat(filepath.Join(dir, "new.hcl")); err == nil {
				t.Errorf("new.hcl written")
			}
		})
	}
}
