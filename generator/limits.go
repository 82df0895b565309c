package generator

import (
	"fmt"
	"regexp"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/policy"
)

// IAM quotas the generated roles must respect (REFERENCE.md §3, AWS IAM
// "IAM and AWS STS quotas").
const (
	maxRoleName            = 64
	maxInstanceProfileName = 128
	maxInlinePolicies      = 10240 // all inline policies of a role, without white space
	maxTrustPolicy         = 2048  // default quota, raisable to 4096
	maxTags                = 50
	maxTagKey              = 128
	maxTagValue            = 256
	maxDescription         = 1000
)

var (
	roleNameRe   = regexp.MustCompile(`^[\w+=,.@-]+$`)
	policyTextRe = regexp.MustCompile(`^[\t\n\r\x{20}-\x{FF}]*$`)
)

// specRange is where the spec decides a role's attribute: its role block
// when there is one, else its environment.
func (r *Role) specRange(attr string) hcl.Range {
	if r.Override != nil {
		return r.Override.Pos().Attr(attr)
	}
	return r.Env.DefRange
}

// checkLimits finds what IAM would refuse on apply, naming the role and the
// limit, so that a bad spec fails at gen time rather than half-way through
// an apply.
func checkLimits(m *Model) hcl.Diagnostics {
	var diags hcl.Diagnostics
	names := map[string]*Role{} // account/name → role: IAM names are per account
	for _, e := range m.Environments {
		for _, r := range e.Roles {
			bad := func(attr, summary, detail string) {
				diags = append(diags, errorAt(r.specRange(attr), summary, fmt.Sprintf("Role %q (%s) of environment %q: %s", r.Name, r.Kind(), e.Spec.Name, detail)))
			}
			if len(r.Name) > maxRoleName || !roleNameRe.MatchString(r.Name) {
				bad("name", "Invalid role name", fmt.Sprintf("IAM role names have 1 to %d letters, digits and +=,.@_- characters; this one has %d. Shorten name_prefix or set the role's name.", maxRoleName, len(r.Name)))
			}
			if len(r.InstanceProfileName) > maxInstanceProfileName {
				bad("name", "Instance profile name too long", fmt.Sprintf("instance profile names have at most %d characters.", maxInstanceProfileName))
			}
			key := r.Env.AccountID + "/" + r.Name
			if prev, dup := names[key]; dup {
				bad("name", "Duplicate role name", fmt.Sprintf("account %s would get two roles named %q (the other is %s of environment %q); role names are unique per account.", r.Env.AccountID, r.Name, prev.Kind(), prev.Env.Name))
			}
			names[key] = r
			if len(r.Description) > maxDescription {
				bad("description", "Description too long", fmt.Sprintf("IAM allows at most %d characters; this has %d.", maxDescription, len(r.Description)))
			}
			if n := len(r.ManagedPolicies); n > maxManagedPolicies {
				bad("managed_policy_arns", "Too many managed policies", fmt.Sprintf("%d managed policies; IAM's default quota is %d per role.", n, maxManagedPolicies))
			}
			if len(r.Tags) > maxTags {
				bad("tags", "Too many tags", fmt.Sprintf("%d tags after merging the catalog's, the environment's and the role's; IAM allows %d.", len(r.Tags), maxTags))
			}
			for k, v := range r.Tags {
				if len(k) > maxTagKey || len(v) > maxTagValue {
					bad("tags", "Tag too long", fmt.Sprintf("tag %q: keys have at most %d and values at most %d characters.", k, maxTagKey, maxTagValue))
				}
			}
			if n := r.Trust.Size(); n > maxTrustPolicy {
				bad("trusted_principal_arns", "Trust policy too large", fmt.Sprintf("its trust policy has %d characters without white space; IAM's default quota is %d.", n, maxTrustPolicy))
			}
			if r.Permissions != nil {
				if n := r.Permissions.Size(); n > maxInlinePolicies {
					bad("statement", "Inline policy too large", fmt.Sprintf("inline policy %q has %d characters without white space; IAM allows %d for all inline policies of a role together. Move statements into managed policies.", r.PolicyName, n, maxInlinePolicies))
				}
			}
			for _, doc := range []*policy.Document{&r.Trust, r.Permissions} {
				if doc != nil && !policyTextRe.Match(doc.JSON()) {
					bad("statement", "Invalid character in policy", "IAM policy text may contain only tab, line feed, carriage return and characters U+0020 to U+00FF.")
				}
			}
		}
	}
	return diags
}
