package lint

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/diag"
)

// TextOptions tune WriteText.
type TextOptions struct {
	// Color marks severities with ANSI colours, for a terminal.
	Color bool
}

var severityColors = map[Severity]diag.Color{Error: diag.Red, Warning: diag.Yellow, Info: diag.Cyan}

// WriteText renders the report for people, in the manner of `terraform
// validate`: per finding its severity, code and rule, the role, policy and
// statement, the spec position (file:line:col) with the source line, the
// message and a hint; accepted findings say so, with the reason. A summary
// line ends the output. Everything from the spec is escaped (diag.Text).
func WriteText(w io.Writer, r *Report, opts TextOptions) error {
	bw := bufio.NewWriter(w)
	p := diag.Palette{Enabled: opts.Color}
	for i := range r.Findings {
		f := &r.Findings[i]
		head, color := f.Severity.Title(), severityColors[f.Severity]
		if f.Accepted != nil {
			head, color = "Accepted "+f.Severity.String(), diag.Green
		}
		fmt.Fprintf(bw, "%s [%s] %s\n\n", p.Paint(color+diag.Bold, head+":"), f.Code, f.Rule)
		fmt.Fprintf(bw, "  with %s,\n", diag.Text(f.subject()))
		if f.Range.Filename != "" {
			fmt.Fprintf(bw, "  on %s, in environment %q:\n", position(f.Range), f.Environment)
			if line, ok := sourceLine(r.Sources[f.Range.Filename], f.Range.Start.Line); ok {
				fmt.Fprintf(bw, "  %3d: %s\n", f.Range.Start.Line, line)
			}
		} else {
			fmt.Fprintf(bw, "  in environment %q\n", f.Environment)
		}
		fmt.Fprintf(bw, "\n%s\n\n", diag.Detail(f.Message))
		if f.Accepted != nil {
			fmt.Fprintf(bw, "Accepted at %s: %s\n\n", position(f.Accepted.Range), diag.Text(f.Accepted.Reason))
		} else if f.Hint != "" {
			fmt.Fprintf(bw, "Hint: %s\n\n", diag.Detail(f.Hint))
		}
	}
	fmt.Fprintln(bw, summaryLine(r.Counts()))
	return bw.Flush()
}

// subject names the role, policy and statement of a finding.
func (f *Finding) subject() string {
	s := fmt.Sprintf("role %q (%s)", f.RoleKind, f.RoleName)
	switch f.Policy {
	case PolicyTrust:
		s += ", trust policy"
	case PolicyPermissions:
		s += fmt.Sprintf(", inline policy %q", f.PolicyName)
	}
	if st := f.Statement(); st != "" {
		s += ", statement " + st
	}
	return s
}

func position(r hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", diag.Text(r.Filename), r.Start.Line, r.Start.Column)
}

func sourceLine(src []byte, line int) (string, bool) {
	if src == nil || line < 1 {
		return "", false
	}
	lines := bytes.Split(src, []byte("\n"))
	if line > len(lines) {
		return "", false
	}
	// Detail keeps the line's tabs; a long line is cut in the middle.
	return diag.Elide(diag.Detail(strings.TrimRight(string(lines[line-1]), " \t\r")), 300), true
}

func summaryLine(c Counts) string {
	total := c.Errors + c.Warnings + c.Info
	if total == 0 && c.Accepted == 0 {
		return "No findings."
	}
	return fmt.Sprintf("%d %s (%d %s, %d %s, %d info), %d accepted.", total, plural(total, "finding", "findings"),
		c.Errors, plural(c.Errors, "error", "errors"), c.Warnings, plural(c.Warnings, "warning", "warnings"), c.Info, c.Accepted)
}
