package schema

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
)

// validateExpects checks the expect blocks of an environment's role and
// service blocks: what lakerunner-iam test evaluates must be a request IAM
// could see (one action on one resource), so that a typo cannot make an
// expectation pass vacuously.
func validateExpects(env *Environment) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, o := range env.Roles {
		diags = append(diags, validateExpectBlocks(env, fmt.Sprintf("Role %q", o.Kind), o.Expects)...)
	}
	for _, s := range env.Services {
		diags = append(diags, validateExpectBlocks(env, fmt.Sprintf("Service %q", s.Name), s.Expects)...)
	}
	return diags
}

func validateExpectBlocks(env *Environment, owner string, expects []*Expect) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]*Expect{}
	for _, x := range expects {
		if prev, dup := seen[x.Name]; dup {
			diags = append(diags, errorAt(x.DefRange, "Duplicate expectation",
				fmt.Sprintf("%s already has an expectation %s at %s; give each a unique name.", owner, Quote(x.Name), prev.DefRange)))
		}
		seen[x.Name] = x
		diags = append(diags, validateExpect(env, x)...)
	}
	return diags
}

func validateExpect(env *Environment, x *Expect) hcl.Diagnostics {
	var diags hcl.Diagnostics
	pos := x.Pos()
	if x.Effect != "allow" && x.Effect != "deny" {
		detail := fmt.Sprintf("%s is not an expectation effect: use \"allow\" (the role must be allowed) or \"deny\" (it must not be, explicitly or implicitly).", Quote(x.Effect))
		if l := strings.ToLower(x.Effect); l == "allow" || l == "deny" {
			detail = fmt.Sprintf("Write the effect in lower case, %q: an expectation is not a statement.", l)
		}
		diags = append(diags, errorAt(pos.Attr("effect"), "Invalid expectation effect", detail))
	}
	if len(x.Actions) == 0 {
		diags = append(diags, errorAt(pos.Attr("actions"), "Expectation without actions",
			"Name at least one action, such as \"s3:GetObject\"; each is checked on each resource."))
	}
	for i, a := range x.Actions {
		rng := elemRange(pos, "actions", i, len(x.Actions))
		switch {
		case strings.ContainsAny(a, "*?"):
			diags = append(diags, errorAt(rng, "Wildcard in expected action",
				fmt.Sprintf("%s is a pattern; an expectation checks requests, and a request names one action. List the actions, e.g. \"s3:PutObject\" and \"s3:DeleteObject\".", Quote(a))))
		case !actionRe.MatchString(a):
			diags = append(diags, errorAt(rng, "Invalid action", fmt.Sprintf("%s is not an IAM action such as \"s3:GetObject\".", Quote(a))))
		}
	}
	if len(x.Resources) == 0 {
		diags = append(diags, errorAt(pos.Attr("resources"), "Expectation without resources",
			"Name at least one resource ARN, such as \"arn:aws:s3:::my-bucket/key\", or \"*\" for an action that takes no resource."))
	}
	for i, r := range x.Resources {
		if r == "*" {
			continue
		}
		rng := elemRange(pos, "resources", i, len(x.Resources))
		if a, err := iamlimits.ParseARN(r); err != nil {
			diags = append(diags, errorAt(rng, "Invalid resource", fmt.Sprintf("%s is not an ARN (or \"*\"): %s.", Quote(r), err)))
		} else if a.Partition != env.Partition {
			diags = append(diags, otherPartition(rng, env, "Resource", r, a.Partition))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(x.Context)) {
		keyRng, valRng := mapItemRanges(pos, "context", k)
		if !strings.Contains(k, ":") || strings.HasPrefix(k, ":") {
			diags = append(diags, errorAt(keyRng, "Invalid condition key",
				fmt.Sprintf("%s is not a condition key such as \"aws:SourceAccount\" or \"ecs:cluster\".", Quote(k))))
		}
		if len(x.Context[k]) == 0 {
			diags = append(diags, errorAt(valRng, "Context key without values",
				fmt.Sprintf("Context key %s has no values; leave the key out to test a request without it.", Quote(k))))
		}
	}
	return diags
}
