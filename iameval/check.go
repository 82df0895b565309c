package iameval

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/generator"
)

// Outcome is one expectation, or one trust property, checked for a role
// of an environment: every request it makes and whether each decided as
// it must.
type Outcome struct {
	Env  *generator.Environment
	Role *generator.Role
	// Name names the outcome within the role: the expectation's name
	// (prefixed with its service for a service's), or "trust: ..." for a
	// trust property.
	Name string
	// Expectation is the expect block checked; nil for a trust property.
	Expectation *generator.Expectation
	Checks      []Check
}

// Check is one request and the decision it needed.
type Check struct {
	Request Request
	// Allow: the request must be allowed; otherwise it must not be
	// (explicitly or implicitly denied).
	Allow  bool
	Result Result
	// Note says what the request is in its outcome ("another account",
	// "without aws:SourceArn"); empty for an expectation's requests.
	Note string
}

// Passed reports whether the request decided as it must.
func (c Check) Passed() bool { return (c.Result.Decision == Allowed) == c.Allow }

// Passed reports whether every request of the outcome decided as it must.
func (o Outcome) Passed() bool {
	for _, c := range o.Checks {
		if !c.Passed() {
			return false
		}
	}
	return true
}

// Failed are the checks that did not decide as they must.
func (o Outcome) Failed() []Check {
	var out []Check
	for _, c := range o.Checks {
		if !c.Passed() {
			out = append(out, c)
		}
	}
	return out
}

// Describe says what a check asked, for people: "s3:PutObject on
// arn:aws:s3:::b/k" or "Service ecs-tasks.amazonaws.com: sts:AssumeRole".
func (c Check) Describe() string {
	var b strings.Builder
	if p := c.Request.Principal; p != nil {
		fmt.Fprintf(&b, "%s %s: %s", p.Type, p.ID, c.Request.Action)
	} else {
		fmt.Fprintf(&b, "%s on %s", c.Request.Action, c.Request.Resource)
	}
	return b.String()
}

// CheckEnvironment checks every expectation of every role of an
// environment, then the trust each role implies (trust.go), in role
// order.
func CheckEnvironment(env *generator.Environment) []Outcome {
	var out []Outcome
	for _, r := range env.Roles {
		role := ForRole(r)
		for i := range r.Expectations {
			out = append(out, role.expectation(env, &r.Expectations[i]))
		}
		out = append(out, role.trustOutcomes(env)...)
	}
	return out
}

// expectation evaluates one expect block: each action on each resource.
func (r *Role) expectation(env *generator.Environment, x *generator.Expectation) Outcome {
	o := Outcome{Env: env, Role: r.Role, Name: x.String(), Expectation: x}
	for _, a := range x.Actions {
		for _, res := range x.Resources {
			result := r.Can(a, res, x.Context)
			o.Checks = append(o.Checks, Check{
				Request: Request{Action: a, Resource: res, Context: x.Context},
				Allow:   x.Effect == "allow",
				Result:  result,
			})
		}
	}
	return o
}

// Warnings are the catalog's expectations that a model breaks, as warning
// diagnostics: a spec's override that takes from a role what its service
// needs, or grants what it must not have. Each points at the role block
// (the likely cause), else at the expectation; the spec's own
// expectations are test's to report.
func Warnings(m *generator.Model) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, env := range m.Environments {
		for _, o := range CheckEnvironment(env) {
			x := o.Expectation
			if x == nil || x.Origin.Template == nil || o.Passed() {
				continue
			}
			subject := x.Origin.Range()
			if o.Role.Override != nil {
				subject = o.Role.Override.DefRange
			}
			bad := o.Failed()[0]
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Catalog expectation fails",
				Detail: fmt.Sprintf("In environment %q, role %q breaks the catalog's expectation %q (%s): %s is %s, but %s. Run lakerunner-iam test for every request and the statements that decide them.",
					env.Spec.Name, o.Role.Kind(), x.Name, x.Origin.Range(), bad.Describe(), strings.ReplaceAll(string(bad.Result.Decision), "_", " "), mustWord(bad)),
				Subject: subject.Ptr(),
			})
		}
	}
	return diags
}

func mustWord(c Check) string {
	if c.Allow {
		return "the role must be allowed it"
	}
	return "the role must not be allowed it"
}
