package main

import (
	"encoding/json"
	"io"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/iameval"
	"github.com/cardinalhq/lakerunner-iam/policy"
)

// The JSON forms of explain's and test's output. Ranges are file, line
// and column as the spec's diagnostics give them.

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

func newJSONRange(r hcl.Range) *jsonRange {
	return &jsonRange{r.Filename, jsonPos{r.Start.Line, r.Start.Column}, jsonPos{r.End.Line, r.End.Column}}
}

type jsonDiagnostic struct {
	Severity string     `json:"severity"` // "error" or "warning"
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail"`
	Range    *jsonRange `json:"range"` // null when the problem has no place in a file
}

func jsonDiagnostics(diags hcl.Diagnostics) []jsonDiagnostic {
	out := []jsonDiagnostic{}
	for _, d := range diags {
		jd := jsonDiagnostic{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
		}
		if d.Subject != nil {
			jd.Range = newJSONRange(*d.Subject)
		}
		out = append(out, jd)
	}
	return out
}

type jsonRole struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	ARN  string `json:"arn"`
}

type jsonPrincipal struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

type jsonRequest struct {
	Action    string              `json:"action"`
	Resource  string              `json:"resource"`
	Principal *jsonPrincipal      `json:"principal"` // null for what the role itself may do
	Context   map[string][]string `json:"context"`   // as given; the keys AWS adds are not listed
}

// jsonMatch is one deciding statement.
type jsonMatch struct {
	Policy        string          `json:"policy"`      // the policy's name, or "trust policy"
	PolicyKind    iameval.Kind    `json:"policy_kind"` // identity, permissions_boundary or trust
	PolicyVersion string          `json:"policy_version,omitempty"`
	Index         int             `json:"index"` // the statement's index in the policy, from 0
	Sid           string          `json:"sid"`
	Origin        string          `json:"origin"` // catalog, spec, trusted_principal_arns, trust_service or aws_managed
	Range         *jsonRange      `json:"range"`  // where it was written; null when generated
	Where         string          `json:"where"`
	Statement     json.RawMessage `json:"statement"` // as IAM stores it
}

func newJSONMatch(m iameval.Match) jsonMatch {
	jm := jsonMatch{
		Policy: m.Policy.Name, PolicyKind: m.Policy.Kind, PolicyVersion: m.Policy.Version,
		Index: m.Index, Sid: m.Statement.Sid, Where: m.Where(),
	}
	o := m.Origin()
	switch {
	case m.Policy.Version != "":
		jm.Origin = "aws_managed"
	case o.Spec != nil:
		jm.Origin, jm.Range = "spec", newJSONRange(o.Spec.DefRange)
	case o.Template != nil:
		jm.Origin, jm.Range = "catalog", newJSONRange(o.Template.DefRange)
	case o.TrustedPrincipals:
		jm.Origin = "trusted_principal_arns"
	default:
		jm.Origin = "trust_service"
	}
	var doc struct{ Statement []json.RawMessage }
	if err := json.Unmarshal(policy.Document{Statements: []policy.Statement{m.Statement}}.JSON(), &doc); err != nil {
		panic(err) // our own rendering: cannot fail
	}
	jm.Statement = doc.Statement[0]
	return jm
}

type jsonCondition struct {
	Test   string   `json:"test"`
	Key    string   `json:"key"`
	Values []string `json:"values"`
}

type jsonNearMiss struct {
	jsonMatch
	Failed []jsonCondition `json:"failed_conditions"`
}

type jsonExplain struct {
	Environment string           `json:"environment"`
	Role        jsonRole         `json:"role"`
	Request     jsonRequest      `json:"request"`
	Decision    string           `json:"decision"` // allowed, explicitly_denied or implicitly_denied
	Reason      string           `json:"reason"`
	Deciding    []jsonMatch      `json:"deciding_statements"`
	NearMisses  []jsonNearMiss   `json:"near_misses"`      // implicit deny: Allow statements whose conditions failed
	Unknown     []string         `json:"unknown_policies"` // attached policies whose content is not known: not evaluated
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
}

func explainJSON(e explained) jsonExplain {
	r := e.role.Role
	out := jsonExplain{
		Environment: e.env.Spec.Name,
		Role:        jsonRole{Kind: r.Kind(), Name: r.Name, ARN: r.ARN()},
		Request:     jsonRequest{Action: e.req.Action, Resource: e.req.Resource, Context: e.context},
		Decision:    string(e.result.Decision),
		Reason:      e.result.Reason,
		Deciding:    []jsonMatch{},
		NearMisses:  []jsonNearMiss{},
		Unknown:     append([]string{}, e.role.Unknown...),
		Diagnostics: []jsonDiagnostic{},
	}
	if p := e.req.Principal; p != nil {
		out.Request.Principal = &jsonPrincipal{p.Type, p.ID}
	}
	for _, m := range e.result.Deciding {
		out.Deciding = append(out.Deciding, newJSONMatch(m))
	}
	for _, m := range e.result.NearMisses {
		nm := jsonNearMiss{jsonMatch: newJSONMatch(m.Match), Failed: []jsonCondition{}}
		for _, c := range m.Failed {
			nm.Failed = append(nm.Failed, jsonCondition{c.Test, c.Variable, c.Values})
		}
		out.NearMisses = append(out.NearMisses, nm)
	}
	return out
}
