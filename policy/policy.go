// Package policy is the in-memory form of an IAM policy document.
//
// The generator evaluates the role catalog into these documents so that the
// policies a spec implies can be checked (size limits, lint, guide
// conformance, read-back after apply) without running Terraform. They render
// to the same JSON shape as Terraform's aws_iam_policy_document data source.
package policy

import (
	"bytes"
	"encoding/json"
	"sort"
)

// Version is the only policy language version the generator writes.
const Version = "2012-10-17"

// Document is an IAM policy: a permissions policy or a trust policy.
type Document struct {
	Statements []Statement
}

// Statement is one IAM policy statement. Lists keep the order the catalog
// gives them; IAM gives no meaning to that order.
type Statement struct {
	Sid          string
	Effect       string // "Allow" or "Deny"
	Actions      []string
	NotActions   []string
	Resources    []string
	NotResources []string
	Principals   []Principal
	Conditions   []Condition
}

// Principal is a principal block: a type ("AWS", "Service", "Federated",
// "*") and the identifiers of that type.
type Principal struct {
	Type        string
	Identifiers []string
}

// Condition is one condition operator applied to one key.
type Condition struct {
	Test     string // e.g. StringEquals, ArnLike, Bool
	Variable string // the condition key, e.g. aws:SourceAccount
	Values   []string
}

// JSON renders the document as compact IAM policy JSON with stable key
// order. Single-element lists render as arrays; IAM treats both alike.
func (d Document) JSON() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // IAM counts characters; keep & < > as they are
	if err := enc.Encode(d.wire()); err != nil {
		// Only strings, slices and maps of them are marshalled: cannot fail.
		panic(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// IndentedJSON renders the document for people to read.
func (d Document) IndentedJSON() []byte {
	var buf bytes.Buffer
	if err := json.Indent(&buf, d.JSON(), "", "  "); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Size is the length IAM counts against its quotas: the policy text without
// white space outside strings, as the compact JSON is.
func (d Document) Size() int { return len(d.JSON()) }

type wireDoc struct {
	Version   string          `json:"Version"`
	Statement []wireStatement `json:"Statement"`
}

type wireStatement struct {
	Sid         string                         `json:"Sid,omitempty"`
	Effect      string                         `json:"Effect"`
	Principal   map[string][]string            `json:"Principal,omitempty"`
	Action      []string                       `json:"Action,omitempty"`
	NotAction   []string                       `json:"NotAction,omitempty"`
	Resource    []string                       `json:"Resource,omitempty"`
	NotResource []string                       `json:"NotResource,omitempty"`
	Condition   map[string]map[string][]string `json:"Condition,omitempty"`
}

func (d Document) wire() wireDoc {
	w := wireDoc{Version: Version, Statement: []wireStatement{}}
	for _, s := range d.Statements {
		ws := wireStatement{
			Sid:         s.Sid,
			Effect:      s.Effect,
			Action:      s.Actions,
			NotAction:   s.NotActions,
			Resource:    s.Resources,
			NotResource: s.NotResources,
		}
		if ws.Effect == "" {
			ws.Effect = "Allow"
		}
		for _, p := range s.Principals {
			if ws.Principal == nil {
				ws.Principal = map[string][]string{}
			}
			ws.Principal[p.Type] = append(ws.Principal[p.Type], p.Identifiers...)
		}
		for _, c := range s.Conditions {
			if ws.Condition == nil {
				ws.Condition = map[string]map[string][]string{}
			}
			if ws.Condition[c.Test] == nil {
				ws.Condition[c.Test] = map[string][]string{}
			}
			ws.Condition[c.Test][c.Variable] = append(ws.Condition[c.Test][c.Variable], c.Values...)
		}
		w.Statement = append(w.Statement, ws)
	}
	return w
}

// AllowedActions returns every action named by an Allow statement,
// sorted and without duplicates.
func (d Document) AllowedActions() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range d.Statements {
		if s.Effect != "" && s.Effect != "Allow" {
			continue
		}
		for _, a := range s.Actions {
			if !seen[a] {
				seen[a] = true
				out = append(out, a)
			}
		}
	}
	sort.Strings(out)
	return out
}
