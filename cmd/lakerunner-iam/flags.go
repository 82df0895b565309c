package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// help prints a command's help: usage, what it does, its commands and
// flags. It replaces cobra's template so that bool flags read "--force",
// not "--force[=true|false]".
func (c *CLI) help(cmd *cobra.Command, _ []string) {
	w := cmd.OutOrStdout()
	use := cmd.UseLine()
	if cmd.HasAvailableSubCommands() {
		use = cmd.CommandPath() + " <command> [flags]"
	}
	fmt.Fprintf(w, "Usage: %s\n\n", use)
	about := cmd.Long
	if about == "" {
		about = cmd.Short
	}
	fmt.Fprintf(w, "%s\n", strings.TrimSpace(about))
	if cmd.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\nCommands:\n")
		for _, sub := range cmd.Commands() {
			if sub.IsAvailableCommand() {
				fmt.Fprintf(w, "  %-10s %s\n", sub.Name(), sub.Short)
			}
		}
	}
	// Flags() rather than LocalFlags(): it keeps the order they were
	// declared in (SortFlags is off); commands have no persistent flags.
	if fs := cmd.Flags(); fs.HasAvailableFlags() {
		fmt.Fprintf(w, "\nFlags:\n")
		writeFlags(w, fs)
	}
	if cmd.HasAvailableSubCommands() {
		fmt.Fprintf(w, "\nRun '%s <command> --help' for a command's flags.\n", cmd.CommandPath())
	}
}

// writeFlags lists flags as pflag does, without its "[=true|false]"
// after every bool flag.
func writeFlags(w io.Writer, fs *pflag.FlagSet) {
	type row struct{ names, usage string }
	var rows []row
	width := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		names := "    "
		if f.Shorthand != "" {
			names = "-" + f.Shorthand + ", "
		}
		names += "--" + f.Name
		varname, usage := pflag.UnquoteUsage(f)
		if varname != "" {
			names += " " + varname
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "[]" {
			if f.Value.Type() == "string" {
				usage += fmt.Sprintf(" (default %q)", f.DefValue)
			} else {
				usage += fmt.Sprintf(" (default %s)", f.DefValue)
			}
		}
		rows = append(rows, row{names, usage})
		width = max(width, len(names))
	})
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s   %s\n", width, r.names, r.usage)
	}
}
