// Package diag prints hcl.Diagnostics for people the way Terraform prints
// its own errors, for every command of lakerunner-iam: sorted by file,
// line and column, with the source line and a caret under the subject.
//
// Everything printed is safe for a terminal: control characters from a
// spec (ESC, CR, …) are escaped, so a value cannot recolour the terminal,
// move the cursor or fake a line, and very long values are elided, so one
// huge value cannot flood the output.
package diag

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	wordwrap "github.com/mitchellh/go-wordwrap"
)

// Options tune Write.
type Options struct {
	// Files are the parsed sources by file name, for the snippets; a
	// diagnostic whose file is missing is printed without one.
	Files map[string]*hcl.File
	// Color marks severities and carets with ANSI colours.
	Color bool
}

// width is the width details are wrapped at.
const width = 100

// maxSnippetLines bounds the source lines shown for one diagnostic; a
// long list shows its first lines only.
const maxSnippetLines = 4

// Write prints diagnostics, sorted (see Sort), then a count of errors:
//
//	Error: Unsupported argument
//
//	  on lakerunner.hcl:2:3, in environment "production":
//	   2:   acount_id = "123456789012"
//	          ^^^^^^^^^
//
//	An argument named "acount_id" is not expected here. Did you mean "account_id"?
func Write(w io.Writer, diags hcl.Diagnostics, opts Options) error {
	if len(diags) == 0 {
		return nil
	}
	bw := bufio.NewWriter(w)
	p := Palette{Enabled: opts.Color}
	errs := 0
	for _, d := range Sorted(diags) {
		head, color := "Warning", Yellow
		if d.Severity == hcl.DiagError {
			head, color = "Error", Red
			errs++
		}
		fmt.Fprintf(bw, "%s %s\n\n", p.Paint(color+Bold, head+":"), p.Paint(Bold, Text(d.Summary)))
		if d.Subject != nil {
			writeSnippet(bw, opts.Files[d.Subject.Filename], d, p, color)
		}
		if d.Detail != "" {
			fmt.Fprintf(bw, "%s\n\n", Detail(wordwrap.WrapString(d.Detail, width))) // wrapped first, so an elision marker stays whole
		}
	}
	if errs > 0 {
		fmt.Fprintf(bw, "%d error%s.\n", errs, plural(errs))
	}
	return bw.Flush()
}

// Sorted returns the diagnostics ordered by file, line and column (those
// without a subject first), then by severity, summary and detail, so that
// the same spec always gives the same output whatever order the checks
// ran in.
func Sorted(diags hcl.Diagnostics) hcl.Diagnostics {
	out := slices.Clone(diags)
	slices.SortStableFunc(out, func(a, b *hcl.Diagnostic) int {
		return cmp.Or(
			comparePos(a.Subject, b.Subject),
			cmp.Compare(a.Severity, b.Severity), // errors before warnings
			strings.Compare(a.Summary, b.Summary),
			strings.Compare(a.Detail, b.Detail),
		)
	})
	return out
}

func comparePos(a, b *hcl.Range) int {
	switch {
	case a == nil || b == nil:
		return cmp.Compare(boolInt(a != nil), boolInt(b != nil))
	}
	return cmp.Or(
		strings.Compare(a.Filename, b.Filename),
		cmp.Compare(a.Start.Line, b.Start.Line),
		cmp.Compare(a.Start.Column, b.Start.Column),
	)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// writeSnippet writes where a diagnostic is: file:line:col, the block it
// is in, the source lines and a caret line under the subject.
func writeSnippet(w io.Writer, file *hcl.File, d *hcl.Diagnostic, p Palette, color Color) {
	subj := *d.Subject
	where := fmt.Sprintf("%s:%d:%d", Text(subj.Filename), subj.Start.Line, subj.Start.Column)
	if file == nil || file.Bytes == nil {
		fmt.Fprintf(w, "  on %s:\n  (source code not available)\n\n", where)
		return
	}
	if cs, ok := file.Nav.(interface{ ContextString(offset int) string }); ok {
		if c := cs.ContextString(subj.Start.Byte); c != "" {
			where += ", in " + Elide(Text(c), maxLine)
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
	n := 0
	for line := range bytes.Lines(file.Bytes) {
		n++
		if n > shown {
			break
		}
		if n < first {
			continue
		}
		text := strings.TrimRight(string(line), "\r\n")
		if n != subj.Start.Line {
			src, _ := window(text, 1, 1)
			fmt.Fprintf(w, "%4d: %s\n", n, src)
			continue
		}
		end := utf8.RuneCountInString(text) + 1
		if subj.End.Line == subj.Start.Line {
			end = subj.End.Column
		}
		src, caret := window(text, subj.Start.Column, end)
		fmt.Fprintf(w, "%4d: %s\n", n, src)
		fmt.Fprintf(w, "      %s\n", p.Paint(color, caret))
	}
	if shown < last {
		fmt.Fprintf(w, "      (%d more line%s)\n", last-shown, plural(last-shown))
	}
	fmt.Fprintln(w)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
