// Package tfenv finds what Terraform needs to run in tests and e2e runs
// without hand set-up: the terraform binary, a local copy of the
// hashicorp/aws provider, a CLI configuration and an environment that
// terraform-exec accepts.
//
// Every location can be overridden with an environment variable
// (TERRAFORM, LAKERUNNER_IAM_TF_PLUGIN_DIR); the defaults only search
// well-known places, so nothing machine-specific is hard-coded.
package tfenv

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hc-install/product"
	"github.com/hashicorp/hc-install/releases"
)

// Environment variables read by this package.
const (
	// EnvTerraform names a terraform binary to use instead of searching PATH.
	EnvTerraform = "TERRAFORM"
	// EnvPluginDir names a directory laid out like a Terraform filesystem
	// mirror that holds the hashicorp/aws provider.
	EnvPluginDir = "LAKERUNNER_IAM_TF_PLUGIN_DIR"
)

// InstallVersion is the Terraform release downloaded when neither TERRAFORM
// nor PATH provides one. It is pinned so that runs are reproducible.
const InstallVersion = "1.11.4"

// installTimeout bounds the download fallback, so that a machine without
// internet fails quickly instead of hanging a test run.
const installTimeout = 2 * time.Minute

// ErrMissing marks errors that mean a tool is simply not available (as
// opposed to misconfigured); RequireOrSkip may skip on these.
var ErrMissing = errors.New("tool missing")

// missingError is a one-sentence error that matches ErrMissing.
type missingError struct{ msg string }

func (e *missingError) Error() string        { return e.msg }
func (e *missingError) Is(target error) bool { return target == ErrMissing }

// finder holds the outside world FindTerraform depends on, so tests can
// replace it.
type finder struct {
	getenv   func(string) string
	lookPath func(string) (string, error)
	cacheDir func() (string, error)
	install  func(ctx context.Context, dir string) (string, error)
}

func defaultFinder() finder {
	return finder{
		getenv:   os.Getenv,
		lookPath: exec.LookPath,
		cacheDir: cacheDir,
		install:  installTerraform,
	}
}

// FindTerraform returns the path of a terraform binary: $TERRAFORM if set,
// else terraform on PATH, else a copy of InstallVersion downloaded once into
// the user cache directory (which needs internet).
func FindTerraform(ctx context.Context) (string, error) {
	return defaultFinder().findTerraform(ctx)
}

func (f finder) findTerraform(ctx context.Context) (string, error) {
	if p := f.getenv(EnvTerraform); p != "" {
		if err := checkExecutable(p); err != nil {
			return "", fmt.Errorf("%s=%s is not an executable file (%v): point %s at a terraform binary or unset it", EnvTerraform, p, err, EnvTerraform)
		}
		return p, nil
	}
	if p, err := f.lookPath("terraform"); err == nil {
		return p, nil
	}
	root, err := f.cacheDir()
	if err != nil {
		return "", &missingError{fmt.Sprintf("terraform is not on PATH and there is no cache directory to install it into (%v): install terraform or set %s to its path", err, EnvTerraform)}
	}
	dir := filepath.Join(root, "terraform", InstallVersion)
	bin := filepath.Join(dir, product.Terraform.BinaryName())
	if checkExecutable(bin) == nil {
		return bin, nil
	}
	p, err := f.install(ctx, dir)
	if err != nil {
		return "", &missingError{fmt.Sprintf("terraform is not on PATH and downloading Terraform %s failed (%v): install terraform or set %s to its path", InstallVersion, err, EnvTerraform)}
	}
	return p, nil
}

// cacheDir is where this project keeps downloaded tools and its Terraform
// CLI configuration.
func cacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "lakerunner-iam"), nil
}

// installTerraform downloads InstallVersion with hc-install (which verifies
// its signature and checksum) into a temporary sibling of dir and renames it
// into place, so concurrent test processes never see a half-written binary.
func installTerraform(ctx context.Context, dir string) (string, error) {
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(parent, ".install-*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)

	ev := &releases.ExactVersion{
		Product:    product.Terraform,
		Version:    version.Must(version.NewVersion(InstallVersion)),
		InstallDir: tmp,
		Timeout:    installTimeout,
		// A plain client: hc-install's default retries for ~15 s, which
		// every test process would pay on a machine without internet.
		HTTPClient: &http.Client{Timeout: installTimeout},
	}
	if _, err := ev.Install(ctx); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another process may have won the race; use its copy.
		if _, statErr := os.Stat(dir); statErr != nil {
			return "", err
		}
	}
	bin := filepath.Join(dir, product.Terraform.BinaryName())
	if err := checkExecutable(bin); err != nil {
		return "", err
	}
	return bin, nil
}

// checkExecutable reports why path is not an executable regular file.
func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return errors.New("not a regular file")
	}
	if fi.Mode().Perm()&0o111 == 0 {
		return errors.New("not executable")
	}
	return nil
}
