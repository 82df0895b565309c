package main

import (
	"encoding/json"
	"io"

	"github.com/cardinalhq/lakerunner-iam/diag"
	"github.com/cardinalhq/lakerunner-iam/iameval"
	"github.com/cardinalhq/lakerunner-iam/policy"
	"github.com/hashicorp/hcl/v2"
)

// The JSON forms of explain's and test's output. Ranges and diagnostics
// are diag's JSON forms, as lint's output has them.

// jsonRange is a place in a source file, null when there is none.
func jsonRange(r hcl.Range) *diag.JSONRange {
	rng := diag.NewJSONRange(r)
	return &rng
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
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
	Range         *diag.JSONRange `json:"range"`  // where it was written; null when generated
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
		jm.Origin, jm.Range = "spec", jsonRange(o.Spec.DefRange)
	case o.Template != nil:
		jm.Origin, jm.Range = "catalog", jsonRange(o.Template.DefRange)
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
	Environment string                `json:"environment"`
	Role        jsonRole              `json:"role"`
	Request     jsonRequest           `json:"request"`
	Decision    string                `json:"decision"` // allowed, explicitly_denied or implicitly_denied
	Reason      string                `json:"reason"`
	Deciding    []jsonMatch           `json:"deciding_statements"`
	NearMisses  []jsonNearMiss        `json:"near_misses"`      // implicit deny: Allow statements whose conditions failed
	Unknown     []string              `json:"unknown_policies"` // attached policies whose content is not known: not evaluated
	Diagnostics []diag.JSONDiagnostic `json:"diagnostics"`
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
		Diagnostics: []diag.JSONDiagnostic{},
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
