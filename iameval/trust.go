package iameval

import (
	"fmt"
	"maps"
	"strings"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/policy"
)

// trustOutcomes are the properties a role's trust implies, one outcome
// per principal it names: that principal may assume the role with the
// request context the environment gives it (its account, a source ARN in
// its region, the cross-account ExternalId, MFA), and near misses may not:
// the same principal in another account, another service or provider,
// and the request without each condition key the trust requires, or with
// another value for it. A near miss that is allowed is a trust that does
// not narrow as it seems to.
func (r *Role) trustOutcomes(env *generator.Environment) []Outcome {
	var out []Outcome
	trust := r.Policies[len(r.Policies)-1]
	for _, st := range trust.Document.Statements {
		if st.Effect == "Deny" {
			continue
		}
		for _, p := range st.Principals {
			for _, id := range p.Identifiers {
				if p.Type == "*" || id == "*" {
					continue // no intended principal: lint reports it (LR007)
				}
				out = append(out, r.principalOutcome(env, st, p.Type, id))
			}
		}
	}
	return out
}

// otherAccount is an account that no spec trusts.
func otherAccount(not string) string {
	if not == "999999999999" {
		return "888888888888"
	}
	return "999999999999"
}

func (r *Role) principalOutcome(env *generator.Environment, st policy.Statement, typ, id string) Outcome {
	spec := env.Spec
	caller := intendedCaller(spec.Partition, typ, id)
	ctx := r.intendedContext(env, st, caller)
	o := Outcome{Env: env, Role: r.Role, Name: fmt.Sprintf("trust: %s %s", typ, id)}
	add := func(action string, p Principal, c map[string][]string, allow bool, note string) {
		res := r.AssumableBy(p, action, c)
		o.Checks = append(o.Checks, Check{Request: Request{Action: action, Resource: r.Role.ARN(), Principal: &p, Context: c}, Allow: allow, Result: res, Note: note})
	}
	for _, action := range st.Actions {
		if policy.HasWildcard(action) {
			continue
		}
		add(action, caller, ctx, true, "the intended principal, with its request context")
		add(action, nearCaller(spec.Partition, caller), ctx, false, nearNote(caller))
		for _, c := range st.Conditions {
			if !restrictive(c) {
				continue
			}
			without := maps.Clone(ctx)
			delete(without, c.Variable)
			add(action, caller, without, false, "without "+c.Variable)
			if v, ok := otherValue(c, ctx[c.Variable]); ok {
				other := maps.Clone(ctx)
				other[c.Variable] = []string{v}
				add(action, caller, other, false, "with another "+c.Variable+" ("+v+")")
			}
		}
	}
	return o
}

// intendedCaller is who a principal identifier stands for: a role of the
// account for an account or its root, else the identifier itself.
func intendedCaller(partition, typ, id string) Principal {
	if typ == "AWS" {
		if accountRe.MatchString(id) {
			return Principal{"AWS", fmt.Sprintf("arn:%s:iam::%s:role/lakerunner-test-caller", partition, id)}
		}
		if a, ok := strings.CutSuffix(id, ":root"); ok {
			return Principal{"AWS", a + ":role/lakerunner-test-caller"}
		}
	}
	return Principal{typ, id}
}

// nearCaller is a principal that must not be trusted in the intended
// one's place: the same in another account, another service, another
// identity provider.
func nearCaller(partition string, p Principal) Principal {
	switch p.Type {
	case "AWS":
		parts := strings.SplitN(p.ID, ":", 6)
		if len(parts) == 6 {
			parts[4] = otherAccount(parts[4])
			return Principal{"AWS", strings.Join(parts, ":")}
		}
	case "Service":
		if p.ID == "ec2.amazonaws.com" {
			return Principal{"Service", "lambda.amazonaws.com"}
		}
		return Principal{"Service", "ec2.amazonaws.com"}
	}
	return Principal{p.Type, fmt.Sprintf("arn:%s:iam::%s:oidc-provider/untrusted.example.com", partition, otherAccount(""))}
}

func nearNote(p Principal) string {
	switch p.Type {
	case "AWS":
		return "the same principal in another account"
	case "Service":
		return "another service"
	}
	return "another identity provider"
}

// restrictive: a condition that fails without its key, so that a request
// without it must be refused (not IfExists, Null, a negated operator, nor
// ForAllValues, which all hold for an absent key).
func restrictive(c policy.Condition) bool {
	t := c.Test
	if strings.HasSuffix(t, "IfExists") || t == "Null" || strings.HasPrefix(t, "ForAllValues:") {
		return false
	}
	base := strings.TrimPrefix(t, "ForAnyValue:")
	op, ok := operators[base]
	return ok && !op.negated
}

// intendedContext is the request context the intended principal brings:
// the environment's own values for the keys whose meaning is known (its
// account, a task of its cluster for ECS, the cross-account ExternalId,
// MFA), else a value the condition itself accepts.
func (r *Role) intendedContext(env *generator.Environment, st policy.Statement, caller Principal) map[string][]string {
	spec := env.Spec
	ctx := map[string][]string{}
	for _, c := range st.Conditions {
		if c.Test != "Null" && !restrictive(c) {
			continue // holds without the key
		}
		var v string
		switch key := strings.ToLower(c.Variable); {
		case c.Test == "Null":
			if len(c.Values) == 0 || c.Values[0] != "false" {
				continue
			}
			v = "present"
		case key == "aws:sourceaccount":
			v = spec.AccountID
		case key == "aws:sourcearn" && caller.ID == "ecs-tasks.amazonaws.com":
			v = taskARN(env)
		case key == "sts:externalid" && spec.CrossAccount != nil && spec.CrossAccount.ExternalID != "":
			v = spec.CrossAccount.ExternalID
		case key == "aws:multifactorauthpresent":
			v = "true"
		case len(c.Values) > 0:
			v = instantiate(c.Values[0])
		default:
			continue
		}
		ctx[c.Variable] = []string{v}
	}
	return ctx
}

// taskARN is the ARN of an ECS task of the environment's cluster: what
// ECS gives as aws:SourceArn when a task assumes its role.
func taskARN(env *generator.Environment) string {
	spec := env.Spec
	return fmt.Sprintf("arn:%s:ecs:%s:%s:task/%s/1", spec.Partition, spec.Region, spec.AccountID, spec.Resources.ECSCluster)
}

// instantiate is a value a pattern matches: its wildcards filled in.
func instantiate(pattern string) string {
	return strings.NewReplacer("*", "x", "?", "x").Replace(pattern)
}

// otherValue is a value the condition must refuse, when one can be made:
// another account in an ARN or account ID, the other boolean, a string
// that no pattern of the condition matches.
func otherValue(c policy.Condition, current []string) (string, bool) {
	base := strings.TrimPrefix(c.Test, "ForAnyValue:")
	cur := ""
	if len(current) > 0 {
		cur = current[0]
	}
	switch {
	case base == "Bool":
		if cur == "true" {
			return "false", true
		}
		return "true", true
	case strings.HasPrefix(base, "Arn"):
		parts := strings.SplitN(cur, ":", 6)
		if len(parts) == 6 {
			parts[4] = otherAccount(parts[4])
			return strings.Join(parts, ":"), true
		}
	case strings.HasPrefix(base, "String"):
		if accountRe.MatchString(cur) {
			return otherAccount(cur), true
		}
		return "untrusted-" + cur, true
	}
	return "", false
}
