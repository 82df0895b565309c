package kecs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/cardinalhq/lakerunner-iam/iameval/managed"
	"github.com/cardinalhq/lakerunner-iam/policy"
)

// mappedPolicies are the AWS managed policies, by the part of their ARN
// after "policy/", whose content the mapping uses (from package
// iameval/managed, which ships it).
//
// AmazonECSTaskExecutionRolePolicy is the policy of every ECS execution
// role; its content is the one AWS documents (ECR image pulls and
// CloudWatch Logs writes), and it equals the "default execution role
// policy" of the KECS IAM integration guide.
var mappedPolicies = []string{"service-role/AmazonECSTaskExecutionRolePolicy"}

// ManagedPolicy returns the content of an AWS managed policy by ARN, in
// any partition, and whether the mapping knows it.
func ManagedPolicy(arn string) (policy.Document, bool) {
	p, ok := managed.Lookup(arn)
	if !ok || !slices.Contains(mappedPolicies, p.Path+p.Name) {
		return policy.Document{}, false
	}
	return p.Document, true
}

// ParsePolicy reads an IAM policy document in AWS's JSON form. It accepts
// everything IAM accepts in the elements the mapping reads: Statement as
// one object or a list, and Action, NotAction, Resource and NotResource as
// one string or a list of strings. Conditions and principals are not
// read: the mapping cannot express them.
func ParsePolicy(data []byte) (policy.Document, error) {
	var wire struct {
		Version   string
		Statement json.RawMessage
	}
	if err := strictUnmarshal(data, &wire); err != nil {
		return policy.Document{}, err
	}
	var raw []json.RawMessage
	if trimmed := bytes.TrimSpace(wire.Statement); len(trimmed) > 0 && trimmed[0] == '{' {
		raw = []json.RawMessage{wire.Statement}
	} else if err := json.Unmarshal(wire.Statement, &raw); err != nil {
		return policy.Document{}, fmt.Errorf("element Statement: %w", err)
	}
	var doc policy.Document
	for i, r := range raw {
		var st struct {
			Sid                                string
			Effect                             string
			Action, NotAction                  stringOrList
			Resource, NotResource              stringOrList
			Principal, NotPrincipal, Condition json.RawMessage
		}
		if err := strictUnmarshal(r, &st); err != nil {
			return policy.Document{}, fmt.Errorf("statement %d: %w", i+1, err)
		}
		if st.Effect != "Allow" && st.Effect != "Deny" {
			return policy.Document{}, fmt.Errorf("statement %d: Effect %q is neither Allow nor Deny", i+1, st.Effect)
		}
		if (len(st.Action) == 0) == (len(st.NotAction) == 0) {
			return policy.Document{}, fmt.Errorf("statement %d: needs exactly one of Action and NotAction", i+1)
		}
		doc.Statements = append(doc.Statements, policy.Statement{
			Sid:          st.Sid,
			Effect:       st.Effect,
			Actions:      st.Action,
			NotActions:   st.NotAction,
			Resources:    st.Resource,
			NotResources: st.NotResource,
		})
	}
	return doc, nil
}

func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// stringOrList is an IAM policy element that may be one string or a list.
type stringOrList []string

func (s *stringOrList) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = []string{one}
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("want a string or a list of strings, got %s", b)
	}
	*s = list
	return nil
}
