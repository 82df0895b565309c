package iameval

import (
	"strings"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/iameval/managed"
)

// Role is a generated role's policies, ready to evaluate: its inline
// policy, the managed policies whose content is known, its permissions
// boundary when known, and its trust policy.
type Role struct {
	Role     *generator.Role
	Policies []*Policy
	// Unknown lists the ARNs of the managed policies and the boundary
	// attached to the role whose content is not known (a customer's
	// policy, or an AWS managed policy not shipped in package managed):
	// decisions leave them out, so an allow they add or a deny they
	// state is not seen, and an unknown boundary is not applied.
	Unknown []string
}

// ForRole gathers a role's policies.
func ForRole(r *generator.Role) *Role {
	out := &Role{Role: r}
	if r.Permissions != nil {
		out.Policies = append(out.Policies, &Policy{Kind: Identity, Name: r.PolicyName, Document: *r.Permissions, Origins: r.PermissionOrigins})
	}
	for _, mp := range r.ManagedPolicies {
		p, ok := managed.Lookup(mp.ARN)
		if !ok {
			out.Unknown = append(out.Unknown, mp.ARN)
			continue
		}
		out.Policies = append(out.Policies, &Policy{Kind: Identity, Name: p.Name, Version: p.Version, Document: p.Document})
	}
	if b := r.PermissionsBoundary; b != "" {
		if p, ok := managed.Lookup(b); ok {
			out.Policies = append(out.Policies, &Policy{Kind: Boundary, Name: p.Name, Version: p.Version, Document: p.Document})
		} else {
			out.Unknown = append(out.Unknown, b)
		}
	}
	out.Policies = append(out.Policies, &Policy{Kind: Trust, Name: "trust policy", Document: r.Trust, Origins: r.TrustOrigins})
	return out
}

// Can decides whether the role, once assumed, may do action on resource:
// its identity policies and boundary, with the request context ctx. The
// keys AWS puts in every request of a role session (aws:PrincipalArn,
// aws:PrincipalAccount, aws:PrincipalType) are there unless ctx sets them.
func (r *Role) Can(action, resource string, ctx map[string][]string) Result {
	env := r.Role.Env
	return Evaluate(r.Policies, Request{Action: action, Resource: resource, Context: withDefaults(ctx, map[string][]string{
		"aws:PrincipalArn":     {r.Role.ARN()},
		"aws:PrincipalAccount": {env.AccountID},
		"aws:PrincipalType":    {"AssumedRole"},
	})})
}

// AssumableBy decides whether a principal may call action (sts:AssumeRole,
// sts:AssumeRoleWithWebIdentity, sts:TagSession...) on the role: its
// trust policy, with the request context ctx. The caller's own identity
// policies are outside the model; for a principal of the role's account
// named by a role or user ARN, IAM needs none. aws:PrincipalAccount and
// aws:PrincipalArn (an AWS principal) or aws:PrincipalServiceName (a
// service) are set unless ctx sets them.
func (r *Role) AssumableBy(p Principal, action string, ctx map[string][]string) Result {
	defaults := map[string][]string{}
	switch p.Type {
	case "AWS":
		if a := p.Account(); a != "" {
			defaults["aws:PrincipalAccount"] = []string{a}
		}
		if strings.HasPrefix(p.ID, "arn:") {
			defaults["aws:PrincipalArn"] = []string{p.ID}
		}
	case "Service":
		defaults["aws:PrincipalServiceName"] = []string{p.ID}
	}
	return Evaluate(r.Policies, Request{Action: action, Resource: r.Role.ARN(), Principal: &p, Context: withDefaults(ctx, defaults)})
}

// withDefaults is ctx with the defaults it does not set (keys compared
// without case).
func withDefaults(ctx, defaults map[string][]string) map[string][]string {
	out := make(map[string][]string, len(ctx)+len(defaults))
	set := map[string]bool{}
	for k, v := range ctx {
		out[k] = v
		set[strings.ToLower(k)] = true
	}
	for k, v := range defaults {
		if !set[strings.ToLower(k)] {
			out[k] = v
		}
	}
	return out
}
