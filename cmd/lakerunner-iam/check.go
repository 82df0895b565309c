package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/cardinalhq/lakerunner-iam/lint"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

func init() {
	register("check", "Validate a spec and lint the IAM policies it generates", runCheck)
}

// failNever is the --fail-on value that never fails on findings.
const failNever = "never"

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", "[SPEC]",
		"Validates SPEC (default "+defaultSpec+") like gen, then lints the IAM policies it would generate:\n"+
			"wildcards, unscoped resources, iam:PassRole, trust policies, unknown actions, size quotas.\n"+
			"Findings an accept block of the spec accepts are reported as accepted and do not fail the check.\n\n"+
			"Exit status: 0 when no unaccepted finding reaches --fail-on, 1 when one does or the spec is\n"+
			"invalid, 2 on a usage error.", stderr)
	format := fs.StringP("format", "f", "text", "Output format: text, json or sarif")
	templates := fs.String("templates", "", "Directory of role templates that add role kinds or replace built-in ones (instead of the spec's templates_dir)")
	failOn := fs.String("fail-on", lint.Warning.String(), "Lowest severity that fails the check: error, warning, info or never")
	if code, done := fs.parse(args, stdout); done {
		return code
	}
	writers := map[string]func(io.Writer, *lint.Report) error{
		"text": lint.WriteText,
		"json": lint.WriteJSON,
		"sarif": func(w io.Writer, r *lint.Report) error {
			return lint.WriteSARIF(w, r, lint.SARIFOptions{ToolVersion: version()})
		},
	}
	write, ok := writers[strings.ToLower(*format)]
	if !ok {
		fmt.Fprintf(stderr, "lakerunner-iam check: --format must be text, json or sarif, not %q\n", *format)
		return exitUsage
	}
	threshold, never := lint.Severity(0), strings.EqualFold(*failOn, failNever)
	if !never {
		var err error
		if threshold, err = lint.ParseSeverity(*failOn); err != nil {
			fmt.Fprintf(stderr, "lakerunner-iam check: --fail-on must be error, warning, info or never, not %q\n", *failOn)
			return exitUsage
		}
	}
	spec, ok := specArg(fs, stderr)
	if !ok {
		return exitUsage
	}

	model, parser, diags := pipeline.Options{Templates: *templates}.Load(spec)
	writeDiags(stderr, parser, diags)
	if diags.HasErrors() {
		return exitInvalid
	}
	report := lint.Check(model)
	if err := write(stdout, report); err != nil {
		fmt.Fprintf(stderr, "lakerunner-iam check: %s\n", err)
		return exitInvalid
	}
	if !never && len(report.Failing(threshold)) > 0 {
		return exitInvalid
	}
	return exitOK
}
