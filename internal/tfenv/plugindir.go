package tfenv

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/hashicorp/go-version"
)

// awsProviderPath is where the hashicorp/aws provider lives inside a
// plugin directory (Terraform's "unpacked" filesystem-mirror layout).
var awsProviderPath = filepath.Join("registry.terraform.io", "hashicorp", "aws")

// platform is the provider directory name for this machine, e.g. linux_amd64.
var platform = runtime.GOOS + "_" + runtime.GOARCH

// FindPluginDir returns a directory usable with `terraform init
// -plugin-dir` that holds the hashicorp/aws provider for this platform:
// $LAKERUNNER_IAM_TF_PLUGIN_DIR if set (an error if it holds no provider),
// else the first well-known location that does. It returns "" and no error
// when there is none, so callers can fall back to a normal registry init.
func FindPluginDir() (string, error) {
	home, _ := os.UserHomeDir()
	return findPluginDir(os.Getenv, pluginDirRoots(os.Getenv, home))
}

// pluginDirRoots lists the well-known places a provider mirror is kept, in
// the order they are searched.
func pluginDirRoots(getenv func(string) string, home string) []string {
	roots := []string{"/opt/tf-plugins"}
	if home != "" {
		roots = append(roots, filepath.Join(home, ".terraform.d", "plugins"))
	}
	if x := getenv("XDG_DATA_HOME"); x != "" {
		roots = append(roots, filepath.Join(x, "terraform", "plugins"))
	}
	if home != "" {
		roots = append(roots, filepath.Join(home, ".local", "share", "terraform", "plugins"))
	}
	return append(roots,
		"/usr/local/share/terraform/plugins",
		"/usr/share/terraform/plugins",
	)
}

func findPluginDir(getenv func(string) string, roots []string) (string, error) {
	if d := getenv(EnvPluginDir); d != "" {
		if ProviderVersion(d) == "" {
			return "", fmt.Errorf("%s=%s holds no %s/<version>/%s/terraform-provider-aws*: point %s at a Terraform plugin directory with the aws provider or unset it",
				EnvPluginDir, d, filepath.ToSlash(awsProviderPath), platform, EnvPluginDir)
		}
		return d, nil
	}
	for _, r := range roots {
		if ProviderVersion(r) != "" {
			return r, nil
		}
	}
	return "", nil
}

// ProviderVersion returns the highest hashicorp/aws provider version for
// this platform found in the plugin directory dir (e.g. "5.100.0"), or ""
// if there is none.
func ProviderVersion(dir string) string {
	if dir == "" {
		return ""
	}
	entries, err := os.ReadDir(filepath.Join(dir, awsProviderPath))
	if err != nil {
		return ""
	}
	var best *version.Version
	for _, e := range entries {
		v, err := version.NewVersion(e.Name())
		if err != nil || !e.IsDir() {
			continue
		}
		if !hasProviderBinary(filepath.Join(dir, awsProviderPath, e.Name(), platform)) {
			continue
		}
		if best == nil || v.GreaterThan(best) {
			best = v
		}
	}
	if best == nil {
		return ""
	}
	return best.Original()
}

// hasProviderBinary reports whether dir holds a terraform-provider-aws file.
func hasProviderBinary(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "terraform-provider-aws") && !e.IsDir() {
			return true
		}
	}
	return false
}
