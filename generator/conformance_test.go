package generator_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"

	awspolicy "github.com/hashicorp/awspolicyequivalence"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/policy"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// guideRoles is testdata/guide/roles.json: what the console guide states
// about each role, transcribed by hand (see testdata/guide/README.md).
type guideRoles struct {
	Roles []struct {
		Name            *string           `json:"name"`
		Description     string            `json:"description"`
		Tags            map[string]string `json:"tags"`
		Trust           *string           `json:"trust"`
		ManagedPolicies []struct {
			Name string `json:"name"`
			Path string `json:"path"`
		} `json:"managed_policies"`
		InlinePolicies []struct {
			Name     string `json:"name"`
			Document string `json:"document"`
		} `json:"inline_policies"`
		InstanceProfile bool `json:"instance_profile"`
	} `json:"roles"`
	ManagedPolicyARNPrefix string            `json:"managed_policy_arn_prefix"`
	Outputs                map[string]string `json:"outputs"`
}

const guideDir = "../testdata/guide"

// buildExample builds examples/lakerunner.hcl, optionally with the
// confused-deputy conditions off, which reproduces the guide's roles.
func buildExample(t testing.TB, confusedDeputy bool) *generator.Model {
	t.Helper()
	parser := hclparse.NewParser()
	cat, diags := templates.Load(templates.BuiltinFS(), parser)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	src, err := os.ReadFile("../examples/lakerunner.hcl")
	if err != nil {
		t.Fatal(err)
	}
	spec, diags := schema.Parse(parser, "examples/lakerunner.hcl", src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, env := range spec.Environments {
		env.ConfusedDeputyProtection = &confusedDeputy
	}
	m, diags := generator.Build(spec, cat, generator.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return m
}

func readGuide(t *testing.T) guideRoles {
	t.Helper()
	var g guideRoles
	b, err := os.ReadFile(filepath.Join(guideDir, "roles.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func assertEquivalent(t *testing.T, what string, got policy.Document, fixture string) {
	t.Helper()
	want, err := os.ReadFile(filepath.Join(guideDir, fixture))
	if err != nil {
		t.Fatal(err)
	}
	ok, err := awspolicy.PoliciesAreEquivalent(string(got.JSON()), string(want))
	if err != nil {
		t.Fatalf("%s: comparing with %s: %v", what, fixture, err)
	}
	if !ok {
		t.Errorf("%s is not equivalent to the guide's %s\n got: %s\nwant: %s", what, fixture, got.IndentedJSON(), want)
	}
}

// TestGuideConformance proves that the example spec, with confused-deputy
// protection off, yields every role, trust relationship, policy, name,
// description, tag and output the console guide gives.
func TestGuideConformance(t *testing.T) {
	g := readGuide(t)
	m := buildExample(t, false)
	env := m.Environments[0]
	seen := map[string]bool{}
	for _, gr := range g.Roles {
		var r *generator.Role
		if gr.Name != nil {
			for _, cand := range env.Roles {
				if cand.Name == *gr.Name {
					r = cand
				}
			}
		} else {
			// The guide names neither the MSK role nor its trust; the
			// catalog calls it msk-access.
			r = env.Role("msk-access")
		}
		name := "msk-access"
		if gr.Name != nil {
			name = *gr.Name
		}
		t.Run(name, func(t *testing.T) {
			if r == nil {
				t.Fatalf("the example spec generates no role %s", name)
			}
			seen[r.Kind()] = true
			if gr.Description != "" && r.Description != gr.Description {
				t.Errorf("description = %q, guide says %q", r.Description, gr.Description)
			}
			for k, v := range gr.Tags {
				if r.Tags[k] != v {
					t.Errorf("tag %s = %q, guide says %q", k, r.Tags[k], v)
				}
			}
			if gr.Trust != nil {
				assertEquivalent(t, "trust policy", r.Trust, *gr.Trust)
			}
			var gotARNs, wantARNs []string
			for _, mp := range r.ManagedPolicies {
				gotARNs = append(gotARNs, mp.ARN)
			}
			for _, mp := range gr.ManagedPolicies {
				wantARNs = append(wantARNs, g.ManagedPolicyARNPrefix+mp.Path)
			}
			sort.Strings(gotARNs)
			sort.Strings(wantARNs)
			if !equalStrings(gotARNs, wantARNs) {
				t.Errorf("managed policies = %v, guide says %v", gotARNs, wantARNs)
			}
			switch {
			case len(gr.InlinePolicies) > 1:
				t.Fatalf("guide fixture has %d inline policies for one role; the catalog has one per role", len(gr.InlinePolicies))
			case len(gr.InlinePolicies) == 1:
				ip := gr.InlinePolicies[0]
				if r.Permissions == nil {
					t.Fatalf("no inline policy; guide has %s", ip.Document)
				}
				if ip.Name != "" && r.PolicyName != ip.Name {
					t.Errorf("inline policy name = %q, guide says %q", r.PolicyName, ip.Name)
				}
				assertEquivalent(t, "inline policy "+r.PolicyName, *r.Permissions, ip.Document)
			}
			if gr.InstanceProfile != (r.InstanceProfileName != "") {
				t.Errorf("instance profile %q, guide says present=%v", r.InstanceProfileName, gr.InstanceProfile)
			}
			if gr.InstanceProfile && r.InstanceProfileName != r.Name {
				t.Errorf("instance profile %q, guide says it has the role's name %q", r.InstanceProfileName, r.Name)
			}
		})
	}
	for _, r := range env.Roles {
		if !seen[r.Kind()] {
			t.Errorf("role %s (%s) is generated but not in the guide", r.Name, r.Kind())
		}
	}
	for label, arn := range g.Outputs {
		found := false
		for _, r := range env.Roles {
			found = found || r.ARN() == arn
		}
		if !found {
			t.Errorf("guide output %q = %s: no generated role has that ARN", label, arn)
		}
	}
}

// TestConfusedDeputyConditions checks the secure default: every ECS task
// trust policy is the guide's plus aws:SourceAccount and aws:SourceArn.
func TestConfusedDeputyConditions(t *testing.T) {
	m := buildExample(t, true)
	for _, r := range m.Environments[0].Roles {
		if r.Template.Trust.Service != "ecs-tasks.amazonaws.com" {
			continue
		}
		want := policy.Document{Statements: []policy.Statement{{
			Effect:     "Allow",
			Actions:    []string{"sts:AssumeRole"},
			Principals: []policy.Principal{{Type: "Service", Identifiers: []string{"ecs-tasks.amazonaws.com"}}},
			Conditions: []policy.Condition{
				{Test: "StringEquals", Variable: "aws:SourceAccount", Values: []string{"123456789012"}},
				{Test: "ArnLike", Variable: "aws:SourceArn", Values: []string{"arn:aws:ecs:us-east-1:123456789012:*"}},
			},
		}}}
		ok, err := awspolicy.PoliciesAreEquivalent(string(r.Trust.JSON()), string(want.JSON()))
		if err != nil || !ok {
			t.Errorf("%s trust = %s, want %s (%v)", r.Name, r.Trust.JSON(), want.JSON(), err)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
