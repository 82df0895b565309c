package main

import (
	"bytes"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// noEnv is an empty environment: no NO_COLOR, nothing else.
func noEnv(string) string { return "" }

// runCLI runs a CLI, with extra commands, in-process and returns its exit
// code and output.
func runCLI(extra []*cobra.Command, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	c := &CLI{Stdout: &out, Stderr: &errOut, Getenv: noEnv, extra: extra}
	code = c.Run(args)
	return code, out.String(), errOut.String()
}

// cli runs the CLI in-process and returns its exit code and output.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLI(nil, args...)
}

// testCommand is a command that only tests have.
func testCommand(name string, run func(stdout io.Writer)) *cobra.Command {
	return &cobra.Command{Use: name, Run: func(cmd *cobra.Command, args []string) { run(cmd.OutOrStdout()) }}
}

func TestPanicBecomesInternalError(t *testing.T) {
	tests := []struct {
		name  string
		panic func()
		value string
	}{
		{"string", func() { panic("boom") }, "boom"},
		{"error", func() { panic(fmt.Errorf("wrapped: %w", io.ErrUnexpectedEOF)) }, "wrapped: unexpected EOF"},
		{"runtime error", func() {
			var s []int
			_ = s[len(s)] // index out of range
		}, "runtime error: index out of range [0] with length 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := testCommand("test-panic", func(stdout io.Writer) {
				fmt.Fprintln(stdout, "partial output")
				tt.panic()
			})
			code, stdout, stderr := runCLI([]*cobra.Command{cmd}, "test-panic")
			if code != exitError {
				t.Errorf("exit code %d, want %d", code, exitError)
			}
			if stdout != "partial output\n" {
				t.Errorf("stdout %q", stdout)
			}
			want := "lakerunner-iam: internal error: " + tt.value + "\nPlease report this with the spec that caused it.\n"
			if stderr != want {
				t.Errorf("stderr:\n%q\nwant:\n%q", stderr, want)
			}
		})
	}
}

// TestExitCodes covers the command line itself; lint and gen have their
// own tables for 0, 1 and 2.
func TestExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // text it must contain
		stderr string
	}{
		{"no arguments", nil, exitError, "", "Usage: lakerunner-iam <command> [flags]"},
		{"no arguments: the full help", nil, exitError, "", "  completion Generate the autocompletion script for the specified shell\n"},
		{"flags in the order declared", []string{"gen", "--help"}, exitOK, "  -o, --out string         Output directory (default \"out\")\n      --force  ", ""},
		{"help", []string{"help"}, exitOK, "Commands:\n", ""},
		{"--help", []string{"--help"}, exitOK, "  gen        Generate the Terraform modules for a spec\n", ""},
		{"-h", []string{"-h"}, exitOK, "Run 'lakerunner-iam <command> --help' for a command's flags.", ""},
		{"lint listed, check not", []string{"--help"}, exitOK, "  lint       Validate a spec and lint the IAM policies it generates\n  test", ""},
		{"unknown command", []string{"generate"}, exitError, "", "lakerunner-iam: unknown command \"generate\" for \"lakerunner-iam\"\nRun 'lakerunner-iam --help' for usage.\n"},
		{"mistyped command", []string{"linx"}, exitError, "", "lakerunner-iam: unknown command \"linx\" for \"lakerunner-iam\"\n\nDid you mean this?\n\tlint\n"},
		{"unknown flag", []string{"version", "--json"}, exitError, "", "lakerunner-iam version: unknown flag: --json\nRun 'lakerunner-iam version --help' for usage.\n"},
		{"control bytes in a flag", []string{"gen", "--\x1b[2J"}, exitError, "", "lakerunner-iam gen: unknown flag: --\\x1b[2J\n"},
		{"unknown root flag", []string{"--frobnicate"}, exitError, "", "lakerunner-iam: unknown flag: --frobnicate\n"},
		{"too many arguments", []string{"version", "extra"}, exitError, "", "lakerunner-iam version: takes no arguments\n"},
		{"version", []string{"version"}, exitOK, "lakerunner-iam dev\ncommit: unknown\ngo: go1.", ""},
		{"--version", []string{"--version"}, exitOK, "lakerunner-iam dev\ncommit: unknown\ngo: go1.", ""},
		{"command help", []string{"version", "--help"}, exitOK, "Usage: lakerunner-iam version [flags]", ""},
		{"bool flags without [=true|false]", []string{"gen", "--help"}, exitOK, "      --force       ", ""},
		{"completion bash", []string{"completion", "bash"}, exitOK, "# bash completion V2 for lakerunner-iam", ""},
		{"completion zsh", []string{"completion", "zsh"}, exitOK, "#compdef lakerunner-iam", ""},
		{"completion fish", []string{"completion", "fish"}, exitOK, "# fish completion for lakerunner-iam", ""},
		{"completion of a command", []string{"__complete", "l"}, exitOK, "lint\tValidate a spec", ""},
		{"completion of --format", []string{"__complete", "lint", "--format", ""}, exitOK, "text\njson\nsarif\n:4\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
			if tt.stderr == "" && stderr != "" && !strings.HasPrefix(tt.args[0], "__complete") {
				t.Errorf("unexpected stderr:\n%s", stderr)
			}
		})
	}
}

// TestHelpHasNoBoolNoise: no flag of any command is listed with pflag's
// "[=true|false]".
func TestHelpHasNoBoolNoise(t *testing.T) {
	for _, cmd := range []string{"gen", "lint", "version", "completion"} {
		_, stdout, _ := cli(t, cmd, "--help")
		if strings.Contains(stdout, "[=") {
			t.Errorf("%s --help:\n%s", cmd, stdout)
		}
	}
}

func TestVersionFromLinker(t *testing.T) {
	version, commit = "v1.2.3-4-gabcdef0-dirty", "abcdef0123"
	t.Cleanup(func() { version, commit = "", "" })
	code, stdout, _ := cli(t, "--version")
	if code != exitOK || !strings.HasPrefix(stdout, "lakerunner-iam v1.2.3-4-gabcdef0-dirty\ncommit: abcdef0123\ngo: go") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

func TestBuildInfoFrom(t *testing.T) {
	stamped := &debug.BuildInfo{
		Main:     debug.Module{Version: "v1.4.0"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abc"}, {Key: "vcs.modified", Value: "true"}},
	}
	tests := []struct {
		name            string
		info            *debug.BuildInfo
		linkVer, linkC  string
		version, commit string
	}{
		{"nothing known", nil, "", "", "dev", "unknown"},
		{"local build", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "", "", "dev", "unknown"},
		{"stamped by Go", stamped, "", "", "v1.4.0", "0123abc (modified)"},
		{"linker wins", stamped, "v1.4.0-3-gfff-dirty", "fffffff", "v1.4.0-3-gfff-dirty", "fffffff"},
	}
	for _, tt := range tests {
		version, commit = tt.linkVer, tt.linkC
		b := buildInfoFrom(tt.info)
		if b.Version != tt.version || b.Commit != tt.commit || !strings.HasPrefix(b.Go, "go") {
			t.Errorf("%s: %+v, want version %q, commit %q", tt.name, b, tt.version, tt.commit)
		}
	}
	version, commit = "", ""
}
