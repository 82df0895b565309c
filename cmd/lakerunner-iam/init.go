package main

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/cardinalhq/lakerunner-iam/diag"
)

// starters are the commented specs init writes, one per catalog and
// platform: starters/<catalog>-<platform>.hcl.
//
//go:embed starters/*.hcl
var starters embed.FS

// Catalogs and platforms init offers, the default first.
var (
	initCatalogs  = []string{"console-guide", "tiers"}
	initPlatforms = []string{"ecs", "eks"}
)

func starter(catalog, platform string) ([]byte, error) {
	return starters.ReadFile("starters/" + catalog + "-" + platform + ".hcl")
}

func (c *CLI) initCommand() *cobra.Command {
	var catalog, platform string
	cmd := &cobra.Command{
		Use:   "init [flags]",
		Short: "Write a commented starter spec, " + defaultSpec + ", into the current directory",
		Long: "Writes " + defaultSpec + " into the current directory: a commented spec for the chosen catalog and\n" +
			"platform, with every service deployed, that gen and lint accept as it is. Set its account_id,\n" +
			"region and resources to yours. init never overwrites an existing " + defaultSpec + ".",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case !slices.Contains(initCatalogs, catalog):
				return &usageError{cmd: cmd.CommandPath(), msg: fmt.Sprintf("--catalog must be %s or %s, not %q", initCatalogs[0], initCatalogs[1], catalog)}
			case !slices.Contains(initPlatforms, platform):
				return &usageError{cmd: cmd.CommandPath(), msg: fmt.Sprintf("--platform must be %s or %s, not %q", initPlatforms[0], initPlatforms[1], platform)}
			}
			src, err := starter(catalog, platform)
			if err != nil {
				return err // every catalog × platform has one (TestInitStarters)
			}
			c.code = c.runInit(src, catalog, platform)
			return nil
		},
	}
	flags := cmd.Flags()
	flags.SortFlags = false
	flags.StringVar(&catalog, "catalog", initCatalogs[0], "Role catalog: console-guide (the IAM console guide) or tiers (one task role per tier)")
	flags.StringVar(&platform, "platform", initPlatforms[0], "What runs Lakerunner: ecs or eks")
	_ = cmd.RegisterFlagCompletionFunc("catalog", cobra.FixedCompletions(initCatalogs, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("platform", cobra.FixedCompletions(initPlatforms, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// runInit writes the starter, refusing to replace anything: O_EXCL fails
// on an existing file and on a dangling symbolic link alike.
func (c *CLI) runInit(src []byte, catalog, platform string) int {
	f, err := os.OpenFile(defaultSpec, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		fmt.Fprintf(c.Stderr, "lakerunner-iam init: %s already exists; nothing was written. Edit it, or run init in another directory.\n", defaultSpec)
		return exitError
	}
	if err == nil {
		_, err = f.Write(src)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(defaultSpec) // a partial starter would only mislead
		}
	}
	if err != nil {
		fmt.Fprintf(c.Stderr, "lakerunner-iam init: %s\n", diag.Text(err.Error()))
		return exitError
	}
	fmt.Fprintf(c.Stdout, "Wrote %s (catalog %s, platform %s). Set account_id, region and resources to yours, then run `lakerunner-iam lint` and `lakerunner-iam gen`.\n", defaultSpec, catalog, platform)
	return exitOK
}
