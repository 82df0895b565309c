package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Set by the Makefile with -ldflags "-X main.version=... -X main.commit=...",
// for builds where Go records no VCS information (GOFLAGS=-buildvcs=false,
// or a build outside the repository).
var (
	version = ""
	commit  = ""
)

// buildInfo is what the binary knows of its version: set by the linker,
// else the module version and VCS revision Go stamped into the binary.
type buildInfo struct {
	Version, Commit, Go, Platform string
	Modified                      bool
}

func readBuildInfo() buildInfo {
	info, _ := debug.ReadBuildInfo()
	return buildInfoFrom(info)
}

// buildInfoFrom prefers what the linker set (version, commit) to what Go
// recorded in info (nil when nothing was).
func buildInfoFrom(info *debug.BuildInfo) buildInfo {
	b := buildInfo{Version: version, Commit: commit, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info != nil {
		if b.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && b.Commit == "":
				b.Commit = s.Value
			case s.Key == "vcs.modified" && s.Value == "true" && commit == "":
				b.Modified = true
			}
		}
	}
	if b.Version == "" {
		b.Version = "dev"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	if b.Modified {
		b.Commit += " (modified)"
	}
	return b
}

// versionText is what --version and the version command print.
func versionText() string {
	b := readBuildInfo()
	return fmt.Sprintf("lakerunner-iam %s\ncommit: %s\ngo: %s %s\n", b.Version, b.Commit, b.Go, b.Platform)
}

func (c *CLI) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and Go version",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return &usageError{cmd: cmd.CommandPath(), msg: "takes no arguments"}
			}
			return nil
		},
		Run: func(cmd *cobra.Command, args []string) {
			fmt.Fprint(c.Stdout, versionText())
			c.code = exitOK
		},
	}
}
