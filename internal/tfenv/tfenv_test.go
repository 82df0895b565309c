package tfenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// writeFile creates path (and its parents) with the given mode.
func writeFile(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), mode); err != nil {
		t.Fatal(err)
	}
}

func envFunc(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestFindTerraform(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "bin", "terraform")
	writeFile(t, exe, 0o755)
	plain := filepath.Join(dir, "plain")
	writeFile(t, plain, 0o644)
	missing := filepath.Join(dir, "nope")

	cacheWithCopy := filepath.Join(dir, "cache-with-copy")
	cached := filepath.Join(cacheWithCopy, "terraform", InstallVersion, "terraform")
	writeFile(t, cached, 0o755)

	noPath := func(string) (string, error) { return "", errors.New("not found") }
	onPath := func(string) (string, error) { return "/on/path/terraform", nil }
	emptyCache := func() (string, error) { return filepath.Join(dir, "empty-cache"), nil }
	noInstall := func(context.Context, string) (string, error) {
		return "", errors.New("dial tcp: no such host")
	}

	tests := []struct {
		name        string
		env         map[string]string
		lookPath    func(string) (string, error)
		cacheDir    func() (string, error)
		install     func(context.Context, string) (string, error)
		want        string
		wantErr     []string // substrings of the error
		wantMissing bool
	}{
		{name: "TERRAFORM wins over PATH", env: map[string]string{EnvTerraform: exe}, lookPath: onPath, want: exe},
		{name: "TERRAFORM missing file", env: map[string]string{EnvTerraform: missing}, lookPath: onPath,
			wantErr: []string{"TERRAFORM=" + missing, "is not an executable file", "unset it"}},
		{name: "TERRAFORM not executable", env: map[string]string{EnvTerraform: plain}, lookPath: onPath,
			wantErr: []string{"TERRAFORM=" + plain, "not executable"}},
		{name: "TERRAFORM is a directory", env: map[string]string{EnvTerraform: dir}, lookPath: onPath,
			wantErr: []string{"not a regular file"}},
		{name: "PATH", lookPath: onPath, want: "/on/path/terraform"},
		{name: "cached download", lookPath: noPath, cacheDir: func() (string, error) { return cacheWithCopy, nil }, want: cached},
		{name: "download", lookPath: noPath, cacheDir: emptyCache,
			install: func(_ context.Context, d string) (string, error) { return filepath.Join(d, "terraform"), nil },
			want:    filepath.Join(dir, "empty-cache", "terraform", InstallVersion, "terraform")},
		{name: "download fails", lookPath: noPath, cacheDir: emptyCache, install: noInstall, wantMissing: true,
			wantErr: []string{"terraform is not on PATH", "no such host", "set TERRAFORM to its path"}},
		{name: "no cache dir", lookPath: noPath, cacheDir: func() (string, error) { return "", errors.New("$HOME is not defined") },
			wantMissing: true, wantErr: []string{"set TERRAFORM"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := finder{getenv: envFunc(tc.env), lookPath: tc.lookPath, cacheDir: tc.cacheDir, install: tc.install}
			if f.cacheDir == nil {
				f.cacheDir = func() (string, error) { t.Fatal("cacheDir called"); return "", nil }
			}
			if f.install == nil {
				f.install = func(context.Context, string) (string, error) { t.Fatal("install called"); return "", nil }
			}
			got, err := f.findTerraform(context.Background())
			if len(tc.wantErr) > 0 {
				if err == nil {
					t.Fatalf("got %q, want error", got)
				}
				for _, s := range tc.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				if strings.Count(strings.TrimSuffix(err.Error(), "."), ". ") > 0 || strings.Contains(err.Error(), "\n") {
					t.Errorf("error is not one sentence: %q", err)
				}
				if errors.Is(err, ErrMissing) != tc.wantMissing {
					t.Errorf("errors.Is(err, ErrMissing) = %v, want %v", !tc.wantMissing, tc.wantMissing)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// fakeProvider creates a provider binary in the unpacked mirror layout.
func fakeProvider(t *testing.T, root, version, plat string) {
	t.Helper()
	writeFile(t, filepath.Join(root, "registry.terraform.io", "hashicorp", "aws", version, plat,
		fmt.Sprintf("terraform-provider-aws_v%s_x5", version)), 0o755)
}

func TestProviderVersion(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, root string)
		want  string
	}{
		{name: "empty", setup: func(*testing.T, string) {}, want: ""},
		{name: "one", setup: func(t *testing.T, r string) { fakeProvider(t, r, "5.100.0", platform) }, want: "5.100.0"},
		{name: "highest by semver, not by name", setup: func(t *testing.T, r string) {
			fakeProvider(t, r, "5.9.0", platform)
			fakeProvider(t, r, "5.100.0", platform)
			fakeProvider(t, r, "5.31.0", platform)
		}, want: "5.100.0"},
		{name: "other platform only", setup: func(t *testing.T, r string) { fakeProvider(t, r, "5.100.0", "plan9_mips") }, want: ""},
		{name: "version dir without binary", setup: func(t *testing.T, r string) {
			fakeProvider(t, r, "5.1.0", platform)
			if err := os.MkdirAll(filepath.Join(r, awsProviderPath, "6.0.0", platform), 0o755); err != nil {
				t.Fatal(err)
			}
		}, want: "5.1.0"},
		{name: "non-version entries ignored", setup: func(t *testing.T, r string) {
			fakeProvider(t, r, "5.2.0", platform)
			fakeProvider(t, r, "latest", platform)
			writeFile(t, filepath.Join(r, awsProviderPath, "README"), 0o644)
		}, want: "5.2.0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			tc.setup(t, root)
			if got := ProviderVersion(root); got != tc.want {
				t.Errorf("ProviderVersion = %q, want %q", got, tc.want)
			}
		})
	}
	if got := ProviderVersion(""); got != "" {
		t.Errorf(`ProviderVersion("") = %q`, got)
	}
}

func TestFindPluginDir(t *testing.T) {
	base := t.TempDir()
	empty := filepath.Join(base, "empty")
	first := filepath.Join(base, "first")
	second := filepath.Join(base, "second")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	fakeProvider(t, first, "5.100.0", platform)
	fakeProvider(t, second, "5.99.0", platform)

	tests := []struct {
		name    string
		env     map[string]string
		roots   []string
		want    string
		wantErr string
	}{
		{name: "first root with a provider", roots: []string{filepath.Join(base, "absent"), empty, first, second}, want: first},
		{name: "order matters", roots: []string{second, first}, want: second},
		{name: "none found is not an error", roots: []string{empty, filepath.Join(base, "absent")}, want: ""},
		{name: "no roots", want: ""},
		{name: "env override", env: map[string]string{EnvPluginDir: second}, roots: []string{first}, want: second},
		{name: "env override without provider", env: map[string]string{EnvPluginDir: empty}, roots: []string{first},
			wantErr: EnvPluginDir + "=" + empty + " holds no registry.terraform.io/hashicorp/aws/<version>/" + platform},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := findPluginDir(envFunc(tc.env), tc.roots)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPluginDirRoots(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		home string
		want []string
	}{
		{name: "home and XDG", home: "/h", env: map[string]string{"XDG_DATA_HOME": "/x"}, want: []string{
			"/opt/tf-plugins", "/h/.terraform.d/plugins", "/x/terraform/plugins", "/h/.local/share/terraform/plugins",
			"/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins"}},
		{name: "no home, no XDG", want: []string{
			"/opt/tf-plugins", "/usr/local/share/terraform/plugins", "/usr/share/terraform/plugins"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := pluginDirRoots(envFunc(tc.env), tc.home)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEnv(t *testing.T) {
	t.Setenv("TF_LOG", "debug")
	t.Setenv("TF_VAR_region", "eu-west-1")
	t.Setenv("TF_CLI_ARGS_plan", "-refresh=false")
	t.Setenv("TF_CLI_CONFIG_FILE", "/does/not/exist")
	t.Setenv("LAKERUNNER_TFENV_PROBE", "a=b")

	env := Env("/tmp/x/terraformrc")
	for _, k := range []string{"TF_LOG", "TF_VAR_region", "TF_CLI_ARGS_plan"} {
		if _, ok := env[k]; ok {
			t.Errorf("%s kept; tfexec's SetEnv refuses it", k)
		}
	}
	want := map[string]string{
		"TF_CLI_CONFIG_FILE":     "/tmp/x/terraformrc",
		"CHECKPOINT_DISABLE":     "1",
		"GOGC":                   TerraformGOGC,
		"GOMAXPROCS":             TerraformGOMAXPROCS,
		"LAKERUNNER_TFENV_PROBE": "a=b",
		"PATH":                   os.Getenv("PATH"),
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q", k, env[k], v)
		}
	}
	if p := tfexec.ProhibitedEnv(env); len(p) > 0 {
		t.Errorf("Env holds variables tfexec refuses: %v", p)
	}
	if _, ok := Env("")["TF_CLI_CONFIG_FILE"]; !ok {
		// The inherited value stays when no config file is given.
		t.Error("TF_CLI_CONFIG_FILE dropped")
	}
	t.Setenv("GOGC", "150")
	if got := Env("")["GOGC"]; got != "150" {
		t.Errorf("GOGC = %q; a GOGC set by the user must stay", got)
	}
	t.Setenv("GOMAXPROCS", "3")
	if got := Env("")["GOMAXPROCS"]; got != "3" {
		t.Errorf("GOMAXPROCS = %q; a GOMAXPROCS set by the user must stay", got)
	}
}

func TestWriteCLIConfig(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sub")
	for range 2 { // rewriting is fine
		path, err := WriteCLIConfig(dir)
		if err != nil {
			t.Fatal(err)
		}
		if path != filepath.Join(dir, CLIConfigName) {
			t.Errorf("path = %q", path)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "disable_checkpoint = true") {
			t.Errorf("unexpected config:\n%s", b)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestInitOptions(t *testing.T) {
	tests := []struct {
		name      string
		pluginDir string
		want      int
	}{
		{name: "registry", want: 1},
		{name: "plugin dir", pluginDir: "/p", want: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := (&Tools{PluginDir: tc.pluginDir}).InitOptions()
			if len(opts) != tc.want {
				t.Fatalf("got %d options, want %d", len(opts), tc.want)
			}
			if tc.pluginDir != "" {
				if _, ok := opts[len(opts)-1].(*tfexec.PluginDirOption); !ok {
					t.Errorf("last option is %T, want *tfexec.PluginDirOption", opts[len(opts)-1])
				}
			}
		})
	}
}

// fakeT records what the skip policy did instead of stopping the test.
type fakeT struct{ skipped, failed bool }

func (f *fakeT) Helper()        {}
func (f *fakeT) Skip(...any)    { f.skipped = true }
func (f *fakeT) Fatal(...any)   { f.failed = true }
func (f *fakeT) String() string { return fmt.Sprintf("skipped=%v failed=%v", f.skipped, f.failed) }

func TestSkipPolicy(t *testing.T) {
	missing := &missingError{"terraform is missing"}
	broken := errors.New("TERRAFORM=/x is not an executable file")
	tests := []struct {
		name        string
		skip, ci    string
		err         error
		wantSkipped bool
	}{
		{name: "missing, skip allowed", skip: "1", err: missing, wantSkipped: true},
		{name: "missing, skip not asked", err: missing},
		{name: "missing, skip asked in CI", skip: "1", ci: "true", err: missing},
		{name: "misconfigured never skips", skip: "1", err: broken},
		{name: "other CI values do not count as CI", skip: "1", ci: "false", err: missing, wantSkipped: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvSkipE2E, tc.skip)
			t.Setenv("CI", tc.ci)
			ft := &fakeT{}
			skipOrFail(ft, tc.err, SkipAllowed())
			if ft.skipped != tc.wantSkipped || ft.failed == tc.wantSkipped {
				t.Errorf("%v, want skipped=%v", ft, tc.wantSkipped)
			}
		})
	}
}

// TestTerraformValidate runs the real binary: init from the discovered
// plugin directory (offline) and validate, with no CLI-config warning.
func TestTerraformValidate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform")
	}
	tools := RequireOrSkip(t)
	dir := t.TempDir()
	const mainTF = `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_iam_role" "probe" {
  name               = "tfenv-probe"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(mainTF), 0o644); err != nil {
		t.Fatal(err)
	}
	tf, err := NewTerraform(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	tf.SetStderr(&stderr)
	ctx := context.Background()
	if err := tf.Init(ctx, InitOptions()...); err != nil {
		t.Fatalf("init: %v\n%s", err, stderr.String())
	}
	out, err := tf.Validate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !out.Valid {
		t.Fatalf("invalid: %+v", out.Diagnostics)
	}
	if strings.Contains(stderr.String(), "CLI configuration") {
		t.Errorf("terraform warned about its CLI configuration:\n%s", stderr.String())
	}
	if tools.PluginDir != "" {
		v := ProviderVersion(tools.PluginDir)
		lock, err := os.ReadFile(filepath.Join(dir, ".terraform.lock.hcl"))
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`version\s*=\s*"` + regexp.QuoteMeta(v) + `"`).Match(lock) {
			t.Errorf("lock file does not pin the plugin-dir provider %s:\n%s", v, lock)
		}
	}
	t.Logf("terraform %s, plugin dir %q (aws %s)", tools.Terraform, tools.PluginDir, ProviderVersion(tools.PluginDir))
}
