package main

import (
	"fmt"
	"io"
	"runtime/debug"
	"sort"
)

// Exit codes: what a script running lakerunner-iam can branch on.
const (
	exitOK      = 0 // done; for check, no finding at or above the threshold
	exitInvalid = 1 // invalid input, findings, or out/ not up to date
	exitUsage   = 2 // bad command line
)

// command is one subcommand.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

func register(name, summary string, run func(args []string, stdout, stderr io.Writer) int) {
	commands[name] = command{summary: summary, run: run}
}

func init() {
	register("version", "Print the version", runVersion)
}

// run is the whole CLI; tests call it in-process. No panic reaches the
// user: an unexpected one is reported as an internal error.
func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "lakerunner-iam: internal error: %v\nPlease report this with the spec that caused it.\n", p)
			code = exitInvalid
		}
	}()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "lakerunner-iam: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return cmd.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: lakerunner-iam <command> [flags] [SPEC]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Turns a Lakerunner deployment spec into Terraform modules for its IAM roles.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'lakerunner-iam <command> --help' for a command's flags.")
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("version", "", "Prints the version of lakerunner-iam.", stderr)
	if code, done := fs.parse(args, stdout); done {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "lakerunner-iam version: takes no arguments")
		return exitUsage
	}
	fmt.Fprintf(stdout, "lakerunner-iam %s\n", version())
	return exitOK
}

// buildVersion is set with -ldflags "-X main.buildVersion=v1.2.3".
var buildVersion = ""

func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
