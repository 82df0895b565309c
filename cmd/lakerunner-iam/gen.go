package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
	"github.com/spf13/cobra"

	"github.com/cardinalhq/lakerunner-iam/diag"
	"github.com/cardinalhq/lakerunner-iam/iameval"
	"github.com/cardinalhq/lakerunner-iam/outtree"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

const defaultSpec = "lakerunner.hcl"

// genOptions are the flags of gen.
type genOptions struct {
	out, templates                   string
	force, check, diff, adopt, quiet bool
}

func (c *CLI) genCommand() *cobra.Command {
	var o genOptions
	cmd := &cobra.Command{
		Use:   "gen [flags] [SPEC]",
		Short: "Generate the Terraform modules for a spec",
		Long: "Generates out/modules/<role-kind>/ and one root module per environment, out/<environment>/,\n" +
			"from SPEC (default " + defaultSpec + "). Nothing is written unless the whole spec is valid, and a\n" +
			"failed write leaves out/ as it was. Generated files the spec no longer implies are removed;\n" +
			"files without the generated header (such as *_override.tf) are never touched. gen lists each\n" +
			"file it creates, updates or removes.\n\n" +
			"With --check or --diff, gen writes nothing: it exits 0 when out/ is up to date, 2 when not,\n" +
			"and 1 when the spec is invalid.",
		Args:              specArgs,
		ValidArgsFunction: completeSpec,
		Run: func(cmd *cobra.Command, args []string) {
			c.code = c.runGen(o, specArg(args))
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVarP(&o.out, "out", "o", "out", "Output directory")
	fs.BoolVar(&o.force, "force", false, "Overwrite or remove generated files that were edited by hand")
	fs.BoolVar(&o.check, "check", false, "Write nothing; list the files that differ from what SPEC implies")
	fs.BoolVar(&o.diff, "diff", false, "Write nothing; print a unified diff of what gen would change")
	fs.StringVar(&o.templates, "templates", "", "Directory of role templates that add role kinds or replace built-in ones (instead of the spec's templates_dir)")
	fs.BoolVar(&o.adopt, "adopt", false, "Import roles that already exist (e.g. made with the console guide): add out/<env>/imports.tf, as adopt = true in every environment")
	fs.BoolVarP(&o.quiet, "quiet", "q", false, "Print nothing but errors (and the diff of --diff)")
	_ = cmd.MarkFlagDirname("out")
	_ = cmd.MarkFlagDirname("templates")
	return cmd
}

func (c *CLI) runGen(o genOptions, spec string) int {
	stdout, stderr := c.Stdout, c.Stderr
	if o.quiet {
		stdout = io.Discard
	}
	res, diags := pipeline.Generate(spec, pipeline.Options{OutDir: o.out, Adopt: o.adopt, Templates: o.templates})
	if !diags.HasErrors() {
		diags = append(diags, iameval.Warnings(res.Model)...) // an override broke a catalog expectation
	}
	c.writeDiags(res.Parser, diags)
	if diags.HasErrors() {
		return exitError
	}
	if o.check || o.diff {
		return checkTree(c.Stdout, stdout, stderr, spec, o.out, res.Files, o.check, o.diff)
	}
	changes, err := outtree.WriteTree(o.out, res.Files, outtree.Options{Spec: spec, Force: o.force})
	var conflicts *outtree.ErrConflicts
	if errors.As(err, &conflicts) {
		fmt.Fprintf(stderr, "lakerunner-iam gen: %s\n", conflicts)
		return exitError
	}
	if err != nil {
		fmt.Fprintf(stderr, "lakerunner-iam gen: %s\nNothing under %s was changed.\n", err, o.out)
		return exitError
	}
	summarize(stdout, diag.Palette{Enabled: !o.quiet && c.colorOut()}, o.out, res.Files, changes)
	return exitOK
}

// checkDescriptions say what each kind of difference means for gen.
var checkDescriptions = map[outtree.ChangeKind]string{
	outtree.Missing:     "gen creates it",
	outtree.Stale:       "out of date; gen updates it",
	outtree.Extra:       "the spec no longer implies it; gen removes it",
	outtree.HandEdit:    "edited by hand; gen refuses to overwrite or remove it without --force (keep the change in a *_override.tf file or the spec)",
	outtree.NotOurs:     "has no lakerunner-iam header; gen will not overwrite it (move it out of the way)",
	outtree.OtherSpec:   "generated from another spec that writes into this directory; gen will not overwrite it (give each spec its own --out)",
	outtree.Interrupted: "left by a gen run that was interrupted (or is still running); the next gen repairs the tree and removes it",
}

// checkTree compares out with files and reports, without writing, how
// they differ: a list (--check), a unified diff (--diff) or both.
func checkTree(diffOut, stdout, stderr io.Writer, spec, out string, files []outtree.File, list, diff bool) int {
	changes, err := outtree.Plan(out, files, outtree.Options{Spec: spec})
	if err != nil {
		fmt.Fprintf(stderr, "lakerunner-iam gen: %s\n", err)
		return exitError
	}
	var differ []outtree.Change
	for _, c := range changes {
		if c.Kind != outtree.Unchanged {
			differ = append(differ, c)
		}
	}
	if len(differ) == 0 {
		fmt.Fprintf(stdout, "%s is up to date with %s (%d files).\n", diag.Text(out), diag.Text(spec), len(files))
		return exitOK
	}
	if diff {
		want := map[string][]byte{}
		for _, f := range files {
			want[f.Path] = f.Content
		}
		for _, c := range differ {
			if c.Kind == outtree.Interrupted || c.Kind == outtree.OtherSpec {
				continue // gen does not change their content: no diff to show
			}
			if err := writeFileDiff(diffOut, out, c, want[c.Path]); err != nil {
				fmt.Fprintf(stderr, "lakerunner-iam gen: %s\n", err)
				return exitError
			}
		}
	}
	if list {
		width := 0
		for _, c := range differ {
			width = max(width, len(c.Kind))
		}
		for _, c := range differ {
			fmt.Fprintf(stdout, "%-*s  %s: %s\n", width, c.Kind, diag.Text(outPath(out, c.Path)), checkDescriptions[c.Kind])
		}
	}
	fmt.Fprintf(stdout, "%s is not up to date with %s: %d of its files differ. Run `lakerunner-iam gen` to update it.\n", diag.Text(out), diag.Text(spec), len(differ))
	return exitIssues
}

// outPath is a generated file's path as the user named the directory.
func outPath(out, rel string) string {
	return filepath.ToSlash(filepath.Join(out, filepath.FromSlash(rel)))
}

// diffPath names a generated file in diff headers relative to the working
// directory, so that `patch -p1` applies the diff from there; when the
// output directory is not below it (or cannot be resolved), relative to
// the output directory's parent: `patch -p1 -d <parent>`. Never an
// absolute path or "..", which patch refuses.
func diffPath(out, rel string) string {
	abs, err := filepath.Abs(filepath.Join(out, filepath.FromSlash(rel)))
	if err != nil {
		return filepath.ToSlash(filepath.Join(filepath.Base(out), filepath.FromSlash(rel)))
	}
	if wd, err := os.Getwd(); err == nil {
		if r, err := filepath.Rel(wd, abs); err == nil && filepath.IsLocal(r) {
			return filepath.ToSlash(r)
		}
	}
	absOut, _ := filepath.Abs(out) // resolved above, with the file below it
	return filepath.ToSlash(filepath.Join(filepath.Base(absOut), filepath.FromSlash(rel)))
}

// writeFileDiff writes the unified diff from the file as it is under out
// to what gen would leave there (nothing, for a file gen removes).
func writeFileDiff(w io.Writer, out string, c outtree.Change, want []byte) error {
	p := diffPath(out, c.Path)
	from, to := "a/"+p, "b/"+p
	var cur []byte
	if c.Kind == outtree.Missing {
		from = "/dev/null"
	} else {
		var err error
		if cur, err = os.ReadFile(filepath.Join(out, filepath.FromSlash(c.Path))); err != nil {
			return err
		}
	}
	if c.Kind == outtree.Extra || (c.Kind == outtree.HandEdit && want == nil) {
		to = "/dev/null"
	}
	return difflib.WriteUnifiedDiff(w, difflib.UnifiedDiff{
		A: diffLines(cur), B: diffLines(want),
		FromFile: from, ToFile: to,
		Context: 3,
	})
}

// diffLines splits text into lines that each end in a newline, marking a
// missing final newline the way diff does.
func diffLines(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	lines := strings.SplitAfter(string(b), "\n")
	if lines[len(lines)-1] == "" {
		return lines[:len(lines)-1]
	}
	lines[len(lines)-1] += "\n\\ No newline at end of file\n"
	return lines
}
