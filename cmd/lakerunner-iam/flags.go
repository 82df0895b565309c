package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

// flagSet is a subcommand's flags plus what its --help says.
type flagSet struct {
	*pflag.FlagSet
	args  string // the positional arguments, e.g. "[SPEC]"
	about string // what the command does
}

func newFlagSet(name, args, about string, stderr io.Writer) *flagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, args: args, about: about}
}

// parse parses args; done reports that the command should return code now
// (after --help, or on a usage error).
func (fs *flagSet) parse(args []string, stdout io.Writer) (code int, done bool) {
	help := fs.BoolP("help", "h", false, "Show this help")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(fs.Output(), "lakerunner-iam %s: %s\nRun 'lakerunner-iam %s --help' for usage.\n", fs.Name(), err, fs.Name())
		return exitUsage, true
	}
	if *help {
		fmt.Fprintf(stdout, "Usage: lakerunner-iam %s [flags] %s\n\n%s\n\nFlags:\n%s", fs.Name(), fs.args, fs.about, fs.FlagUsages())
		return exitOK, true
	}
	return 0, false
}
