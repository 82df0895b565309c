package lint

import (
	"encoding/json"
	"io"

	"github.com/cardinalhq/lakerunner-iam/diag"
)

// JSONFormatVersion is the version of the JSON output's schema. It changes
// only when a field is removed or changes meaning; new fields may be added
// without a change.
const JSONFormatVersion = "1"

// WriteJSON renders the report as one JSON object (indented, ending in a
// newline) with this schema, version JSONFormatVersion:
//
//	{
//	  "format_version": "1",
//	  "spec": "examples/lakerunner.hcl",        // the spec file as given
//	  "findings": [                             // in Report order
//	    {
//	      "code": "LR003",                      // stable rule code (see Rules)
//	      "rule": "resource-star",              // rule name
//	      "severity": "warning",                // "error", "warning" or "info"
//	      "environment": "production",
//	      "role": {"kind": "query-task", "name": "lakerunner-query-task-role"},
//	      "policy": "permissions",              // "trust", "permissions", or "" for the role as a whole
//	      "policy_name": "lakerunner-query-access", // the inline policy's name; "" unless policy is "permissions"
//	      "statement": {"sid": "CloudWatchAccess", "index": 3}, // null unless about one statement; index from 0
//	      "message": "...",
//	      "hint": "...",                        // how to fix or accept it in the spec
//	      "range": {                            // the spec range that causes it
//	        "filename": "examples/lakerunner.hcl",
//	        "start": {"line": 9, "column": 1, "byte": 344},
//	        "end": {"line": 9, "column": 25, "byte": 368}
//	      },
//	      "accepted": null                      // or {"reason": "...", "range": {...}}: the accept block
//	    }
//	  ],
//	  "summary": {"errors": 0, "warnings": 6, "info": 2, "accepted": 0}, // accepted findings are counted only in "accepted"
//	  "diagnostics": [                          // the spec's errors and warnings, sorted by position
//	    {
//	      "severity": "error",                  // "error" or "warning"; with an error, findings is empty
//	      "summary": "Missing required argument",
//	      "detail": "The argument \"region\" is required, but no definition was found.",
//	      "range": {...}                        // as above, or null when the problem has no place in a file
//	    }
//	  ]
//	}
//
// Lines and columns count from 1, bytes from 0, as in hcl.Pos; "end" is
// exclusive.
func WriteJSON(w io.Writer, r *Report) error {
	out := jsonReport{
		FormatVersion: JSONFormatVersion,
		Spec:          r.Spec,
		Findings:      []jsonFinding{},
		Summary:       r.Counts(),
		Diagnostics:   diag.JSONDiagnostics(r.Diagnostics),
	}
	for _, f := range r.Findings {
		jf := jsonFinding{
			Code:        f.Code,
			Rule:        f.Rule,
			Severity:    f.Severity,
			Environment: f.Environment,
			Role:        jsonRole{Kind: f.RoleKind, Name: f.RoleName},
			Policy:      string(f.Policy),
			PolicyName:  f.PolicyName,
			Message:     f.Message,
			Hint:        f.Hint,
			Range:       diag.NewJSONRange(f.Range),
		}
		if f.Index >= 0 {
			jf.Statement = &jsonStatement{Sid: f.Sid, Index: f.Index}
		}
		if f.Accepted != nil {
			jf.Accepted = &jsonAccepted{Reason: f.Accepted.Reason, Range: diag.NewJSONRange(f.Accepted.Range)}
		}
		out.Findings = append(out.Findings, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

type jsonReport struct {
	FormatVersion string                `json:"format_version"`
	Spec          string                `json:"spec"`
	Findings      []jsonFinding         `json:"findings"`
	Summary       Counts                `json:"summary"`
	Diagnostics   []diag.JSONDiagnostic `json:"diagnostics"`
}

type jsonFinding struct {
	Code        string         `json:"code"`
	Rule        string         `json:"rule"`
	Severity    Severity       `json:"severity"`
	Environment string         `json:"environment"`
	Role        jsonRole       `json:"role"`
	Policy      string         `json:"policy"`
	PolicyName  string         `json:"policy_name"`
	Statement   *jsonStatement `json:"statement"`
	Message     string         `json:"message"`
	Hint        string         `json:"hint"`
	Range       diag.JSONRange `json:"range"`
	Accepted    *jsonAccepted  `json:"accepted"`
}

type jsonRole struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

type jsonStatement struct {
	Sid   string `json:"sid"`
	Index int    `json:"index"`
}

type jsonAccepted struct {
	Reason string         `json:"reason"`
	Range  diag.JSONRange `json:"range"`
}
