package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// Parse reads an IAM policy document in AWS's JSON form: identity, trust
// and resource policies as IAM stores them and AWS publishes its managed
// policies. Statement may be one object or a list; Action, NotAction,
// Resource, NotResource, principal identifiers and condition values may
// be one string or a list; a principal may be "*". Conditions are read
// with their keys in sorted order, since JSON objects have none. Elements
// this package cannot represent (NotPrincipal) are refused rather than
// dropped, so that no parsed policy grants more than the text does.
func Parse(data []byte) (Document, error) {
	var wire struct {
		Version   string
		Id        string
		Statement json.RawMessage
	}
	if err := strict(data, &wire); err != nil {
		return Document{}, err
	}
	if wire.Version != Version {
		return Document{}, fmt.Errorf("element Version is %q; the policy language this package evaluates is %q", wire.Version, Version)
	}
	var raw []json.RawMessage
	if trimmed := bytes.TrimSpace(wire.Statement); len(trimmed) > 0 && trimmed[0] == '{' {
		raw = []json.RawMessage{wire.Statement}
	} else if err := json.Unmarshal(wire.Statement, &raw); err != nil {
		return Document{}, fmt.Errorf("element Statement: %w", err)
	}
	var doc Document
	for i, r := range raw {
		st, err := parseStatement(r)
		if err != nil {
			return Document{}, fmt.Errorf("statement %d: %w", i+1, err)
		}
		doc.Statements = append(doc.Statements, st)
	}
	return doc, nil
}

func parseStatement(data []byte) (Statement, error) {
	var w struct {
		Sid                   string
		Effect                string
		Action, NotAction     stringOrList
		Resource, NotResource stringOrList
		Principal             json.RawMessage
		Condition             map[string]map[string]stringOrList
	}
	if err := strict(data, &w); err != nil {
		return Statement{}, err
	}
	if w.Effect != "Allow" && w.Effect != "Deny" {
		return Statement{}, fmt.Errorf("element Effect %q is neither Allow nor Deny", w.Effect)
	}
	if (len(w.Action) == 0) == (len(w.NotAction) == 0) {
		return Statement{}, fmt.Errorf("needs exactly one of Action and NotAction")
	}
	if len(w.Resource) > 0 && len(w.NotResource) > 0 {
		return Statement{}, fmt.Errorf("has both Resource and NotResource")
	}
	st := Statement{Sid: w.Sid, Effect: w.Effect, Actions: w.Action, NotActions: w.NotAction, Resources: w.Resource, NotResources: w.NotResource}
	principals, err := parsePrincipal(w.Principal)
	if err != nil {
		return Statement{}, err
	}
	st.Principals = principals
	for _, test := range slices.Sorted(maps.Keys(w.Condition)) {
		for _, key := range slices.Sorted(maps.Keys(w.Condition[test])) {
			st.Conditions = append(st.Conditions, Condition{Test: test, Variable: key, Values: w.Condition[test][key]})
		}
	}
	return st, nil
}

// parsePrincipal reads "*" or an object of principal type to identifiers.
func parsePrincipal(data json.RawMessage) ([]Principal, error) {
	if len(bytes.TrimSpace(data)) == 0 || string(bytes.TrimSpace(data)) == "null" {
		return nil, nil
	}
	var star string
	if err := json.Unmarshal(data, &star); err == nil {
		if star != "*" {
			return nil, fmt.Errorf("element Principal %q: a principal is \"*\" or an object such as {\"AWS\": \"...\"}", star)
		}
		return []Principal{{Type: "*", Identifiers: []string{"*"}}}, nil
	}
	var m map[string]stringOrList
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("element Principal: %w", err)
	}
	var out []Principal
	for _, t := range slices.Sorted(maps.Keys(m)) {
		out = append(out, Principal{Type: t, Identifiers: m[t]})
	}
	return out, nil
}

func strict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// stringOrList is an IAM policy element that may be one value or a list.
// Condition values may be written as JSON booleans or numbers
// ("aws:MultiFactorAuthPresent": true); IAM compares their text.
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(b []byte) error {
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // an account ID written as a number keeps its digits
	if err := dec.Decode(&v); err != nil {
		return err
	}
	scalar := func(v any) (string, bool) {
		switch x := v.(type) {
		case string:
			return x, true
		case bool:
			return strconv.FormatBool(x), true
		case json.Number:
			return x.String(), true
		}
		return "", false
	}
	if one, ok := scalar(v); ok {
		*s = []string{one}
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return fmt.Errorf("want a string or a list of strings, got %s", b)
	}
	out := make([]string, len(list))
	for i, e := range list {
		if out[i], ok = scalar(e); !ok {
			return fmt.Errorf("want a string or a list of strings, got %s", b)
		}
	}
	*s = out
	return nil
}
