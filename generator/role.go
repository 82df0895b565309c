package generator

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/cardinalhq/lakerunner-iam/policy"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// buildRole evaluates one role of an environment: names, tags and
// managed policies from the template and the spec's role block, then the
// template's inputs, and with them as the module's variables the exact
// trust and inline policies.
func buildRole(env *schema.Environment, tmpl *templates.Role, mod *Module, o *schema.RoleOverride, id roleIdentity, ctx *hcl.EvalContext, lists *listCache) (*Role, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	r := &Role{
		Template:           tmpl,
		Module:             mod,
		ServiceAccounts:    serviceAccounts(env, tmpl),
		Override:           o,
		Env:                env,
		Name:               id.Name,
		Path:               id.Path,
		MaxSessionDuration: defaultMaxSessionDuration,
		Inputs:             map[string]cty.Value{},
	}
	var extraOrigins []Origin
	var d hcl.Diagnostics
	r.Description, d = evalString(tmpl.Description, ctx)
	diags = append(diags, d...)
	tmplTags, d := evalStringMap(tmpl.Tags, ctx)
	diags = append(diags, d...)
	r.Tags = map[string]string{}
	tagSets := []map[string]string{env.Tags}
	if catalogTags(env, o) { // catalog_tags = false: only the spec's tags (generator/adopt.go)
		r.Tags["Environment"] = env.Name
		tagSets = append(tagSets, tmplTags)
	}
	for _, tags := range tagSets {
		for k, v := range tags {
			r.Tags[k] = v
		}
	}
	if tmpl.Policy != nil {
		r.PolicyName, d = evalString(tmpl.Policy.Name, ctx)
		diags = append(diags, d...)
	}
	diags = append(diags, overridePolicyName(r, o)...) // policy_name (generator/adopt.go)
	if tmpl.InstanceProfile {
		r.InstanceProfileName = r.Name
	}
	diags = append(diags, absentParts(r, o)...) // inline_policy, instance_profile_tags (generator/adopt.go)
	for _, mp := range tmpl.ManagedPolicies {
		r.ManagedPolicies = append(r.ManagedPolicies, ManagedPolicy{
			Key: mp.Name,
			ARN: fmt.Sprintf("arn:%s:iam::aws:policy/%s%s", env.Partition, mp.Path, mp.Name),
		})
	}
	if o != nil {
		if o.Description != nil {
			r.Description = *o.Description
		}
		r.PermissionsBoundary = o.PermissionsBoundary
		if o.MaxSessionDuration != 0 {
			r.MaxSessionDuration = o.MaxSessionDuration
		}
		for k, v := range o.Tags {
			r.Tags[k] = v
		}
		r.TrustedPrincipals = o.TrustedPrincipals
		for _, arn := range o.ManagedPolicyARNs {
			key := arn[strings.LastIndex(arn, "/")+1:]
			for _, prev := range r.ManagedPolicies {
				if prev.Key == key {
					diags = append(diags, errorAt(o.Pos().Attr("managed_policy_arns"), "Duplicate managed policy",
						fmt.Sprintf("Role %q already attaches a managed policy named %q (%s); attach each policy once.", tmpl.Kind, key, prev.ARN)))
				}
			}
			r.ManagedPolicies = append(r.ManagedPolicies, ManagedPolicy{Key: key, ARN: arn, Extra: true})
		}
		for _, st := range o.Statements {
			r.ExtraStatements = append(r.ExtraStatements, specStatement(st))
			extraOrigins = append(extraOrigins, Origin{Spec: st})
		}
	}

	for _, in := range tmpl.Inputs {
		val, d := in.Value.Expr.Value(ctx)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		ty, d := typeexpr.TypeConstraint(in.Type.Expr)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		conv, err := convert.Convert(val, ty)
		if err != nil {
			diags = append(diags, errorAt(in.Value.Expr.Range(), "Wrong type for template input",
				fmt.Sprintf("Input %q of role %q must be %s: %s.", in.Name, tmpl.Kind, ty.FriendlyName(), err)))
			continue
		}
		r.Inputs[in.Name] = conv
	}
	if diags.HasErrors() {
		return nil, diags
	}

	mctx := moduleContext(r.moduleVars())
	if mod.Trust != TrustTemplate {
		r.Trust, r.TrustOrigins = eksTrust(r, mod.Trust)
	} else {
		r.Trust, r.TrustOrigins, d = trustDocument(tmpl, r, mctx, lists)
		diags = append(diags, d...)
	}
	if (tmpl.Policy != nil || len(r.ExtraStatements) > 0) && inlinePolicy(o) {
		var doc policy.Document
		var origins []Origin
		if tmpl.Policy != nil {
			doc, origins, d = evalStatements(tmpl.Policy.Statements, mctx, lists)
			diags = append(diags, d...)
		}
		doc.Statements, r.PermissionOrigins = overrideStatements(doc.Statements, origins, r.ExtraStatements, extraOrigins)
		if r.PolicyName == "" {
			r.PolicyName = r.Name + "-extra"
		}
		r.Permissions = &doc
	}
	r.Expectations, d = templateExpectations(tmpl, mctx, lists) // generator/expect.go
	diags = append(diags, d...)
	if o != nil {
		for _, x := range o.Expects {
			diags = append(diags, r.addExpectation(specExpectation(x, ""))...)
		}
	}
	return r, diags
}

func trustDocument(tmpl *templates.Role, r *Role, ctx *hcl.EvalContext, lists *listCache) (policy.Document, []Origin, hcl.Diagnostics) {
	var doc policy.Document
	var origins []Origin
	var diags hcl.Diagnostics
	if svc := tmpl.Trust.Service; svc != "" {
		st := policy.Statement{
			Effect:     "Allow",
			Actions:    []string{"sts:AssumeRole"},
			Principals: []policy.Principal{{Type: "Service", Identifiers: []string{svc}}},
		}
		conditional := tmpl.Trust.SourceArn != nil && *r.Env.ConfusedDeputyProtection
		if len(r.TrustedPrincipals) > 0 && !conditional {
			st.Principals = append(st.Principals, policy.Principal{Type: "AWS", Identifiers: r.TrustedPrincipals})
		}
		if conditional {
			arn, d := evalString(tmpl.Trust.SourceArn, ctx)
			diags = append(diags, d...)
			st.Conditions = []policy.Condition{
				{Test: "StringEquals", Variable: "aws:SourceAccount", Values: []string{r.Env.AccountID}},
				{Test: "ArnLike", Variable: "aws:SourceArn", Values: []string{arn}},
			}
		}
		doc.Statements = append(doc.Statements, st)
		origins = append(origins, Origin{})
	} else {
		var d hcl.Diagnostics
		doc, origins, d = evalStatements(tmpl.Trust.Statements, ctx, lists)
		diags = append(diags, d...)
	}
	if len(r.TrustedPrincipals) > 0 && (tmpl.Trust.Service == "" || len(doc.Statements[0].Conditions) > 0) {
		doc.Statements = append(doc.Statements, r.trustedPrincipalsStatement())
		origins = append(origins, Origin{TrustedPrincipals: true})
	}
	return doc, origins, diags
}

// trustedPrincipalsSid names the trust statement for the spec's extra
// principals (break-glass access, tests).
const trustedPrincipalsSid = "TrustedPrincipals"

// trustedPrincipalsStatement lets the spec's extra principals assume the
// role, apart from a trust statement whose conditions are not theirs.
func (r *Role) trustedPrincipalsStatement() policy.Statement {
	return policy.Statement{
		Sid:        trustedPrincipalsSid,
		Effect:     "Allow",
		Actions:    []string{"sts:AssumeRole"},
		Principals: []policy.Principal{{Type: "AWS", Identifiers: r.TrustedPrincipals}},
	}
}

func evalStatements(stmts []*templates.Statement, ctx *hcl.EvalContext, lists *listCache) (policy.Document, []Origin, hcl.Diagnostics) {
	var doc policy.Document
	var origins []Origin
	var diags hcl.Diagnostics
	for _, s := range stmts {
		on, d := evalBool(s.Enabled, ctx, true)
		diags = append(diags, d...)
		if !on {
			continue
		}
		st := policy.Statement{Sid: s.Sid, Effect: s.Effect}
		if st.Effect == "" {
			st.Effect = "Allow"
		}
		for _, f := range []struct {
			attr *hcl.Attribute
			dst  *[]string
		}{
			{s.Actions, &st.Actions}, {s.NotActions, &st.NotActions},
			{s.Resources, &st.Resources}, {s.NotResources, &st.NotResources},
		} {
			if f.attr != nil {
				*f.dst, d = evalStrings(f.attr, ctx, lists)
				diags = append(diags, d...)
			}
		}
		for _, p := range s.Principals {
			ids, d := evalStrings(p.Identifiers, ctx, lists)
			diags = append(diags, d...)
			st.Principals = append(st.Principals, policy.Principal{Type: p.Type, Identifiers: ids})
		}
		for _, c := range s.Conditions {
			on, d := evalBool(c.Enabled, ctx, true)
			diags = append(diags, d...)
			if !on {
				continue
			}
			vals, d := evalStrings(c.Values, ctx, lists)
			diags = append(diags, d...)
			st.Conditions = append(st.Conditions, policy.Condition{Test: c.Test, Variable: c.Variable, Values: vals})
		}
		doc.Statements = append(doc.Statements, st)
		origins = append(origins, Origin{Template: s})
	}
	return doc, origins, diags
}

// overrideStatements merges the spec's statements into the catalog's the
// way aws_iam_policy_document's override_policy_documents does: one with
// the Sid of a catalog statement replaces it in place, others are added.
func overrideStatements(base []policy.Statement, baseOrigins []Origin, extra []policy.Statement, extraOrigins []Origin) ([]policy.Statement, []Origin) {
	out := append([]policy.Statement(nil), base...)
	origins := append([]Origin(nil), baseOrigins...)
	for j, x := range extra {
		replaced := false
		if x.Sid != "" {
			for i := range out {
				if out[i].Sid == x.Sid {
					out[i], origins[i], replaced = x, extraOrigins[j], true
					break
				}
			}
		}
		if !replaced {
			out = append(out, x)
			origins = append(origins, extraOrigins[j])
		}
	}
	return out, origins
}

func specStatement(st *schema.Statement) policy.Statement {
	out := policy.Statement{
		Sid:          st.Sid,
		Effect:       st.Effect,
		Actions:      st.Actions,
		NotActions:   st.NotActions,
		Resources:    st.Resources,
		NotResources: st.NotResources,
	}
	if out.Effect == "" {
		out.Effect = "Allow"
	}
	for _, c := range st.Conditions {
		out.Conditions = append(out.Conditions, policy.Condition{Test: c.Test, Variable: c.Variable, Values: c.Values})
	}
	return out
}
