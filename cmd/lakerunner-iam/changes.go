package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"

	"github.com/cardinalhq/lakerunner-iam/diag"
	"github.com/cardinalhq/lakerunner-iam/outtree"
)

// summarize lists each file gen created, updated or removed, by path,
// as `terraform fmt` lists the files it rewrote, then the counts.
func summarize(w io.Writer, p diag.Palette, out string, files []outtree.File, changes []outtree.Change) {
	wanted := map[string]bool{}
	for _, f := range files {
		wanted[f.Path] = true
	}
	type line struct {
		verb  string
		color diag.Color
		path  string
	}
	var lines []line
	counts := map[string]int{}
	for _, c := range changes {
		l := line{path: c.Path}
		switch {
		case c.Kind == outtree.Missing:
			l.verb, l.color = "created", diag.Green
		case c.Kind == outtree.Stale, c.Kind == outtree.HandEdit && wanted[c.Path]:
			l.verb, l.color = "updated", diag.Yellow
		case c.Kind == outtree.Extra, c.Kind == outtree.HandEdit:
			l.verb, l.color = "removed", diag.Red
		default:
			counts["unchanged"]++
			continue
		}
		counts[l.verb]++
		lines = append(lines, l)
	}
	slices.SortFunc(lines, func(a, b line) int { return cmp.Compare(a.path, b.path) })
	for _, l := range lines {
		fmt.Fprintf(w, "%s %s\n", p.Paint(l.color, l.verb), diag.Text(outPath(out, l.path)))
	}
	fmt.Fprintf(w, "%s: %d created, %d updated, %d removed, %d unchanged.\n", diag.Text(out),
		counts["created"], counts["updated"], counts["removed"], counts["unchanged"])
}
