package importer

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/policy"
)

// overrides is the role block that makes the catalog's role r0 (evaluated
// with the names found, nothing else customized) the account's role a;
// catalogTags says whether the environment keeps the catalog's tags.
func overrides(r0 *generator.Role, a *Role, catalogTags bool) *roleBlock {
	rb := &roleBlock{Kind: r0.Kind()}
	if a.Description != r0.Description {
		rb.Description = ptr(a.Description)
	}
	rb.Boundary = a.PermissionsBoundary
	if a.MaxSessionDuration != 0 && a.MaxSessionDuration != r0.MaxSessionDuration {
		rb.MaxSessionDuration = a.MaxSessionDuration
	}

	// Tags: the catalog's, where they are kept, with the role's values
	// over them; else exactly the role's.
	if catalogTags {
		diff := map[string]string{}
		for k, v := range a.Tags {
			if r0.Tags[k] != v {
				diff[k] = v
			}
		}
		if len(diff) > 0 {
			rb.Tags = diff
		}
	} else if len(a.Tags) > 0 {
		rb.Tags = a.Tags
	}

	// Trust: AWS principals the catalog's trust lacks.
	if trust, err := parseStatements(a.Trust); err == nil {
		var known []string
		for _, st := range r0.Trust.Statements {
			for _, p := range st.Principals {
				if p.Type == "AWS" {
					known = append(known, p.Identifiers...)
				}
			}
		}
		for _, p := range awsPrincipals(trust) {
			if !slices.Contains(known, p) && !slices.Contains(rb.TrustedPrincipals, p) {
				rb.TrustedPrincipals = append(rb.TrustedPrincipals, p)
			}
		}
	}

	// Managed policies the catalog does not attach.
	catalog := map[string]bool{}
	for _, mp := range r0.ManagedPolicies {
		catalog[mp.ARN] = true
	}
	for _, arn := range a.Attached {
		if !catalog[arn] {
			rb.ManagedPolicyARNs = append(rb.ManagedPolicyARNs, arn)
		}
	}

	inlinePolicy(rb, r0, a)

	// The instance profile carries the role's tags unless told otherwise.
	if r0.InstanceProfileName != "" {
		for _, ip := range a.InstanceProfiles {
			if ip.Name == r0.InstanceProfileName && !maps.Equal(ip.Tags, a.Tags) {
				rb.InstanceProfileTags = ip.Tags
			}
		}
	}
	return rb
}

// hasCatalogTags reports whether the role has every tag key the catalog
// gives it, so that the catalog's tags can stay (with its values).
func hasCatalogTags(r0 *generator.Role, a *Role) bool {
	for k := range r0.Tags {
		if _, ok := a.Tags[k]; !ok {
			return false
		}
	}
	return true
}

// inlinePolicy adopts the role's inline policy: the catalog's, under the
// name the account gave it, with statement blocks for what differs.
func inlinePolicy(rb *roleBlock, r0 *generator.Role, a *Role) {
	name := r0.PolicyName
	if r0.Template.Policy == nil {
		name = r0.Name + "-extra" // the module's policy of statement blocks
	}
	var catalog []policy.Statement
	if r0.Permissions != nil {
		catalog = r0.Permissions.Statements
	}
	pick := -1
	bestCommon := -1
	for i, p := range a.Inline {
		if p.Name == name {
			pick = i
			break
		}
		if r0.Template.Policy == nil {
			continue
		}
		stmts, err := parseStatements(p.Document)
		if err != nil {
			continue
		}
		if n := len(sameStatements(catalog, stmts)); n > bestCommon {
			pick, bestCommon = i, n
		}
	}
	if pick < 0 {
		if r0.Template.Policy != nil {
			rb.InlinePolicy = ptr(false)
		}
		return
	}
	for i, p := range a.Inline {
		if i != pick {
			rb.Notes = append(rb.Notes, fmt.Sprintf("Inline policy %s is not the catalog's: the spec leaves it as it is, unmanaged.", p.Name))
		}
	}
	p := a.Inline[pick]
	if p.Name != name {
		rb.PolicyName = p.Name
	}
	stmts, err := parseStatements(p.Document)
	if err != nil {
		rb.Notes = append(rb.Notes, fmt.Sprintf("Inline policy %s: %v.", p.Name, err))
		return
	}
	blocks, notes := statementBlocks(catalog, stmts)
	rb.Statements, rb.Notes = blocks, append(rb.Notes, notes...)
}

// sameStatements pairs each statement of the account's policy with an
// equivalent catalog statement: index in stmts -> index in catalog.
func sameStatements(catalog []policy.Statement, stmts []statement) map[int]int {
	out := map[int]int{}
	used := map[int]bool{}
	for i, s := range stmts {
		for j, c := range catalog {
			if !used[j] && equivalent(string(policy.Document{Statements: []policy.Statement{c}}.JSON()), doc(s)) {
				out[i], used[j] = j, true
				break
			}
		}
	}
	return out
}

// statementBlocks are the statement blocks that turn the catalog's
// statements into the account's: one with a catalog Sid replaces that
// statement, the others are added. A catalog statement the account lacks
// can only be replaced under its Sid: notes say what is left.
func statementBlocks(catalog []policy.Statement, stmts []statement) ([]policy.Statement, []string) {
	same := sameStatements(catalog, stmts)
	covered := map[int]bool{}
	for _, j := range same {
		covered[j] = true
	}
	var blocks []policy.Statement
	var notes []string
	for i, s := range stmts {
		if _, ok := same[i]; ok {
			continue
		}
		st, ok := toPolicy(s)
		if !ok {
			notes = append(notes, fmt.Sprintf("Statement %q names a principal, which a statement block cannot: the plan removes it.", s.sid()))
			continue
		}
		if st.Effect == "" {
			st.Effect = "Allow"
		}
		for j, c := range catalog {
			if c.Sid != "" && c.Sid == st.Sid {
				covered[j] = true
			}
		}
		blocks = append(blocks, st)
	}
	for j, c := range catalog {
		if !covered[j] {
			notes = append(notes, fmt.Sprintf("The catalog's statement %q is not in the inline policy: the plan adds it.", c.Sid))
		}
	}
	return blocks, notes
}

var rootARN = regexp.MustCompile(`^arn:[^:]+:iam::(\d{12}):root$`)

// crossAccountOf reads the cross_account block from the trust of the role
// other accounts assume: who it trusts, the ExternalId, and MFA.
func crossAccountOf(a *Role) (*crossAccount, error) {
	stmts, err := parseStatements(a.Trust)
	if err != nil {
		return nil, fmt.Errorf("role %s: trust policy: %w", a.Name, err)
	}
	ca := &crossAccount{}
	for _, s := range stmts {
		conds, _ := s["Condition"].(map[string]any)
		eq, _ := conds["StringEquals"].(map[string]any)
		ids := strs(eq["sts:ExternalId"])
		if len(ids) == 0 {
			continue
		}
		ca.ExternalID = ids[0]
		for _, p := range awsPrincipals([]statement{s}) {
			if m := rootARN.FindStringSubmatch(p); m != nil {
				ca.AccountIDs = append(ca.AccountIDs, m[1])
			} else if len(p) == 12 {
				ca.AccountIDs = append(ca.AccountIDs, p)
			} else {
				ca.PrincipalARNs = append(ca.PrincipalARNs, p)
			}
		}
		b, _ := conds["Bool"].(map[string]any)
		ca.RequireMFA = slices.Contains(strs(b["aws:MultiFactorAuthPresent"]), "true")
		return ca, nil
	}
	return nil, fmt.Errorf("role %s is the cross-account role, but no statement of its trust requires an sts:ExternalId; the catalog's cross-account role always does", a.Name)
}

// verify compares the role the spec generates with the account's, as the
// adopt plan will: each difference is an update the plan shows.
func verify(r *generator.Role, a *Role) []string {
	var out []string
	diff := func(what string, format string, args ...any) {
		out = append(out, fmt.Sprintf("The plan updates %s: "+format+".", append([]any{what}, args...)...))
	}
	if r.ARN() != a.ARN {
		out = append(out, fmt.Sprintf("The role is %s, not %s: check --account-id and the credentials' account.", a.ARN, r.ARN()))
	}
	if !equivalent(string(r.Trust.JSON()), a.Trust) {
		diff("the trust policy", "the account's is %s", a.Trust)
	}
	if r.Description != a.Description {
		diff("the description", "%q in the account", a.Description)
	}
	if d := a.MaxSessionDuration; d != 0 && d != r.MaxSessionDuration {
		diff("the maximum session duration", "%d s in the account", d)
	}
	if r.PermissionsBoundary != a.PermissionsBoundary {
		diff("the permissions boundary", "%q in the account", a.PermissionsBoundary)
	}
	if !maps.Equal(r.Tags, a.Tags) {
		diff("the tags", "%v in the account", a.Tags)
	}
	if r.Permissions != nil {
		found := false
		for _, p := range a.Inline {
			if p.Name == r.PolicyName {
				found = true
				if !equivalent(string(r.Permissions.JSON()), p.Document) {
					diff("inline policy "+p.Name, "the account's is %s", p.Document)
				}
			}
		}
		if !found {
			out = append(out, fmt.Sprintf("There is no inline policy %s: the plan creates it.", r.PolicyName))
		}
	}
	var want []string
	for _, mp := range r.ManagedPolicies {
		want = append(want, mp.ARN)
	}
	for _, arn := range want {
		if !slices.Contains(a.Attached, arn) {
			out = append(out, fmt.Sprintf("Managed policy %s is not attached: the plan attaches it.", arn))
		}
	}
	if r.InstanceProfileName != "" {
		tags := r.Tags
		if r.InstanceProfileTags != nil {
			tags = r.InstanceProfileTags
		}
		i := slices.IndexFunc(a.InstanceProfiles, func(ip InstanceProfile) bool { return ip.Name == r.InstanceProfileName })
		switch {
		case i < 0:
			out = append(out, fmt.Sprintf("There is no instance profile %s: the plan creates it.", r.InstanceProfileName))
		case !maps.Equal(tags, a.InstanceProfiles[i].Tags):
			diff("the instance profile's tags", "%v in the account", a.InstanceProfiles[i].Tags)
		}
	}
	return out
}
