package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cardinalhq/lakerunner-iam/diag"
	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/iameval"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// testOptions are the flags of test.
type testOptions struct {
	env, format, templates string
}

// iamTestCommand is `test`: the name testCommand is the tests' helper.
func (c *CLI) iamTestCommand() *cobra.Command {
	var o testOptions
	cmd := &cobra.Command{
		Use:   "test [flags] [SPEC]",
		Short: "Check every role's expectations and trust offline",
		Long: "Evaluates, offline and with AWS's policy evaluation logic, every expectation of the roles SPEC\n" +
			"(default " + defaultSpec + ") generates, in every environment: the catalog's expect blocks and the spec's\n" +
			"(in role and service blocks). Then the trust each role implies: the principal its trust names may\n" +
			"assume it with the request context the environment gives it (its account, a source ARN of its own,\n" +
			"the ExternalId, MFA), and near misses may not (another account or service, each required condition\n" +
			"key left out or given another value).\n\n" +
			"Exit status: 0 when every check holds, 2 when one does not, 1 when the spec is invalid or the\n" +
			"command line is wrong.",
		Args:              specArgs,
		ValidArgsFunction: completeSpec,
		RunE: func(cmd *cobra.Command, args []string) error {
			code, err := c.runTest(cmd, o, specArg(args))
			c.code = code
			return err
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVarP(&o.format, "format", "f", "text", "Output format: text, json or junit (JUnit XML, for CI)")
	fs.StringVar(&o.env, "env", "", "Check only this environment")
	fs.StringVar(&o.templates, "templates", "", "Directory of role templates that add role kinds or replace built-in ones (instead of the spec's templates_dir)")
	_ = cmd.MarkFlagDirname("templates")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]cobra.Completion{"text", "json", "junit"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// testReport is every outcome of every environment checked.
type testReport struct {
	spec string
	envs []*generator.Environment
	// outcomes holds each environment's, in envs' order.
	outcomes [][]iameval.Outcome
}

func (r *testReport) counts() (outcomes, failed, checks int) {
	for _, os := range r.outcomes {
		for _, o := range os {
			outcomes++
			checks += len(o.Checks)
			if !o.Passed() {
				failed++
			}
		}
	}
	return outcomes, failed, checks
}

func (c *CLI) runTest(cmd *cobra.Command, o testOptions, spec string) (int, error) {
	writers := map[string]func(io.Writer, *testReport) error{
		"text":  writeTestText,
		"json":  writeTestJSON,
		"junit": writeTestJUnit,
	}
	format := strings.ToLower(o.format)
	write, ok := writers[format]
	if !ok {
		return exitError, &usageError{cmd: cmd.CommandPath(), msg: fmt.Sprintf("--format must be text, json or junit, not %q", o.format)}
	}
	model, parser, diags := pipeline.Options{Templates: o.templates}.Load(spec)
	report := &testReport{spec: spec}
	if !diags.HasErrors() {
		envs := model.Environments
		if o.env != "" {
			env, d := findEnv(model, o.env)
			diags = append(diags, d...)
			envs = []*generator.Environment{env}
		}
		if !diags.HasErrors() {
			report.envs = envs
			for _, env := range envs {
				report.outcomes = append(report.outcomes, iameval.CheckEnvironment(env))
			}
		}
	}
	c.writeDiags(parser, diags)
	if diags.HasErrors() {
		switch format {
		case "json":
			_ = writeJSON(c.Stdout, jsonTestReport{FormatVersion: "1", Spec: spec, Environments: []jsonTestEnv{}, Diagnostics: diag.JSONDiagnostics(diags)})
		case "junit":
			_ = writeTestJUnitErrors(c.Stdout, spec, diags)
		}
		return exitError, nil
	}
	if err := write(c.Stdout, report); err != nil {
		fmt.Fprintf(c.Stderr, "%s: %s\n", cmd.CommandPath(), err)
		return exitError, nil
	}
	if _, failed, _ := report.counts(); failed > 0 {
		return exitIssues, nil
	}
	return exitOK, nil
}

// outcomeOrigin is where an outcome's expectation was written, "" for a
// trust property.
func outcomeOrigin(o iameval.Outcome) (kind, where string) {
	x := o.Expectation
	switch {
	case x == nil:
		return "trust", ""
	case x.Origin.Template != nil:
		return "catalog", x.Origin.Range().String()
	}
	return "spec", x.Origin.Range().String()
}

// mustText says what a check needed.
func mustText(c iameval.Check) string {
	if c.Allow {
		return "must be allowed"
	}
	return "must not be allowed"
}

func writeTestText(w io.Writer, r *testReport) error {
	var b strings.Builder
	for i, env := range r.envs {
		fmt.Fprintf(&b, "Environment %s (account %s, %s)\n", env.Spec.Name, env.Spec.AccountID, env.Spec.Region)
		for _, o := range r.outcomes[i] {
			status := "ok  "
			if !o.Passed() {
				status = "FAIL"
			}
			_, where := outcomeOrigin(o)
			if where != "" {
				where = "  " + where
			}
			fmt.Fprintf(&b, "  %s %-16s %s (%s)%s\n", status, o.Role.Kind(), diag.Text(o.Name), count(len(o.Checks), "request"), where)
			for _, c := range o.Failed() {
				note := ""
				if c.Note != "" {
					note = " (" + c.Note + ")"
				}
				fmt.Fprintf(&b, "       %s%s: %s, %s\n", diag.Text(c.Describe()), diag.Text(note), strings.ReplaceAll(string(c.Result.Decision), "_", " "), mustText(c))
				for _, m := range c.Result.Deciding {
					fmt.Fprintf(&b, "         by %s %s\n", m.Statement.Effect, m.Where())
				}
				for _, m := range c.Result.NearMisses {
					fmt.Fprintf(&b, "         not by %s: its conditions fail\n", m.Where())
				}
			}
		}
	}
	outcomes, failed, checks := r.counts()
	fmt.Fprintf(&b, "%s and trust properties (%s), %d failed.\n", count(outcomes, "expectation"), count(checks, "request"), failed)
	_, err := io.WriteString(w, b.String())
	return err
}

// count is n things, in the singular for one.
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
