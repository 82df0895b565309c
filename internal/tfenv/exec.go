package tfenv

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// CLIConfigName is the file name WriteCLIConfig writes.
const CLIConfigName = "terraformrc"

// cliConfig is deliberately minimal: its job is to give TF_CLI_CONFIG_FILE
// an existing file (Terraform warns on every command when the variable names
// a missing one) and to keep the user's own configuration, such as a shared
// plugin_cache_dir that is unsafe under concurrent init, out of test runs.
const cliConfig = `# Written by lakerunner-iam (internal/tfenv) for its own terraform runs.
disable_checkpoint = true
`

// WriteCLIConfig writes a minimal Terraform CLI configuration file named
// CLIConfigName into dir (created if needed) and returns its path, for use
// as TF_CLI_CONFIG_FILE. The write is atomic, so concurrent processes may
// share dir.
func WriteCLIConfig(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, CLIConfigName)
	f, err := os.CreateTemp(dir, "."+CLIConfigName+"-*")
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(cliConfig); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return path, nil
}

// Env returns the environment terraform should run with: os.Environ(),
// minus the variables terraform-exec refuses in SetEnv (TF_LOG*, TF_VAR_*,
// TF_CLI_ARGS*, TF_INPUT, TF_IN_AUTOMATION, TF_WORKSPACE,
// TF_REATTACH_PROVIDERS, TF_APPEND_USER_AGENT, TF_DISABLE_PLUGIN_TLS,
// TF_SKIP_PROVIDER_VERIFY; pass variables with tfexec.Var instead), plus
// TF_CLI_CONFIG_FILE=cliConfigFile (when not empty),
// CHECKPOINT_DISABLE=1 so no run phones home (tfexec v0.26.0 accepts that
// one in SetEnv; it only refuses the list above), GOGC=TerraformGOGC
// unless GOGC is set already, and GOMAXPROCS=TerraformGOMAXPROCS unless
// GOMAXPROCS is set already.
//
// tfexec's SetEnv replaces the whole environment, which is why this starts
// from os.Environ(): PATH, HOME and AWS_* must survive.
func Env(cliConfigFile string) map[string]string {
	env := make(map[string]string)
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if k != "" {
			env[k] = v
		}
	}
	env = tfexec.CleanEnv(env)
	if cliConfigFile != "" {
		env["TF_CLI_CONFIG_FILE"] = cliConfigFile
	}
	env["CHECKPOINT_DISABLE"] = "1"
	if _, ok := env["GOGC"]; !ok {
		env["GOGC"] = TerraformGOGC
	}
	if _, ok := env["GOMAXPROCS"]; !ok {
		env["GOMAXPROCS"] = TerraformGOMAXPROCS
	}
	return env
}

// TerraformGOGC is the Go garbage collector target Env gives terraform and,
// through it, the aws provider. Every provider process terraform starts
// (three for a plan, two for an apply of a saved plan, four for a destroy)
// builds, sends and decodes the provider's whole schema, some 1,500
// resource types, and most of that CPU time is garbage collection of a
// heap that dies with the process. At 400 a plan of examples/lakerunner.hcl
// took about 28% less CPU than at Go's default of 100 (8.8 s to 6.3 s,
// user+sys, measured with /usr/bin/time), for about 150 MB more peak
// memory per process; GOGC=off saved little more and cost 2.5 GB.
const TerraformGOGC = "400"

// TerraformGOMAXPROCS is the number of threads running Go code that Env
// gives terraform and its provider processes. The tests run several
// terraform commands at once on few cores (make test: four e2e tests in
// parallel beside the other packages, on 2 cores), each starting provider
// processes; with one P each, their collectors and schedulers stop
// competing with the other processes for the same cores. Measured on
// clean clones, two pairs of `make test` runs: 285.7 and 261.5 s wall
// (549 and 496 CPU-s) at Go's default, 274.3 and 252.4 s (522 and 481
// CPU-s) at 1. The e2e tests alone gained nothing (425 against 424
// CPU-s): the gain is under contention, which is how the suite runs.
const TerraformGOMAXPROCS = "1"

// Tools is the result of discovery: everything needed to run terraform.
type Tools struct {
	// Terraform is the path of the terraform binary.
	Terraform string
	// PluginDir holds the aws provider; "" means init uses the registry.
	PluginDir string
	// CLIConfig is the CLI configuration file terraform runs with.
	CLIConfig string
}

// Discover finds terraform and the plugin directory and writes the CLI
// configuration into the user cache directory (the system temp directory
// if there is none).
func Discover(ctx context.Context) (*Tools, error) {
	bin, err := FindTerraform(ctx)
	if err != nil {
		return nil, err
	}
	plugins, err := FindPluginDir()
	if err != nil {
		return nil, err
	}
	dir, err := cacheDir()
	if err != nil {
		dir = filepath.Join(os.TempDir(), "lakerunner-iam")
	}
	rc, err := WriteCLIConfig(dir)
	if err != nil {
		return nil, err
	}
	return &Tools{Terraform: bin, PluginDir: plugins, CLIConfig: rc}, nil
}

// Env is the environment terraform runs with; see the package-level Env.
func (t *Tools) Env() map[string]string { return Env(t.CLIConfig) }

// NewTerraform returns a tfexec.Terraform for workdir that runs t.Terraform
// with t.Env().
func (t *Tools) NewTerraform(workdir string) (*tfexec.Terraform, error) {
	tf, err := tfexec.NewTerraform(workdir, t.Terraform)
	if err != nil {
		return nil, err
	}
	if err := tf.SetEnv(t.Env()); err != nil {
		return nil, err
	}
	return tf, nil
}

// InitOptions returns the options for tfexec's Init: never upgrade
// providers, and read them only from t.PluginDir when there is one (which
// works offline and skips the download).
func (t *Tools) InitOptions() []tfexec.InitOption {
	opts := []tfexec.InitOption{tfexec.Upgrade(false)}
	if t.PluginDir != "" {
		opts = append(opts, tfexec.PluginDir(t.PluginDir))
	}
	return opts
}

var discovered struct {
	once  sync.Once
	tools *Tools
	err   error
}

// defaultTools runs Discover once per process; the answer does not change
// while tests run and discovery may download terraform.
func defaultTools(ctx context.Context) (*Tools, error) {
	discovered.once.Do(func() {
		discovered.tools, discovered.err = Discover(ctx)
	})
	return discovered.tools, discovered.err
}

// NewTerraform returns a tfexec.Terraform for workdir using the tools found
// by Discover (run once per process).
func NewTerraform(ctx context.Context, workdir string) (*tfexec.Terraform, error) {
	t, err := defaultTools(ctx)
	if err != nil {
		return nil, err
	}
	return t.NewTerraform(workdir)
}

// InitOptions returns Init options for the tools found by Discover (run
// once per process). If discovery failed, NewTerraform reports why and this
// returns the options for a registry init.
func InitOptions() []tfexec.InitOption {
	t, err := defaultTools(context.Background())
	if err != nil {
		return (&Tools{}).InitOptions()
	}
	return t.InitOptions()
}
