package diag

import "github.com/hashicorp/hcl/v2"

// The JSON form of diagnostics and source ranges, shared by every
// command's -f json output, so a tool reads a spec error the same way
// whichever command reported it.

// JSONPos is a position in a source file.
type JSONPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// JSONRange is a source range, as hcl.Range.
type JSONRange struct {
	Filename string  `json:"filename"`
	Start    JSONPos `json:"start"`
	End      JSONPos `json:"end"`
}

// NewJSONRange converts an hcl.Range.
func NewJSONRange(r hcl.Range) JSONRange {
	return JSONRange{
		Filename: r.Filename,
		Start:    JSONPos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:      JSONPos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
	}
}

// JSONDiagnostic is one diagnostic.
type JSONDiagnostic struct {
	Severity string     `json:"severity"` // "error" or "warning"
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail"`
	Range    *JSONRange `json:"range"` // null when the problem has no place in a file
}

// JSONDiagnostics converts diagnostics, an empty list for none.
func JSONDiagnostics(diags hcl.Diagnostics) []JSONDiagnostic {
	out := []JSONDiagnostic{}
	for _, d := range diags {
		jd := JSONDiagnostic{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
		}
		if d.Subject != nil {
			rng := NewJSONRange(*d.Subject)
			jd.Range = &rng
		}
		out = append(out, jd)
	}
	return out
}
