// Package iameval decides IAM requests offline, with AWS's documented
// semantics, over the policies the generator builds (policy.Document):
// identity policies, a permissions boundary and a role's trust policy.
//
// It follows AWS's "Policy evaluation logic" for a request within one
// account: an explicit Deny in any applicable policy wins; otherwise an
// identity request is allowed only when an identity policy allows it and,
// when the role has a permissions boundary, the boundary allows it too;
// a trust request (someone assuming the role) is allowed when the trust
// policy allows that principal. Every decision names the statements that
// made it, with their origin in the catalog or the spec, so a person can
// see why. Conditions are evaluated against the request context the
// caller gives: a key that is absent is absent (the emulators count such
// conditions as met; AWS does not).
package iameval

import (
	"fmt"
	"slices"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/policy"
)

// Decision is the outcome of a request, named as in AWS's documentation.
type Decision string

const (
	Allowed          Decision = "allowed"
	ExplicitlyDenied Decision = "explicitly_denied"
	ImplicitlyDenied Decision = "implicitly_denied"
)

// Kind is what a policy is to the request.
type Kind string

const (
	Identity Kind = "identity"             // an inline or managed policy of the role
	Boundary Kind = "permissions_boundary" // the role's permissions boundary
	Trust    Kind = "trust"                // the role's trust policy (a resource policy)
)

// Policy is one policy document and where its statements came from.
type Policy struct {
	Kind Kind
	// Name is the inline policy's name, the managed policy's name, or
	// "trust policy".
	Name string
	// Version is the default version of an AWS managed policy whose
	// content is shipped (package managed); "" otherwise.
	Version  string
	Document policy.Document
	// Origins says where each statement came from, index by index; nil
	// for a managed policy.
	Origins []generator.Origin
}

// Request is one request to decide.
type Request struct {
	Action string // e.g. "s3:GetObject"
	// Resource is the ARN the action is on, or "*" for actions that take
	// none. For a trust request it is the role's ARN.
	Resource string
	// Principal is who calls, for a trust request; nil for an identity
	// request, where the caller is the role itself.
	Principal *Principal
	// Context is the request context: condition key (matched without
	// regard to case, as IAM does) to values.
	Context map[string][]string
}

// Match is one statement that applied to a request.
type Match struct {
	Policy    *Policy
	Index     int // the statement's index in the policy
	Statement policy.Statement
}

// Origin is where the statement came from (zero for a managed policy).
func (m Match) Origin() generator.Origin {
	if m.Index < len(m.Policy.Origins) {
		return m.Policy.Origins[m.Index]
	}
	return generator.Origin{}
}

// Where names the statement for people: its policy, Sid or index, and
// the file and line it was written at.
func (m Match) Where() string {
	what := fmt.Sprintf("statement %d", m.Index+1)
	if m.Statement.Sid != "" {
		what = "statement " + m.Statement.Sid
	}
	policyName := string(m.Policy.Kind) + " policy " + m.Policy.Name
	switch m.Policy.Kind {
	case Trust:
		policyName = "trust policy"
	case Boundary:
		policyName = "permissions boundary " + m.Policy.Name
	}
	if m.Policy.Version != "" {
		return fmt.Sprintf("%s of AWS managed policy %s (%s)", what, m.Policy.Name, m.Policy.Version)
	}
	o := m.Origin()
	switch {
	case o.Spec != nil:
		return fmt.Sprintf("%s of %s, from the spec at %s", what, policyName, o.Spec.DefRange)
	case o.Template != nil:
		return fmt.Sprintf("%s of %s, from the catalog at %s", what, policyName, o.Template.DefRange)
	case o.TrustedPrincipals:
		return fmt.Sprintf("%s of %s, from the role block's trusted_principal_arns", what, policyName)
	case m.Policy.Kind == Trust:
		return fmt.Sprintf("%s of %s, from the template's trust service", what, policyName)
	}
	return fmt.Sprintf("%s of %s", what, policyName)
}

// Result is a decision and what made it.
type Result struct {
	Decision Decision
	// Deciding are the statements that decided: the Deny statements that
	// applied for an explicit deny; the Allow statements that applied
	// otherwise (for an implicit deny, those the boundary did not let
	// through, or none).
	Deciding []Match
	// Reason says in one sentence why.
	Reason string
	// NearMisses, for an implicit deny, are the Allow statements that
	// match the action, resource and principal but whose conditions fail
	// for this request context: what a person most likely meant.
	NearMisses []NearMiss
}

// NearMiss is a statement that would have applied but for its failing
// conditions.
type NearMiss struct {
	Match
	Failed []policy.Condition
}

// Evaluate decides a request against a set of policies. A request with a
// Principal is a trust request and reads only the Trust policies; one
// without reads the Identity policies and the Boundary.
func Evaluate(policies []*Policy, req Request) Result {
	ctx := newContext(req.Context)
	trust := req.Principal != nil
	var denies, allows, boundaryAllows []Match
	var misses []NearMiss
	hasBoundary := false
	for _, p := range policies {
		if (p.Kind == Trust) != trust {
			continue
		}
		if p.Kind == Boundary {
			hasBoundary = true
		}
		for i, st := range p.Document.Statements {
			m := Match{Policy: p, Index: i, Statement: st}
			if failed := unmet(st, req, ctx); failed == nil || len(failed) > 0 {
				if len(failed) > 0 && st.Effect != "Deny" && p.Kind != Boundary {
					misses = append(misses, NearMiss{m, failed})
				}
				continue
			}
			switch {
			case st.Effect == "Deny":
				denies = append(denies, m)
			case st.Effect != "Allow" && st.Effect != "":
				// IAM refuses such a policy; it grants nothing.
			case p.Kind == Boundary:
				boundaryAllows = append(boundaryAllows, m)
			default:
				allows = append(allows, m)
			}
		}
	}
	switch {
	case len(denies) > 0:
		return Result{Decision: ExplicitlyDenied, Deciding: denies, Reason: "A Deny statement applies, and an explicit deny overrides every allow."}
	case len(allows) == 0 && trust:
		return Result{ImplicitlyDenied, nil, "No statement of the trust policy allows this principal to do it with this request context.", misses}
	case len(allows) == 0:
		return Result{ImplicitlyDenied, nil, "No statement allows it with this request context, so it is implicitly denied.", misses}
	case hasBoundary && len(boundaryAllows) == 0:
		return Result{ImplicitlyDenied, allows, "The role's policies allow it, but its permissions boundary does not; effective permissions are the intersection.", nil}
	}
	return Result{Decision: Allowed, Deciding: append(allows, boundaryAllows...), Reason: "Allowed, and no Deny statement applies."}
}

// unmet is what keeps a statement from applying to a request: nil when
// its action, resource or principal (trust requests) does not match; else
// the conditions that fail, none when it applies.
func unmet(st policy.Statement, req Request, ctx requestContext) []policy.Condition {
	if !matches(st, req, ctx) {
		return nil
	}
	failed := []policy.Condition{}
	for _, c := range st.Conditions {
		if !conditionHolds(c, ctx) {
			failed = append(failed, c)
		}
	}
	return failed
}

// matches reports whether a statement's action, resource and principal
// (trust requests) match a request.
func matches(st policy.Statement, req Request, ctx requestContext) bool {
	if len(st.Actions) > 0 {
		if !slices.ContainsFunc(st.Actions, func(p string) bool { return policy.MatchAction(p, req.Action) }) {
			return false
		}
	} else if len(st.NotActions) == 0 || slices.ContainsFunc(st.NotActions, func(p string) bool { return policy.MatchAction(p, req.Action) }) {
		return false
	}
	matchResource := func(pattern string) bool {
		p, ok := substitute(pattern, ctx)
		return ok && policy.MatchResource(p, req.Resource)
	}
	switch {
	case len(st.Resources) > 0:
		if !slices.ContainsFunc(st.Resources, matchResource) {
			return false
		}
	case len(st.NotResources) > 0:
		if slices.ContainsFunc(st.NotResources, matchResource) {
			return false
		}
	}
	return req.Principal == nil || principalMatches(st.Principals, *req.Principal)
}
