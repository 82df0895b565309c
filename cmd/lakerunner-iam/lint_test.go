package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	// The examples are lint-clean (TestExamplesLintClean); this spec
	// keeps the guide's over-grants as findings.
	checkFindingsSpec = "../../testdata/specs/full.hcl"
	checkCleanSpec    = "../../lint/testdata/clean.hcl"
)

// writeCheckSpec writes spec text to a temporary file.
func writeCheckSpec(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "lakerunner.hcl")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLint(t *testing.T) {
	t.Parallel()
	clean, err := os.ReadFile(checkCleanSpec)
	if err != nil {
		t.Fatal(err)
	}
	// The clean spec without its accept block: only the Lambda trust's
	// advisory (info) remains.
	infoOnly := writeCheckSpec(t, strings.Replace(string(clean), `accept "LR010"`, `accept "LR001"`, 1))
	infoOnlyNoAccept := writeCheckSpec(t, strings.Replace(string(clean),
		"    accept \"LR010\" {\n      reason = \"Lambda assumes this role only for our own migration function; the catalog's trust has no source ARN to pin.\"\n    }\n", "", 1))
	invalid := writeCheckSpec(t, "environment \"prod\" {\n  account_id = \"123456789012\"\n}\n")
	escapes := writeCheckSpec(t, strings.Replace(string(clean), `reason = "Lambda assumes`, `reason = "Reviewed\u001b[2J\rError: fake. Lambda assumes`, 1))

	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string // substrings
		stderr     []string
		emptyOut   bool
		jsonOutput bool
	}{
		{
			name: "the guide's over-grants fail as warnings",
			args: []string{checkFindingsSpec}, code: exitIssues,
			stdout: []string{
				"Warning: [LR003] resource-star",
				"statement CloudWatchAccess",
				"logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents are allowed on every resource",
				"testdata/specs/full.hcl:4:1",
				"7 findings (0 errors, 5 warnings, 2 info), 0 accepted.",
			},
		},
		{name: "fail on errors only", args: []string{"--fail-on", "error", checkFindingsSpec}, code: exitOK, stdout: []string{"7 findings"}},
		{name: "never fail", args: []string{"--fail-on=never", checkFindingsSpec}, code: exitOK, stdout: []string{"7 findings"}},
		{name: "fail on info", args: []string{"--fail-on", "info", checkFindingsSpec}, code: exitIssues},
		{
			name: "json", args: []string{"-f", "json", checkFindingsSpec}, code: exitIssues, jsonOutput: true,
			stdout: []string{`"format_version": "1"`, `"code": "LR006"`, `"sid": "PassRole"`},
		},
		{
			name: "sarif", args: []string{"--format", "sarif", checkFindingsSpec}, code: exitIssues, jsonOutput: true,
			stdout: []string{`"version": "2.1.0"`, `"ruleId": "LR003"`, `"uri": "../../testdata/specs/full.hcl"`},
		},
		{
			name: "clean spec passes, reporting what it accepts", args: []string{checkCleanSpec}, code: exitOK,
			stdout: []string{"Accepted info: [LR010]", "0 findings (0 errors, 0 warnings, 0 info), 1 accepted."},
		},
		{
			name: "accepted finding in SARIF is suppressed", args: []string{"-f", "sarif", checkCleanSpec}, code: exitOK, jsonOutput: true,
			stdout: []string{`"kind": "inSource"`, `"justification": "Lambda assumes this role only for our own migration function`},
		},
		{
			name: "info does not fail by default", args: []string{infoOnlyNoAccept}, code: exitOK,
			stdout: []string{"Info: [LR010]", "1 finding (0 errors, 0 warnings, 1 info), 0 accepted."},
		},
		{name: "info fails with --fail-on info", args: []string{"--fail-on", "info", infoOnlyNoAccept}, code: exitIssues},
		{
			name: "stale accept fails", args: []string{infoOnly}, code: exitIssues,
			stdout: []string{"Warning: [LR015] stale-accept", `No LR001 (allow-all-actions) finding is reported for role "migration-lambda"`},
		},
		{
			name: "invalid spec", args: []string{invalid}, code: exitError, emptyOut: true,
			stderr: []string{"Error: Missing required argument", "1 error."},
		},
		{
			name: "missing spec", args: []string{filepath.Join(t.TempDir(), "nope.hcl")}, code: exitError, emptyOut: true,
			stderr: []string{"Cannot read spec file"},
		},
		{name: "bad format", args: []string{"-f", "xml", checkFindingsSpec}, code: exitError, emptyOut: true, stderr: []string{"--format must be text, json or sarif"}},
		{name: "bad fail-on", args: []string{"--fail-on", "critical", checkFindingsSpec}, code: exitError, emptyOut: true, stderr: []string{"--fail-on must be error, warning, info or never"}},
		{name: "two specs", args: []string{checkFindingsSpec, checkCleanSpec}, code: exitError, emptyOut: true, stderr: []string{"takes at most one SPEC"}},
		{name: "unknown flag", args: []string{"--fix", checkFindingsSpec}, code: exitError, emptyOut: true, stderr: []string{"unknown flag: --fix"}},
		{name: "help", args: []string{"--help"}, code: exitOK, stdout: []string{"Usage: lakerunner-iam lint [flags] [SPEC]", "--fail-on", "--format"}},
		{
			name: "invalid spec as json", args: []string{"-f", "json", invalid}, code: exitError, jsonOutput: true,
			stdout: []string{`"findings": []`, `"diagnostics": [`, `"severity": "error"`, `"summary": "Missing required argument"`, `"filename": "` + invalid + `"`, `"line": 1`},
			stderr: []string{"Error: Missing required argument"},
		},
		{
			name: "invalid spec as sarif", args: []string{"-f", "sarif", invalid}, code: exitError, jsonOutput: true,
			stdout: []string{`"ruleId": "invalid-spec"`, `"level": "error"`, `"message": {` + "\n" + `            "text": "Missing required argument: `, `"startLine": 1`},
			stderr: []string{"Error: Missing required argument"},
		},
		{
			name: "missing spec as json", args: []string{"-f", "json", filepath.Join(t.TempDir(), "nope.hcl")}, code: exitError, jsonOutput: true,
			stdout: []string{`"summary": "Cannot read spec file"`},
		},
		{
			name: "control bytes of an accept reason are escaped", args: []string{escapes}, code: exitOK,
			stdout: []string{`Accepted info: [LR010]`, `: Reviewed\x1b[2J\rError: fake`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, append([]string{"lint"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if tt.emptyOut && stdout != "" {
				t.Errorf("stdout should be empty:\n%s", stdout)
			}
			if tt.jsonOutput && !json.Valid([]byte(stdout)) {
				t.Errorf("stdout is not JSON:\n%s", stdout)
			}
			if strings.ContainsAny(stdout+stderr, "\x1b\r") {
				t.Errorf("raw control bytes in the output:\n%q", stdout+stderr)
			}
		})
	}
}

// TestCheckIsDeprecatedLint: the old name still lints, and says that it
// is now lint.
func TestCheckIsDeprecatedLint(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := cli(t, "check", checkFindingsSpec)
	if code != exitIssues || !strings.Contains(stdout, "7 findings") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	if stderr != "lakerunner-iam: 'check' is now 'lint' (same flags); the old name will be removed.\n" {
		t.Errorf("stderr %q", stderr)
	}
}
