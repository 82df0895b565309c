package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/spf13/cobra"

	"github.com/cardinalhq/lakerunner-iam/diag"
	"github.com/cardinalhq/lakerunner-iam/lint"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// failNever is the --fail-on value that never fails on findings.
const failNever = "never"

// lintOptions are the flags of lint.
type lintOptions struct {
	format, failOn, templates string
}

func (c *CLI) lintCommand() *cobra.Command {
	return c.newLintCommand("lint")
}

// checkCommand is lint under its old name, hidden, so that scripts and CI
// jobs written for it keep working while they move to lint; it says so on
// stderr.
func (c *CLI) checkCommand() *cobra.Command {
	cmd := c.newLintCommand("check")
	cmd.Hidden = true
	run := cmd.RunE
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		fmt.Fprintln(c.Stderr, "lakerunner-iam: 'check' is now 'lint' (same flags); the old name will be removed.")
		return run(cmd, args)
	}
	return cmd
}

func (c *CLI) newLintCommand(name string) *cobra.Command {
	var o lintOptions
	cmd := &cobra.Command{
		Use:   name + " [flags] [SPEC]",
		Short: "Validate a spec and lint the IAM policies it generates",
		Long: "Validates SPEC (default " + defaultSpec + ") like gen, then lints the IAM policies it would generate:\n" +
			"wildcards, unscoped resources, iam:PassRole, trust policies, unknown actions, size quotas.\n" +
			"Findings an accept block of the spec accepts are reported as accepted and do not fail lint.\n" +
			"Every format carries the spec's errors too: json and sarif print them in the document.\n\n" +
			"Exit status: 0 when no unaccepted finding reaches --fail-on, 2 when one does, 1 when the spec\n" +
			"is invalid or the command line is wrong.",
		Args:              specArgs,
		ValidArgsFunction: completeSpec,
		RunE: func(cmd *cobra.Command, args []string) error {
			code, err := c.runLint(cmd, o, specArg(args))
			c.code = code
			return err
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVarP(&o.format, "format", "f", "text", "Output format: text, json or sarif")
	fs.StringVar(&o.templates, "templates", "", "Directory of role templates that add role kinds or replace built-in ones (instead of the spec's templates_dir)")
	fs.StringVar(&o.failOn, "fail-on", lint.Warning.String(), "Lowest severity that fails lint: error, warning, info or never")
	_ = cmd.MarkFlagDirname("templates")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]cobra.Completion{"text", "json", "sarif"}, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions([]cobra.Completion{"error", "warning", "info", failNever}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// runLint lints spec. A usage error comes back as an error; everything
// else as an exit code.
func (c *CLI) runLint(cmd *cobra.Command, o lintOptions, spec string) (int, error) {
	writers := map[string]func(io.Writer, *lint.Report) error{
		"text": func(w io.Writer, r *lint.Report) error {
			return lint.WriteText(w, r, lint.TextOptions{Color: c.colorOut()})
		},
		"json": lint.WriteJSON,
		"sarif": func(w io.Writer, r *lint.Report) error {
			return lint.WriteSARIF(w, r, lint.SARIFOptions{ToolVersion: readBuildInfo().Version})
		},
	}
	format := strings.ToLower(o.format)
	write, ok := writers[format]
	if !ok {
		return exitError, &usageError{cmd: cmd.CommandPath(), msg: fmt.Sprintf("--format must be text, json or sarif, not %q", o.format)}
	}
	threshold, never := lint.Severity(0), strings.EqualFold(o.failOn, failNever)
	if !never {
		var err error
		if threshold, err = lint.ParseSeverity(o.failOn); err != nil {
			return exitError, &usageError{cmd: cmd.CommandPath(), msg: fmt.Sprintf("--fail-on must be error, warning, info or never, not %q", o.failOn)}
		}
	}

	model, parser, diags := pipeline.Options{Templates: o.templates}.Load(spec)
	// People read the spec's errors on stderr whatever the format; json
	// and sarif carry them in the document as well, for machines.
	c.writeDiags(parser, diags)
	if diags.HasErrors() && format == "text" {
		return exitError, nil
	}
	report := &lint.Report{Spec: spec}
	if !diags.HasErrors() {
		report = lint.Check(model)
	}
	report.Diagnostics = diag.Sorted(diags)
	if err := write(c.Stdout, report); err != nil {
		fmt.Fprintf(c.Stderr, "%s: %s\n", cmd.CommandPath(), err)
		return exitError, nil
	}
	switch {
	case diags.HasErrors():
		return exitError, nil
	case !never && len(report.Failing(threshold)) > 0:
		return exitIssues, nil
	}
	return exitOK, nil
}

// writeDiags prints diagnostics to stderr with the sources parser read.
func (c *CLI) writeDiags(parser *hclparse.Parser, diags hcl.Diagnostics) {
	var files map[string]*hcl.File
	if parser != nil {
		files = parser.Files()
	}
	_ = diag.Write(c.Stderr, diags, diag.Options{Files: files, Color: c.colorErr()})
}
