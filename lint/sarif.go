package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// SARIFOptions tune WriteSARIF.
type SARIFOptions struct {
	// ToolVersion is written as tool.driver.version when set.
	ToolVersion string
}

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	toolName     = "lakerunner-iam"
	toolInfoURI  = "https://github.com/cardinalhq/lakerunner-iam"
	fingerprintK = "lakerunnerIamFinding/v1"
)

// WriteSARIF renders the report as SARIF 2.1.0, the format code scanning
// tools (GitHub code scanning, GitLab, IDE viewers) read: one run whose
// tool.driver.rules is the rule table, and one result per finding with
// ruleId, level (error, warning, note), message and the spec location.
// Accepted findings carry an inSource suppression whose justification is
// the accept block's reason.
func WriteSARIF(w io.Writer, r *Report, opts SARIFOptions) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           toolName,
			InformationURI: toolInfoURI,
			Version:        opts.ToolVersion,
		}},
		Results:    []sarifResult{},
		ColumnKind: "unicodeCodePoints",
	}
	index := map[string]int{}
	for i, rule := range Rules {
		index[rule.Code] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   rule.Code,
			Name:                 rule.Name,
			ShortDescription:     sarifText{Text: rule.Summary},
			FullDescription:      sarifText{Text: rule.Summary + " Mirrors: " + rule.Mirrors + "."},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(rule.Severity)},
			Properties:           map[string]any{"tags": []string{"security", "iam"}},
		})
	}
	if len(r.Diagnostics) > 0 {
		// The spec's own errors are results too, so that code scanning
		// shows why nothing was checked; their rule is listed only then.
		i := len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   specRuleID,
			Name:                 specRuleID,
			ShortDescription:     sarifText{Text: "The spec is invalid: lakerunner-iam cannot generate or lint it."},
			FullDescription:      sarifText{Text: "The spec is invalid: lakerunner-iam cannot generate or lint it. Each result says where and how to fix it."},
			DefaultConfiguration: sarifConfig{Level: "error"},
		})
		for _, d := range r.Diagnostics {
			run.Results = append(run.Results, diagnosticResult(d, i, r.Spec))
		}
	}
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID:    f.Code,
			RuleIndex: index[f.Code],
			Level:     sarifLevel(f.Severity),
			Message:   sarifText{Text: sarifMessage(&f)},
			Locations: []sarifLocation{{
				PhysicalLocation: sarifPhysical(f.Range),
				LogicalLocations: []sarifLogical{{
					FullyQualifiedName: f.logicalName(),
					Kind:               "resource",
				}},
			}},
			PartialFingerprints: map[string]string{fingerprintK: f.fingerprint()},
			Properties: map[string]any{
				"environment": f.Environment,
				"roleKind":    f.RoleKind,
				"roleName":    f.RoleName,
				"hint":        f.Hint,
			},
		}
		if f.Accepted != nil {
			loc := sarifLocation{PhysicalLocation: sarifPhysical(f.Accepted.Range)}
			res.Suppressions = []sarifSuppression{{Kind: "inSource", Status: "accepted", Justification: f.Accepted.Reason, Location: &loc}}
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// specRuleID is the rule of the spec's own errors and warnings.
const specRuleID = "invalid-spec"

// diagnosticResult is a spec error or warning as a SARIF result, located
// at its subject, or at the spec file when it has none.
func diagnosticResult(d *hcl.Diagnostic, ruleIndex int, spec string) sarifResult {
	level := "error"
	if d.Severity == hcl.DiagWarning {
		level = "warning"
	}
	msg := d.Summary
	if d.Detail != "" {
		msg += ": " + d.Detail
	}
	loc := sarifPhysicalLocation{ArtifactLocation: sarifArtifact{URI: artifactURI(spec)}}
	if d.Subject != nil {
		loc = sarifPhysical(*d.Subject)
	}
	return sarifResult{
		RuleID:    specRuleID,
		RuleIndex: ruleIndex,
		Level:     level,
		Message:   sarifText{Text: msg},
		Locations: []sarifLocation{{PhysicalLocation: loc}},
	}
}

// sarifMessage is what code scanning shows of a finding: where, what, and
// how to fix or accept it.
func sarifMessage(f *Finding) string {
	msg := fmt.Sprintf("%s, environment %q: %s", capitalize(f.subject()), f.Environment, f.Message)
	if f.Hint != "" {
		msg += "\n\nHint: " + f.Hint
	}
	return msg
}

func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// logicalName is environment/role-kind[/policy[/statement]].
func (f *Finding) logicalName() string {
	parts := []string{f.Environment, f.RoleKind}
	if f.Policy != PolicyNone {
		parts = append(parts, string(f.Policy))
		if st := f.Statement(); st != "" {
			parts = append(parts, st)
		}
	}
	return strings.Join(parts, "/")
}

// fingerprint identifies a finding across runs, independently of line
// numbers, so that code scanning tracks it as the spec is edited.
func (f *Finding) fingerprint() string {
	fp := f.Code + "/" + f.logicalName()
	if f.Policy == PolicyNone {
		// Role-level findings (stale accepts): one per accept block.
		fp += fmt.Sprintf("/%x", fnv32(f.Message))
	}
	return fp
}

func fnv32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

func sarifPhysical(r hcl.Range) sarifPhysicalLocation {
	return sarifPhysicalLocation{
		ArtifactLocation: sarifArtifact{URI: artifactURI(r.Filename)},
		Region: &sarifRegion{
			StartLine:   r.Start.Line,
			StartColumn: r.Start.Column,
			EndLine:     r.End.Line,
			EndColumn:   r.End.Column,
		},
	}
}

// artifactURI is a file name as a URI reference: relative names stay
// relative (code scanning resolves them against the repository root),
// absolute ones become file: URIs.
func artifactURI(name string) string {
	p := filepath.ToSlash(name)
	if filepath.IsAbs(name) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // Windows drive letters
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	Results    []sarifResult `json:"results"`
	ColumnKind string        `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties,omitempty"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints,omitempty"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          map[string]any     `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	LogicalLocations []sarifLogical        `json:"logicalLocations,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifLogical struct {
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind,omitempty"`
}

type sarifSuppression struct {
	Kind          string         `json:"kind"`
	Status        string         `json:"status,omitempty"`
	Justification string         `json:"justification,omitempty"`
	Location      *sarifLocation `json:"location,omitempty"`
}
