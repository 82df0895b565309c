package main

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

// withCommand registers a command for one test.
func withCommand(t *testing.T, name string, run func(args []string, stdout, stderr io.Writer) int) {
	t.Helper()
	if _, taken := commands[name]; taken {
		t.Fatalf("command %q exists", name)
	}
	register(name, "test only", run)
	t.Cleanup(func() { delete(commands, name) })
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
			var m map[string]int
			m["x"]++ // assignment to entry in nil map
		}, "assignment to entry in nil map"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			withCommand(t, "test-panic", func(args []string, stdout, stderr io.Writer) int {
				fmt.Fprintln(stdout, "partial output")
				tt.panic()
				return exitOK
			})
			code, stdout, stderr := cli(t, "test-panic")
			if code != exitInvalid {
				t.Errorf("exit code %d, want %d", code, exitInvalid)
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

func TestExitCodes(t *testing.T) {
	withCommand(t, "test-fail", func(args []string, stdout, stderr io.Writer) int { return exitInvalid })
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // text it must contain
		stderr string
	}{
		{"no arguments", nil, exitUsage, "Usage: lakerunner-iam <command> [flags] [SPEC]", ""},
		{"help", []string{"help"}, exitOK, "Commands:\n", ""},
		{"--help", []string{"--help"}, exitOK, "  gen        Generate the Terraform modules for a spec\n", ""},
		{"-h", []string{"-h"}, exitOK, "Run 'lakerunner-iam <command> --help' for a command's flags.", ""},
		{"unknown command", []string{"generate"}, exitUsage, "", "lakerunner-iam: unknown command \"generate\"\n\nUsage:"},
		{"unknown flag", []string{"version", "--json"}, exitUsage, "", "lakerunner-iam version: unknown flag: --json\n"},
		{"too many arguments", []string{"version", "extra"}, exitUsage, "", "lakerunner-iam version: takes no arguments\n"},
		{"version", []string{"version"}, exitOK, "lakerunner-iam dev\n", ""},
		{"command help", []string{"version", "--help"}, exitOK, "Usage: lakerunner-iam version [flags]", ""},
		{"command failure", []string{"test-fail"}, exitInvalid, "", ""},
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
			if tt.stderr == "" && stderr != "" {
				t.Errorf("unexpected stderr:\n%s", stderr)
			}
		})
	}
}
