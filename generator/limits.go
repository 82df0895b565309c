package generator

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
	"github.com/cardinalhq/lakerunner-iam/policy"
	"github.com/cardinalhq/lakerunner-iam/schema"
)

// specRange is where the spec decides a role's attribute: its role block
// when there is one, else its environment.
func (r *Role) specRange(attr string) hcl.Range {
	if r.Override != nil {
		return r.Override.Pos().Attr(attr)
	}
	return r.Env.DefRange
}

// nameRange is where the spec decides the role's name: the role block's
// name when it sets one, else the environment's name_prefix (or its
// block, when the prefix is the default).
func (r *Role) nameRange() hcl.Range {
	if r.Override != nil && r.Override.Pos().Has("name") {
		return r.Override.Pos().Attr("name")
	}
	return r.Env.Pos().Attr("name_prefix")
}

// nameHint says how to change the role's name.
func (r *Role) nameHint() string {
	if r.Override != nil && r.Override.Pos().Has("name") {
		return "Choose another name here."
	}
	hint := fmt.Sprintf("Shorten name_prefix (%q)", r.Env.NamePrefix)
	if k := r.Env.KECS; k != nil && k.RolePrefix != "" {
		hint += fmt.Sprintf(" or the kecs block's role_prefix (%q)", k.RolePrefix)
	}
	return hint + fmt.Sprintf(", or set a shorter name in a role %q block.", r.Kind())
}

// trustRange is where the spec decides who the role trusts.
func (r *Role) trustRange() hcl.Range {
	if r.Override != nil && r.Override.Pos().Has("trusted_principal_arns") {
		return r.Override.Pos().Attr("trusted_principal_arns")
	}
	if c := r.Env.CrossAccount; c != nil && strings.HasPrefix(r.Kind(), "cross-account") { // with or without an ExternalId
		if c.Pos().Has("trusted_principal_arns") {
			return c.Pos().Attr("trusted_principal_arns")
		}
		return c.Pos().Attr("trusted_account_ids")
	}
	return r.specRange("trusted_principal_arns")
}

// policyRange is where the spec makes the role's inline policy large: the
// largest statement the spec adds, else the resources the catalog's
// statements are scoped to. It also returns a sentence naming it.
func (r *Role) policyRange() (hcl.Range, string) {
	if r.Override != nil && len(r.Override.Statements) == len(r.ExtraStatements) && len(r.ExtraStatements) > 0 {
		best, size := 0, 0
		for i, st := range r.ExtraStatements {
			if n := (policy.Document{Statements: []policy.Statement{st}}).Size(); n > size {
				best, size = i, n
			}
		}
		what := "statement"
		if sid := r.ExtraStatements[best].Sid; sid != "" {
			what = fmt.Sprintf("statement %q", sid)
		}
		return r.Override.Statements[best].DefRange,
			fmt.Sprintf(" The largest of the %d statements the spec adds, %s, has %d.", len(r.ExtraStatements), what, size)
	}
	return r.Env.Resources.DefRange, ""
}

// checkLimits finds what IAM would refuse on apply, naming the role and the
// limit, so that a bad spec fails at gen time rather than half-way through
// an apply.
func checkLimits(m *Model) hcl.Diagnostics {
	var diags hcl.Diagnostics
	names := map[string]*Role{} // account/name → role: IAM names are per account
	for _, e := range m.Environments {
		// Names that clash because two environments of one account share
		// a name prefix: one diagnostic per pair of environments.
		type clash struct {
			other *schema.Environment
			names []string
		}
		var clashes []*clash
		for _, r := range e.Roles {
			at := func(rng hcl.Range, summary, detail string) {
				diags = append(diags, errorAt(rng, summary, fmt.Sprintf("Role %s (%s) of environment %q: %s", schema.Quote(r.Name), r.Kind(), e.Spec.Name, detail)))
			}
			bad := func(attr, summary, detail string) { at(r.specRange(attr), summary, detail) }
			if err := iamlimits.RoleName(r.Name); err != nil {
				at(r.nameRange(), "Invalid role name", fmt.Sprintf("%s. %s", err, r.nameHint()))
			}
			if r.InstanceProfileName != "" {
				if err := iamlimits.InstanceProfileName(r.InstanceProfileName); err != nil {
					at(r.nameRange(), "Invalid instance profile name", fmt.Sprintf("%s. %s", err, r.nameHint()))
				}
			}
			// IAM compares role names case-insensitively.
			key := r.Env.AccountID + "/" + strings.ToLower(r.Name)
			if prev, dup := names[key]; dup {
				if r.Override != nil && r.Override.Pos().Has("name") || prev.Env == r.Env {
					same := fmt.Sprintf("named %q", r.Name)
					if prev.Name != r.Name {
						same = fmt.Sprintf("named %q and %q, which IAM takes for one name as it ignores case", prev.Name, r.Name)
					}
					at(r.nameRange(), "Duplicate role name", fmt.Sprintf("account %s would get two roles %s (the other is %s of environment %q); role names are unique per account. %s", r.Env.AccountID, same, prev.Kind(), prev.Env.Name, r.nameHint()))
				} else {
					var c *clash
					for _, x := range clashes {
						if x.other == prev.Env {
							c = x
						}
					}
					if c == nil {
						c = &clash{other: prev.Env}
						clashes = append(clashes, c)
					}
					name := fmt.Sprintf("%q", r.Name)
					if prev.Name != r.Name {
						name = fmt.Sprintf("%q (%q there)", r.Name, prev.Name)
					}
					c.names = append(c.names, name)
				}
			}
			names[key] = r
			if n := utf8.RuneCountInString(r.Description); n > iamlimits.DescriptionMax {
				bad("description", "Description too long", fmt.Sprintf("IAM allows at most %d characters; this has %d.", iamlimits.DescriptionMax, n))
			}
			if n := len(r.ManagedPolicies); n > iamlimits.ManagedPoliciesPerRole {
				extra := 0
				for _, mp := range r.ManagedPolicies {
					if mp.Extra {
						extra++
					}
				}
				bad("managed_policy_arns", "Too many managed policies", fmt.Sprintf("%d managed policies (%d from the catalog, %d from managed_policy_arns); IAM's default quota is %d per role. Combine the extra policies into one customer managed policy, or add their statements to the role as statement blocks.", n, n-extra, extra, iamlimits.ManagedPoliciesPerRole))
			}
			if len(r.Tags) > iamlimits.TagsMax {
				bad("tags", "Too many tags", fmt.Sprintf("%d tags after merging the catalog's, the environment's and the role's; IAM allows %d. Remove tags here or from the environment's tags, which every role gets.", len(r.Tags), iamlimits.TagsMax))
			}
			folded := map[string]string{}
			for _, k := range slices.Sorted(maps.Keys(r.Tags)) {
				if v := r.Tags[k]; utf8.RuneCountInString(k) > iamlimits.TagKeyMax || utf8.RuneCountInString(v) > iamlimits.TagValueMax {
					bad("tags", "Tag too long", fmt.Sprintf("tag %q: keys have at most %d and values at most %d characters.", k, iamlimits.TagKeyMax, iamlimits.TagValueMax))
				}
				if prev, dup := folded[strings.ToLower(k)]; dup {
					at(r.tagsRange(prev, k), "Duplicate tag key", fmt.Sprintf("tags %q and %q differ only in case once the catalog's, the environment's and the role's tags are merged; IAM treats tag keys case-insensitively and refuses the role. Spell the key the same way everywhere, or remove one.", prev, k))
				}
				folded[strings.ToLower(k)] = k
			}
			trust := r.Trust.JSON()
			if n := len(trust); n > iamlimits.TrustPolicyMax {
				at(r.trustRange(), "Trust policy too large", fmt.Sprintf("its trust policy has %d characters without white space; IAM's default quota is %d. Trust fewer principals: for example one role per account that the others assume, or the account itself (a cross_account block, with an ExternalId).", n, iamlimits.TrustPolicyMax))
			}
			var permissions []byte
			if r.Permissions != nil {
				permissions = r.Permissions.JSON()
				if n := len(permissions); n > iamlimits.InlinePoliciesMax {
					rng, largest := r.policyRange()
					fix := "Move statements into a customer managed policy attached with managed_policy_arns, or scope them with fewer, broader patterns (e.g. \"arn:aws:s3:::bucket/team-*\")."
					if r.Merged != nil { // the shared EKS role (shared.go)
						rng, largest = r.Env.EKS.Pos().Attr("role_layout"), fmt.Sprintf(" It unites the statements of %d workload roles.", len(r.Merged))
						fix = "Set role_layout = \"per-role\" in the eks block: a ServiceAccount and a role per role kind, each with its own quota."
					}
					at(rng, "Inline policy too large", fmt.Sprintf("inline policy %q has %d characters without white space; IAM allows %d for all inline policies of a role together.%s %s", r.PolicyName, n, iamlimits.InlinePoliciesMax, largest, fix))
				}
			}
			for _, doc := range [][]byte{trust, permissions} {
				if !policyText(doc) {
					bad("statement", "Invalid character in policy", "IAM policy text may contain only tab, line feed, carriage return and characters U+0020 to U+00FF.")
				}
			}
		}
		for _, c := range clashes {
			hint := "give one of them its own name_prefix"
			if p := e.Spec.NamePrefix + "-" + e.Spec.Name; len(p) <= iamlimits.NamePrefixMax && !e.Spec.Pos().Has("name_prefix") {
				hint = fmt.Sprintf("give one of them its own name_prefix, e.g. name_prefix = %q here", p)
			}
			prefix := fmt.Sprintf("name prefix %q,", e.Spec.NamePrefix)
			if c.other.NamePrefix != e.Spec.NamePrefix {
				prefix = fmt.Sprintf("name prefixes %q and %q, which IAM takes for one as it ignores case in role names,", c.other.NamePrefix, e.Spec.NamePrefix)
			}
			diags = append(diags, errorAt(e.Spec.Pos().Attr("name_prefix"), "Duplicate role names",
				fmt.Sprintf("Environments %q and %q are both in account %s with %s so the account would get two roles each named %s; role names are unique per account. Put the environments in different accounts, or %s.",
					c.other.Name, e.Spec.Name, e.Spec.AccountID, prefix, strings.Join(c.names, ", "), hint)))
		}
	}
	return diags
}

// tagsRange is where the spec writes one of two tag keys that differ in
// case: the role block's tags, else the environment's.
func (r *Role) tagsRange(keys ...string) hcl.Range {
	for _, k := range keys {
		if r.Override != nil && hasKey(r.Override.Tags, k) {
			return r.Override.Pos().Attr("tags")
		}
	}
	for _, k := range keys {
		if hasKey(r.Env.Tags, k) {
			return r.Env.Pos().Attr("tags")
		}
	}
	return r.specRange("tags")
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}

// policyText reports whether IAM accepts the characters of a policy
// document, as iamlimits.PolicyTextRe says. Printable ASCII, all of it
// nearly always, needs no regexp, which takes 30 ns a byte.
func policyText(doc []byte) bool {
	for _, c := range doc {
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c > 0x7e {
			return iamlimits.PolicyTextRe.Match(doc)
		}
	}
	return true
}
