package diag

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of what one value may take on the terminal.
const (
	maxWord   = 300  // runes of one run of non-space characters: an ARN IAM accepts fits
	maxDetail = 4000 // runes of a whole detail
	maxLine   = 300  // runes of a source line shown in a snippet
)

// Text makes a one-line string from a spec, or about one, safe to print:
// control characters (newlines too) are escaped and long runs of
// non-space characters elided.
func Text(s string) string { return elideWords(escape(s, false)) }

// Detail is Text for a text of several lines: newlines are kept, the
// whole is bounded too.
func Detail(s string) string { return Elide(elideWords(escape(s, true)), maxDetail) }

// Elide shortens s to about max runes by cutting out its middle and
// saying how much was cut.
func Elide(s string, max int) string {
	n := utf8.RuneCountInString(s)
	if n <= max {
		return s
	}
	r := []rune(s)
	head, tail := max*2/3, max/3
	return fmt.Sprintf("%s…[%d characters elided]…%s", string(r[:head]), n-head-tail, string(r[n-tail:]))
}

func elideWords(s string) string {
	if utf8.RuneCountInString(s) <= maxWord {
		return s
	}
	words := strings.FieldsFunc(s, unicode.IsSpace)
	for _, w := range words {
		if utf8.RuneCountInString(w) > maxWord {
			s = strings.Replace(s, w, Elide(w, maxWord), 1)
		}
	}
	return s
}

// escape replaces what a terminal would interpret rather than show: C0
// and C1 control characters, DEL, invalid UTF-8 and the bidirectional
// overrides that reorder how a line reads. keepNewlines keeps '\n' (and
// tabs) for text whose lines are its own.
func escape(s string, keepNewlines bool) string {
	if isPlain(s, keepNewlines) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keepNewlines && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		default:
			b.WriteString(escapeRune(r))
		}
		i += size
	}
	return b.String()
}

func isPlain(s string, keepNewlines bool) bool {
	for _, r := range s {
		if r == utf8.RuneError || needsEscape(r) && !(keepNewlines && (r == '\n' || r == '\t')) {
			return false
		}
	}
	return true
}

func needsEscape(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)
}

// escapeRune is r as printed: itself, or an escape as Go writes it.
func escapeRune(r rune) string {
	if !needsEscape(r) {
		return string(r)
	}
	switch r {
	case '\n':
		return `\n`
	case '\r':
		return `\r`
	case '\t':
		return `\t`
	}
	if r < 0x100 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// window returns a source line as printed, escaped and cut to about
// maxLine runes around the columns [start, end), and the caret line that
// marks those columns under it (the line's own tabs kept so they align).
func window(line string, start, end int) (src, caret string) {
	// Columns count from 1. Only the runes that can be shown are looked
	// at, so a line of megabytes costs no more than a short one.
	from := max(0, start-1-maxLine/3)
	col, i := 1, 0
	for ; i < len(line) && col <= from; col++ {
		_, size := utf8.DecodeRuneInString(line[i:])
		i += size
	}
	var s, c strings.Builder
	if from > 0 {
		s.WriteString("…")
		c.WriteByte(' ')
	}
	width, marks := 0, 0
	for ; i < len(line); col++ {
		r, size := utf8.DecodeRuneInString(line[i:])
		text := escapeRune(r)
		switch {
		case r == '\t':
			text = "\t"
		case r == utf8.RuneError && size == 1:
			text = fmt.Sprintf(`\x%02x`, line[i])
		}
		n := utf8.RuneCountInString(text)
		if width+n > maxLine {
			s.WriteString("…")
			break
		}
		width += n
		s.WriteString(text)
		switch {
		case col < start && r == '\t':
			c.WriteByte('\t')
		case col < start:
			c.WriteString(strings.Repeat(" ", n))
		case col < end:
			marks += n
		}
		i += size
	}
	c.WriteString(strings.Repeat("^", max(marks, 1)))
	return s.String(), c.String()
}
