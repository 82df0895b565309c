package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	wordwrap "github.com/mitchellh/go-wordwrap"
	"github.com/pmezard/go-difflib/difflib"

	"github.com/cardinalhq/lakerunner-iam/outtree"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

func init() {
	register("gen", "Generate the Terraform modules for a spec", runGen)
}

const defaultSpec = "lakerunner.hcl"

func runGen(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gen", "[SPEC]",
		"Generates out/modules/<role-kind>/ and one root module per environment, out/<environment>/,\n"+
			"from SPEC (default "+defaultSpec+"). Nothing is written unless the whole spec is valid, and a\n"+
			"failed write leaves out/ as it was. Generated files the spec no longer implies are removed;\n"+
			"files without the generated header (such as *_override.tf) are never touched.\n\n"+
			"With --check or --diff, gen writes nothing: it exits 0 when out/ is up to date and 1 when not.", stderr)
	out := fs.StringP("out", "o", "out", "Output directory")
	force := fs.Bool("force", false, "Overwrite or remove generated files that were edited by hand")
	check := fs.Bool("check", false, "Write nothing; list the files that differ from what SPEC implies")
	diff := fs.Bool("diff", false, "Write nothing; print a unified diff of what gen would change")
	templates := fs.String("templates", "", "Directory of role templates that add role kinds or replace built-in ones (instead of the spec's templates_dir)")
	adopt := fs.Bool("adopt", false, "Import roles that already exist (e.g. made with the console guide): add out/<env>/imports.tf, as adopt = true in every environment")
	if code, done := fs.parse(args, stdout); done {
		return code
	}
	spec, ok := specArg(fs, stderr)
	if !ok {
		return exitUsage
	}

	res, diags := pipeline.Generate(spec, pipeline.Options{OutDir: *out, Adopt: *adopt, Templates: *templates})
	writeDiags(stderr, res.Parser, diags)
	if diags.HasErrors() {
		return exitInvalid
	}
	if *check || *diff {
		return checkTree(stdout, stderr, spec, *out, res.Files, *check, *diff)
	}
	changes, err := outtree.WriteTree(*out, res.Files, outtree.Options{Spec: spec, Force: *force})
	var conflicts *outtree.ErrConflicts
	if errors.As(err, &conflicts) {
		fmt.Fprintf(stderr, "lakerunner-iam gen: %s\n", conflicts)
		return exitInvalid
	}
	if err != nil {
		fmt.Fprintf(stderr, "lakerunner-iam gen: %s\nNothing under %s was changed.\n", err, *out)
		return exitInvalid
	}
	summarize(stdout, *out, changes)
	return exitOK
}

// specArg returns the SPEC argument or its default.
func specArg(fs *flagSet, stderr io.Writer) (string, bool) {
	switch fs.NArg() {
	case 0:
		return defaultSpec, true
	case 1:
		return fs.Arg(0), true
	}
	fmt.Fprintf(stderr, "lakerunner-iam %s: takes at most one SPEC, got %d arguments\nRun 'lakerunner-iam %s --help' for usage.\n", fs.Name(), fs.NArg(), fs.Name())
	return "", false
}

func summarize(w io.Writer, out string, changes []outtree.Change) {
	counts := map[outtree.ChangeKind]int{}
	for _, c := range changes {
		counts[c.Kind]++
	}
	fmt.Fprintf(w, "%s: %d created, %d updated, %d removed, %d unchanged.\n", out,
		counts[outtree.Missing], counts[outtree.Stale]+counts[outtree.HandEdit], counts[outtree.Extra], counts[outtree.Unchanged])
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
func checkTree(stdout, stderr io.Writer, spec, out string, files []outtree.File, list, diff bool) int {
	changes, err := outtree.Plan(out, files, outtree.Options{Spec: spec})
	if err != nil {
		fmt.Fprintf(stderr, "lakerunner-iam gen: %s\n", err)
		return exitInvalid
	}
	var differ []outtree.Change
	for _, c := range changes {
		if c.Kind != outtree.Unchanged {
			differ = append(differ, c)
		}
	}
	if len(differ) == 0 {
		fmt.Fprintf(stdout, "%s is up to date with %s (%d files).\n", out, spec, len(files))
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
			if err := writeFileDiff(stdout, out, c, want[c.Path]); err != nil {
				fmt.Fprintf(stderr, "lakerunner-iam gen: %s\n", err)
				return exitInvalid
			}
		}
	}
	if list {
		width := 0
		for _, c := range differ {
			width = max(width, len(c.Kind))
		}
		for _, c := range differ {
			fmt.Fprintf(stdout, "%-*s  %s: %s\n", width, c.Kind, outPath(out, c.Path), checkDescriptions[c.Kind])
		}
	}
	fmt.Fprintf(stdout, "%s is not up to date with %s: %d of its files differ. Run `lakerunner-iam gen` to update it.\n", out, spec, len(differ))
	return exitInvalid
}

// outPath is a generated file's path as the user named the directory.
func outPath(out, rel string) string {
	return filepath.ToSlash(filepath.Join(out, filepath.FromSlash(rel)))
}

// writeFileDiff writes the unified diff from the file as it is under out
// to what gen would leave there (nothing, for a file gen removes).
func writeFileDiff(w io.Writer, out string, c outtree.Change, want []byte) error {
	p := outPath(out, c.Path)
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

// diagWidth is the width diagnostic details are wrapped at.
const diagWidth = 100

// maxSnippetLines bounds the source lines shown for one diagnostic; a
// long list shows its first lines only.
const maxSnippetLines = 4

// writeDiags prints diagnostics the way Terraform prints its own, plus
// the column and a caret under the offending source:
//
//	Error: Unsupported argument
//
//	  on lakerunner.hcl:2:3, in environment "production":
//	   2:   acount_id = "123456789012"
//	          ^^^^^^^^^
//
//	An argument named "acount_id" is not expected here. Did you mean "account_id"?
func writeDiags(w io.Writer, parser *hclparse.Parser, diags hcl.Diagnostics) {
	if len(diags) == 0 {
		return
	}
	files := map[string]*hcl.File{}
	if parser != nil {
		files = parser.Files()
	}
	errs := 0
	for _, d := range diags {
		severity := "Warning"
		if d.Severity == hcl.DiagError {
			severity = "Error"
			errs++
		}
		fmt.Fprintf(w, "%s: %s\n\n", severity, d.Summary)
		if d.Subject != nil {
			writeSnippet(w, files[d.Subject.Filename], d)
		}
		if d.Detail != "" {
			fmt.Fprintf(w, "%s\n\n", wordwrap.WrapString(d.Detail, diagWidth))
		}
	}
	if errs > 0 {
		fmt.Fprintf(w, "%d error%s.\n", errs, plural(errs))
	}
}

// writeSnippet writes where a diagnostic is: file:line:col, the block it
// is in, the source lines and a caret line under the subject.
func writeSnippet(w io.Writer, file *hcl.File, d *hcl.Diagnostic) {
	subj := *d.Subject
	where := fmt.Sprintf("%s:%d:%d", subj.Filename, subj.Start.Line, subj.Start.Column)
	if file == nil || file.Bytes == nil {
		fmt.Fprintf(w, "  on %s:\n  (source code not available)\n\n", where)
		return
	}
	if cs, ok := file.Nav.(interface{ ContextString(offset int) string }); ok {
		if c := cs.ContextString(subj.Start.Byte); c != "" {
			where += ", in " + c
		}
	}
	fmt.Fprintf(w, "  on %s:\n", where)

	snip := subj
	if d.Context != nil {
		snip = hcl.RangeOver(subj, *d.Context)
	}
	first, last := snip.Start.Line, max(snip.End.Line, snip.Start.Line)
	if subj.End.Line > subj.Start.Line && subj.End.Column == 1 {
		last = max(first, last-1) // a range ending at a line's start does not show that line
	}
	shown := min(last, max(subj.Start.Line, first)+maxSnippetLines-1)
	sc := bufio.NewScanner(bytes.NewReader(file.Bytes))
	sc.Buffer(make([]byte, 0, 64*1024), len(file.Bytes)+1)
	for n := 1; sc.Scan() && n <= shown; n++ {
		if n < first {
			continue
		}
		line := strings.TrimRight(sc.Text(), "\r")
		fmt.Fprintf(w, "%4d: %s\n", n, line)
		if n == subj.Start.Line {
			fmt.Fprintf(w, "      %s\n", caret(line, subj))
		}
	}
	if shown < last {
		fmt.Fprintf(w, "      (%d more line%s)\n", last-shown, plural(last-shown))
	}
	fmt.Fprintln(w)
}

// caret returns the marker line for the subject's first line: spaces (and
// the line's own tabs) up to its start column, then ^ to its end on that
// line, at least one.
func caret(line string, subj hcl.Range) string {
	var b strings.Builder
	col := 1
	for _, r := range line {
		if col >= subj.Start.Column {
			break
		}
		if r == '\t' {
			b.WriteRune('\t')
		} else {
			b.WriteByte(' ')
		}
		col++
	}
	n := utf8.RuneCountInString(line) + 1 - subj.Start.Column
	if subj.End.Line == subj.Start.Line {
		n = subj.End.Column - subj.Start.Column
	}
	b.WriteString(strings.Repeat("^", max(n, 1)))
	return b.String()
}
