package generator

import (
	"fmt"
	"regexp"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// Expectation is one expect block resolved for a role of an environment:
// each of Actions on each of Resources, with Context as the request
// context, must be allowed (Effect "allow") or must not be ("deny").
type Expectation struct {
	Name      string
	Effect    string // "allow" or "deny"
	Actions   []string
	Resources []string
	Context   map[string][]string
	Origin    ExpectationOrigin
}

// ExpectationOrigin is where an expectation was written: a role template,
// or a spec's role block or service block (Service names the service).
type ExpectationOrigin struct {
	Template *templates.Expect
	Spec     *schema.Expect
	Service  string
}

// Range is where the expectation is written.
func (o ExpectationOrigin) Range() hcl.Range {
	if o.Template != nil {
		return o.Template.DefRange
	}
	return o.Spec.DefRange
}

// String names the expectation for people: the service's expectations
// are prefixed with the service, since several services share a role.
func (x Expectation) String() string {
	if x.Origin.Service != "" {
		return x.Origin.Service + "/" + x.Name
	}
	return x.Name
}

// expectedActionRe is what an evaluated template expectation's action
// must be: one action, as a request names it.
var expectedActionRe = regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9]+$`)

// templateExpectations evaluates a template's expect blocks with the
// module's inputs, as its statements are.
func templateExpectations(tmpl *templates.Role, ctx *hcl.EvalContext, lists *listCache) ([]Expectation, hcl.Diagnostics) {
	var out []Expectation
	var diags hcl.Diagnostics
	for _, x := range tmpl.Expects {
		on, d := evalBool(x.Enabled, ctx, true)
		diags = append(diags, d...)
		if !on || d.HasErrors() {
			continue
		}
		e := Expectation{Name: x.Name, Effect: x.Effect, Origin: ExpectationOrigin{Template: x}}
		var d1, d2, d3 hcl.Diagnostics
		e.Actions, d1 = evalStrings(x.Actions, ctx, lists)
		e.Resources, d2 = evalStrings(x.Resources, ctx, lists)
		if x.Context != nil {
			e.Context = map[string][]string{}
			d3 = decode(x.Context, ctx, &e.Context)
		}
		diags = append(diags, d1...)
		diags = append(diags, d2...)
		diags = append(diags, d3...)
		if d1.HasErrors() || d2.HasErrors() || d3.HasErrors() {
			continue
		}
		for _, a := range e.Actions {
			if !expectedActionRe.MatchString(a) {
				diags = append(diags, errorAt(x.Actions.Expr.Range(), "Invalid expected action",
					fmt.Sprintf("Expectation %q of role %q names %q; an expectation names single actions such as \"s3:GetObject\", without wildcards.", x.Name, tmpl.Kind, a)))
			}
		}
		if len(e.Actions) == 0 || len(e.Resources) == 0 {
			diags = append(diags, errorAt(x.DefRange, "Empty expectation",
				fmt.Sprintf("Expectation %q of role %q has no actions or no resources in this environment, so it checks nothing. Give it both, or an enabled condition that is false when they are empty.", x.Name, tmpl.Kind)))
		}
		out = append(out, e)
	}
	return out, diags
}

// specExpectation is an expect block of a spec's role or service block.
func specExpectation(x *schema.Expect, service string) Expectation {
	return Expectation{
		Name:      x.Name,
		Effect:    x.Effect,
		Actions:   x.Actions,
		Resources: x.Resources,
		Context:   x.Context,
		Origin:    ExpectationOrigin{Spec: x, Service: service},
	}
}

// addExpectation adds x to a role, refusing a second expectation of the
// same name from the same place (the template and the role block share
// one namespace; each service has its own): a catalog expectation cannot
// be silently replaced by a spec.
func (r *Role) addExpectation(x Expectation) hcl.Diagnostics {
	for _, prev := range r.Expectations {
		if prev.Name == x.Name && prev.Origin.Service == x.Origin.Service {
			return hcl.Diagnostics{errorAt(x.Origin.Range(), "Duplicate expectation",
				fmt.Sprintf("Role %q already has an expectation %q, at %s; expectations are not replaced by name. Give this one another name.",
					r.Kind(), x.Name, prev.Origin.Range()))}
		}
	}
	r.Expectations = append(r.Expectations, x)
	return nil
}
