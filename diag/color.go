package diag

import (
	"io"
	"os"
)

// Color is an ANSI SGR attribute; several add up ("1;31").
type Color string

// The colours used: severities, and what gen changes.
const (
	Bold   Color = "1;"
	Red    Color = "31;"
	Yellow Color = "33;"
	Green  Color = "32;"
	Cyan   Color = "36;"
)

// Palette colours text for a terminal; the zero value leaves it plain.
type Palette struct{ Enabled bool }

// Paint wraps s in the colour's escape sequence and a reset.
func (p Palette) Paint(c Color, s string) string {
	if !p.Enabled || c == "" {
		return s
	}
	return "\x1b[" + string(c[:len(c)-1]) + "m" + s + "\x1b[0m"
}

// ColorFor reports whether output to w should be coloured: only a
// terminal, and not when NO_COLOR is set to anything (https://no-color.org).
// getenv is os.Getenv outside tests.
func ColorFor(w io.Writer, getenv func(string) string) bool {
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
