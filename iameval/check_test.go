package iameval_test

import (
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/iameval"
	"github.com/cardinalhq/lakerunner-iam/policy"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// TestExampleHoldsItsExpectations: every expectation and trust property
// of the guide example holds, and there are expectations of every kind
// the catalog attaches.
func TestExampleHoldsItsExpectations(t *testing.T) {
	env := production(t)
	kinds := map[string]bool{}
	for _, o := range iameval.CheckEnvironment(env) {
		if !o.Passed() {
			t.Errorf("%s %s: %+v", o.Role.Kind(), o.Name, o.Failed())
		}
		if o.Expectation != nil {
			kinds[o.Role.Kind()] = true
		}
	}
	for _, r := range env.Roles {
		if !kinds[r.Kind()] {
			t.Errorf("role %s has no expectation", r.Kind())
		}
	}
}

// trustRole is a role of a custom kind with the given trust policy.
func trustRole(t *testing.T, js string) *generator.Environment {
	t.Helper()
	doc, err := policy.Parse([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	spec := &schema.Environment{Name: "prod", AccountID: "123456789012", Region: "us-east-1", Partition: "aws",
		Resources: &schema.Resources{ECSCluster: "c"}}
	r := &generator.Role{Template: &templates.Role{Kind: "custom"}, Env: spec, Name: "custom-role", Path: "/", Trust: doc}
	return &generator.Environment{Spec: spec, Roles: []*generator.Role{r}}
}

// TestTrustProperties: the near misses a trust must refuse, and the
// trusts that do not refuse them.
func TestTrustProperties(t *testing.T) {
	for _, c := range []struct {
		name, trust string
		failing     []string // notes of the checks that fail
	}{
		{"ExternalId and MFA hold", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::210987654321:root"},"Action":"sts:AssumeRole",
		  "Condition":{"StringEquals":{"sts:ExternalId":"secret-id"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`, nil},
		{"an ExternalId pattern that accepts any", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"210987654321"},"Action":"sts:AssumeRole",
		  "Condition":{"StringLike":{"sts:ExternalId":"*"}}}]}`, []string{"with another sts:ExternalId (untrusted-x)"}},
		{"a source ARN of any account", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole",
		  "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:us-east-1:*:*"}}}]}`, []string{"with another aws:SourceArn (arn:aws:ecs:us-east-1:999999999999:task/c/1)"}},
		{"a source ARN of another region", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole",
		  "Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:eu-west-1:123456789012:*"}}}]}`, []string{"the intended principal, with its request context"}},
		{"Pod Identity: the cluster's pods", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"],
		  "Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"},"ArnEquals":{"aws:SourceArn":"arn:aws:eks:us-east-1:123456789012:cluster/prod-eks"}}}]}`, nil},
		{"Pod Identity: trust of another account's clusters", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pods.eks.amazonaws.com"},"Action":"sts:AssumeRole",
		  "Condition":{"StringEquals":{"aws:SourceAccount":"210987654321"}}}]}`, []string{"the intended principal, with its request context"}},
		{"IRSA: ServiceAccount and audience", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EX"},"Action":"sts:AssumeRoleWithWebIdentity",
		  "Condition":{"StringEquals":{"oidc.eks.us-east-1.amazonaws.com/id/EX:sub":"system:serviceaccount:lakerunner:lakerunner","oidc.eks.us-east-1.amazonaws.com/id/EX:aud":"sts.amazonaws.com"}}}]}`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			outcomes := iameval.CheckEnvironment(trustRole(t, c.trust))
			var failing []string
			for _, o := range outcomes {
				for _, f := range o.Failed() {
					failing = append(failing, f.Note)
				}
			}
			if strings.Join(failing, "|") != strings.Join(c.failing, "|") {
				t.Errorf("failing %q, want %q", failing, c.failing)
			}
		})
	}
}

// TestIRSANearMisses: the near misses of an IRSA trust are the other
// ServiceAccount, the other audience, either left out, and another
// identity provider.
func TestIRSANearMisses(t *testing.T) {
	env := trustRole(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.example/id/EX"},"Action":"sts:AssumeRoleWithWebIdentity",
	  "Condition":{"StringEquals":{"oidc.example/id/EX:sub":"system:serviceaccount:lakerunner:lakerunner","oidc.example/id/EX:aud":"sts.amazonaws.com"}}}]}`)
	var notes []string
	for _, c := range iameval.CheckEnvironment(env)[0].Checks {
		notes = append(notes, c.Note)
	}
	want := "the intended principal, with its request context|another identity provider|without oidc.example/id/EX:aud|with another oidc.example/id/EX:aud (untrusted-sts.amazonaws.com)|without oidc.example/id/EX:sub|with another oidc.example/id/EX:sub (untrusted-system:serviceaccount:lakerunner:lakerunner)"
	if got := strings.Join(notes, "|"); got != want {
		t.Errorf("checks:\n%s\nwant\n%s", got, want)
	}
}
