package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// TestInitThenGen is a new user's first minutes: init writes the
// console-guide ECS starter, gen accepts it as it is, and lint finds
// nothing to fail on.
func TestInitThenGen(t *testing.T) {
	t.Chdir(t.TempDir())
	code, stdout, stderr := cli(t, "init")
	if code != exitOK || stderr != "" || !strings.Contains(stdout, "Wrote lakerunner.hcl (catalog console-guide, platform ecs)") {
		t.Fatalf("init exited %d:\n%s%s", code, stdout, stderr)
	}
	want, err := starter("console-guide", "ecs")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(defaultSpec); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("lakerunner.hcl is not the starter (%v)", err)
	}
	generated(t, defaultSpec, "out")
	if _, err := os.Stat(filepath.Join("out", "production", "main.tf")); err != nil {
		t.Errorf("gen wrote no root module: %v", err)
	}
	if code, stdout, stderr := cli(t, "lint"); code != exitOK {
		t.Errorf("lint of the starter exited %d:\n%s%s", code, stdout, stderr)
	}
}

// TestInitStarters checks every catalog × platform: init writes its
// starter, which names them, is valid HCL and is formatted as hclwrite
// formats it. Starters of the tiers catalog and the eks platform are
// validated by gen once those are built in (see TestInitThenGen).
func TestInitStarters(t *testing.T) {
	for _, catalog := range initCatalogs {
		for _, platform := range initPlatforms {
			t.Run(catalog+"-"+platform, func(t *testing.T) {
				t.Chdir(t.TempDir())
				if code, stdout, stderr := cli(t, "init", "--catalog", catalog, "--platform", platform); code != exitOK {
					t.Fatalf("init exited %d:\n%s%s", code, stdout, stderr)
				}
				src, err := os.ReadFile(defaultSpec)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := starter(catalog, platform)
				if !bytes.Equal(src, want) {
					t.Errorf("lakerunner.hcl is not starters/%s-%s.hcl", catalog, platform)
				}
				if head := "(catalog " + catalog + ", platform " + platform + ")"; !strings.Contains(strings.ReplaceAll(string(src[:400]), "\n# ", " "), head) {
					t.Errorf("the starter's header does not say %q", head)
				}
				if _, diags := hclsyntax.ParseConfig(src, defaultSpec, hcl.InitialPos); diags.HasErrors() {
					t.Errorf("not valid HCL: %s", diags.Error())
				}
				if f := hclwrite.Format(src); !bytes.Equal(f, src) {
					t.Errorf("not formatted; hclwrite.Format gives:\n%s", f)
				}
			})
		}
	}
}

// TestInitRefuses checks that init overwrites nothing (a file, or a link
// that points nowhere) and rejects unknown catalogs and platforms.
func TestInitRefuses(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile(defaultSpec, []byte("# mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, "init")
	if code != exitError || stdout != "" || !strings.Contains(stderr, "lakerunner.hcl already exists; nothing was written") {
		t.Errorf("init over a file exited %d:\n%s%s", code, stdout, stderr)
	}
	if got, _ := os.ReadFile(defaultSpec); string(got) != "# mine\n" {
		t.Errorf("the existing spec was changed: %q", got)
	}

	t.Chdir(t.TempDir())
	if err := os.Symlink(filepath.Join(t.TempDir(), "elsewhere.hcl"), defaultSpec); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := cli(t, "init"); code != exitError || !strings.Contains(stderr, "already exists") {
		t.Errorf("init through a dangling link exited %d: %s", code, stderr)
	}

	for _, args := range [][]string{{"--catalog", "guide"}, {"--platform", "lambda"}, {"extra"}} {
		code, stdout, stderr := cli(t, append([]string{"init"}, args...)...)
		if code != exitError || stdout != "" || !strings.Contains(stderr, "Run 'lakerunner-iam init --help' for usage.") {
			t.Errorf("init %v exited %d:\n%s%s", args, code, stdout, stderr)
		}
	}
}
