package importer

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	awspolicy "github.com/hashicorp/awspolicyequivalence"

	"github.com/cardinalhq/lakerunner-iam/policy"
)

// statement is one statement of a policy read from IAM, as JSON values.
type statement map[string]any

// parseStatements reads a policy document's statements.
func parseStatements(doc string) ([]statement, error) {
	var p struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return nil, fmt.Errorf("policy is not JSON: %w", err)
	}
	var list []statement
	if err := json.Unmarshal(p.Statement, &list); err != nil {
		var one statement
		if err := json.Unmarshal(p.Statement, &one); err != nil {
			return nil, fmt.Errorf("policy has no statements: %w", err)
		}
		list = []statement{one}
	}
	return list, nil
}

func (s statement) sid() string {
	sid, _ := s["Sid"].(string)
	return sid
}

// doc is a policy of the statements, for comparing.
func doc(stmts ...statement) string {
	b, err := json.Marshal(map[string]any{"Version": policy.Version, "Statement": stmts})
	if err != nil {
		panic(err) // JSON values only
	}
	return string(b)
}

// equivalent compares two policies as Terraform does: a difference
// awspolicyequivalence ignores is not one the plan shows.
func equivalent(a, b string) bool {
	ok, err := awspolicy.PoliciesAreEquivalent(a, b)
	return err == nil && ok
}

// strs reads a statement element that is a string or a list of them.
func strs(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			out = append(out, scalar(x))
		}
		return out
	}
	return nil
}

func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// toPolicy converts a statement to the generator's form, as a spec's
// statement block would write it; false when the spec cannot (a
// principal in a permissions policy).
func toPolicy(s statement) (policy.Statement, bool) {
	out := policy.Statement{
		Sid:          s.sid(),
		Effect:       scalar(s["Effect"]),
		Actions:      strs(s["Action"]),
		NotActions:   strs(s["NotAction"]),
		Resources:    strs(s["Resource"]),
		NotResources: strs(s["NotResource"]),
	}
	if _, ok := s["Principal"]; ok {
		return out, false
	}
	if _, ok := s["NotPrincipal"]; ok {
		return out, false
	}
	conds, _ := s["Condition"].(map[string]any)
	for _, test := range slices.Sorted(maps.Keys(conds)) {
		keys, _ := conds[test].(map[string]any)
		for _, key := range slices.Sorted(maps.Keys(keys)) {
			out.Conditions = append(out.Conditions, policy.Condition{Test: test, Variable: key, Values: strs(keys[key])})
		}
	}
	return out, true
}

// awsPrincipals are the AWS principals of a trust policy's Allow
// statements.
func awsPrincipals(stmts []statement) []string {
	var out []string
	for _, s := range stmts {
		if scalar(s["Effect"]) != "Allow" {
			continue
		}
		if p, ok := s["Principal"].(map[string]any); ok {
			out = append(out, strs(p["AWS"])...)
		}
	}
	return out
}

// services are the service principals of a trust policy.
func services(stmts []statement) []string {
	var out []string
	for _, s := range stmts {
		if p, ok := s["Principal"].(map[string]any); ok {
			out = append(out, strs(p["Service"])...)
		}
	}
	return out
}

// actions are every action a policy's statements name, lower-cased as
// IAM compares them.
func actions(stmts []statement) map[string]bool {
	out := map[string]bool{}
	for _, s := range stmts {
		for _, a := range strs(s["Action"]) {
			out[strings.ToLower(a)] = true
		}
	}
	return out
}
