// Package lint checks the IAM policies a spec would generate, the way
// checkov, parliament and IAM Access Analyzer check policies, but on the
// evaluated model (generator.Model) rather than on Terraform or JSON: every
// finding names the environment, role and statement it is about and points
// at the place in the spec that causes it, with a hint saying how to fix it
// in the spec or accept it there.
//
// Rules are listed in rules.go (Rules); each has a stable code (LR001…)
// that a spec uses to accept a finding:
//
//	role "query-task" {
//	  accept "LR003" {
//	    sid    = "CloudWatchAccess"
//	    reason = "Reviewed: ..."
//	  }
//	}
//
// Check runs the rules; WriteText, WriteJSON and WriteSARIF render a Report.
// Text output escapes control characters from the spec (diag.Text), so an
// accept reason or a value cannot drive the terminal.
package lint

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Severity is how bad a finding is.
type Severity int

// Severities, in increasing order.
const (
	Info Severity = iota
	Warning
	Error
)

var severityNames = [...]string{Info: "info", Warning: "warning", Error: "error"}

func (s Severity) String() string {
	if s < Info || s > Error {
		return fmt.Sprintf("Severity(%d)", int(s))
	}
	return severityNames[s]
}

// Title is the severity as a heading word: "Error", "Warning", "Info".
func (s Severity) Title() string {
	n := s.String()
	return strings.ToUpper(n[:1]) + n[1:]
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if strings.EqualFold(s, n) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("%q is not a severity (error, warning or info)", s)
}

// MarshalText makes severities render as their names in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err == nil {
		*s = v
	}
	return err
}

// Policy names which policy of a role a finding is about.
type Policy string

// The policies of a role; PolicyNone is for findings about the role or its
// spec block as a whole (a stale accept).
const (
	PolicyTrust       Policy = "trust"
	PolicyPermissions Policy = "permissions"
	PolicyNone        Policy = ""
)

// Finding is one problem with one role's policies.
type Finding struct {
	Code     string
	Rule     string
	Severity Severity

	Environment string
	RoleKind    string
	RoleName    string

	// Policy is the policy the finding is about; PolicyName is the inline
	// policy's name when Policy is PolicyPermissions.
	Policy     Policy
	PolicyName string
	// Sid is the statement's Sid, "" when it has none or the finding is not
	// about one statement; Index is the statement's position in the policy
	// (from 0), -1 when the finding is not about one statement.
	Sid   string
	Index int

	Message string
	// Hint says how to fix the finding in the spec, or accept it there.
	Hint string
	// Range is the part of the spec that causes the finding: the spec
	// statement, the role block, the spec attribute the policy is built
	// from, or the environment block.
	Range hcl.Range

	// Accepted is set when the role's spec block, or its catalog template, accepts the finding.
	Accepted *Accepted
}

// Accepted is the accept block (of the spec or the catalog) that matched a finding.
type Accepted struct {
	Reason string
	Range  hcl.Range
}

// Statement names the finding's statement for people: its Sid, "#n"
// (from 1) when it has none, or "" when the finding is not about a
// statement.
func (f *Finding) Statement() string {
	switch {
	case f.Index < 0:
		return ""
	case f.Sid != "":
		return f.Sid
	}
	return fmt.Sprintf("#%d", f.Index+1)
}

// Report is the result of checking a model.
type Report struct {
	// Spec is the spec file as it was given.
	Spec string
	// Findings in a stable order: by environment and role (catalog order),
	// then trust before permissions, by statement, by code; role-level
	// findings and stale accepts last.
	Findings []Finding
	// Sources holds the spec source by file name, to print snippets.
	Sources map[string][]byte
	// Diagnostics are the spec's errors and warnings, sorted. When one is
	// an error the spec could not be checked and Findings is empty.
	// WriteJSON and WriteSARIF render them; WriteText leaves them to the
	// caller, which prints them with package diag.
	Diagnostics hcl.Diagnostics
}

// Counts are findings by severity, not counting accepted ones, and the
// number of accepted findings.
type Counts struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Info     int `json:"info"`
	Accepted int `json:"accepted"`
}

// Counts counts the report's findings.
func (r *Report) Counts() Counts {
	var c Counts
	for _, f := range r.Findings {
		switch {
		case f.Accepted != nil:
			c.Accepted++
		case f.Severity == Error:
			c.Errors++
		case f.Severity == Warning:
			c.Warnings++
		default:
			c.Info++
		}
	}
	return c
}

// Failing returns the findings that are not accepted and at least as severe
// as threshold.
func (r *Report) Failing(threshold Severity) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Accepted == nil && f.Severity >= threshold {
			out = append(out, f)
		}
	}
	return out
}
