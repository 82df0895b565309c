package kecs

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cardinalhq/lakerunner-iam/policy"
)

// managedFS holds the AWS managed policies whose content the mapping
// knows, as AWS publishes them (IAM policy JSON), one file per policy.
//
//go:embed managed/*.json
var managedFS embed.FS

// managedPolicies maps a managed policy, by the part of its ARN after
// "policy/", to its file in managedFS.
//
// AmazonECSTaskExecutionRolePolicy is the policy of every ECS execution
// role; its content is the one AWS documents (ECR image pulls and
// CloudWatch Logs writes), and it equals the "default execution role
// policy" of the KECS IAM integration guide.
var managedPolicies = map[string]string{
	"service-role/AmazonECSTaskExecutionRolePolicy": "managed/AmazonECSTaskExecutionRolePolicy.json",
}

// ManagedPolicy returns the content of an AWS managed policy by ARN, in
// any partition, and whether it is known.
func ManagedPolicy(arn string) (policy.Document, bool) {
	// arn:<partition>:iam::aws:policy/<path><name>
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || parts[3] != "" || parts[4] != "aws" || !strings.HasPrefix(parts[5], "policy/") {
		return policy.Document{}, false
	}
	file, ok := managedPolicies[strings.TrimPrefix(parts[5], "policy/")]
	if !ok {
		return policy.Document{}, false
	}
	data, err := managedFS.ReadFile(file)
	if err != nil {
		panic(err) // embedded: cannot fail
	}
	doc, err := ParsePolicy(data)
	if err != nil {
		panic(fmt.Sprintf("%s: %s", file, err)) // embedded and tested
	}
	return doc, true
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
