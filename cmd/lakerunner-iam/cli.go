package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/cardinalhq/lakerunner-iam/diag"
)

// Exit codes, as tflint's: what a script running lakerunner-iam can
// branch on.
const (
	exitOK     = 0 // done: no finding at --fail-on, output up to date
	exitError  = 1 // invalid spec or templates, I/O error, bad command line
	exitIssues = 2 // lint: findings at --fail-on; gen --check/--diff: output not up to date
)

// CLI is the whole command line; tests run it in-process.
type CLI struct {
	Stdout, Stderr io.Writer
	// Getenv reads the environment (NO_COLOR).
	Getenv func(string) string

	// code is what the command that ran returns.
	code int
	// extra are commands added by tests.
	extra []*cobra.Command
}

// NewCLI returns the CLI writing to stdout and stderr.
func NewCLI(stdout, stderr io.Writer) *CLI {
	return &CLI{Stdout: stdout, Stderr: stderr, Getenv: os.Getenv}
}

// usageError is a bad command line: its message, then where to get help.
type usageError struct {
	cmd string // "lakerunner-iam gen"
	msg string
}

func (e *usageError) Error() string { return e.msg }

// Run runs the command args name and returns its exit code. No panic
// reaches the user: an unexpected one is reported as an internal error.
func (c *CLI) Run(args []string) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(c.Stderr, "lakerunner-iam: internal error: %v\nPlease report this with the spec that caused it.\n", p)
			code = exitError
		}
	}()
	root := c.root()
	if len(args) == 0 {
		// What ExecuteC would add before printing help.
		root.InitDefaultHelpFlag()
		root.InitDefaultVersionFlag()
		root.InitDefaultCompletionCmd()
		root.SetOut(c.Stderr)
		c.help(root, nil)
		return exitError
	}
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err != nil {
		var ue *usageError
		name := cmd.CommandPath()
		if errors.As(err, &ue) {
			name = ue.cmd
		}
		// The message may quote the command line; Detail escapes it.
		fmt.Fprintf(c.Stderr, "%s: %s\nRun '%s --help' for usage.\n", name, diag.Detail(err.Error()), name)
		return exitError
	}
	return c.code
}

// root builds the command tree afresh, so that runs share no flag values.
func (c *CLI) root() *cobra.Command {
	root := &cobra.Command{
		Use:           "lakerunner-iam",
		Short:         "Turns a Lakerunner deployment spec into Terraform modules for its IAM roles.",
		Version:       versionText(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.Flags().SortFlags = false
	root.SetOut(c.Stdout)
	root.SetErr(c.Stderr)
	root.SetVersionTemplate("{{.Version}}")
	root.SetHelpFunc(c.help)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &usageError{cmd: cmd.CommandPath(), msg: err.Error()}
	})
	root.AddCommand(c.initCommand(), c.genCommand(), c.lintCommand(), c.importCommand(), c.checkCommand(), c.explainCommand(), c.iamTestCommand(), c.versionCommand())
	root.AddCommand(c.extra...)
	return root
}

// colorOut and colorErr say whether to colour what goes to stdout and
// stderr.
func (c *CLI) colorOut() bool { return diag.ColorFor(c.Stdout, c.Getenv) }
func (c *CLI) colorErr() bool { return diag.ColorFor(c.Stderr, c.Getenv) }

// specArgs accepts at most one SPEC argument.
func specArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 1 {
		return &usageError{cmd: cmd.CommandPath(), msg: fmt.Sprintf("takes at most one SPEC, got %d arguments", len(args))}
	}
	return nil
}

// specArg returns the SPEC argument or its default.
func specArg(args []string) string {
	if len(args) == 0 {
		return defaultSpec
	}
	return args[0]
}

// completeSpec offers spec files for SPEC in shell completion.
func completeSpec(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return []cobra.Completion{"hcl", "json"}, cobra.ShellCompDirectiveFilterFileExt
}
