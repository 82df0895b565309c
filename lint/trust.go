package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
	"github.com/cardinalhq/lakerunner-iam/policy"
)

// principals returns the identifiers of the statement's principals of a
// type ("AWS", "Service").
func (s *stmtCtx) principals(typ string) []string {
	var ids []string
	for _, p := range s.st.Principals {
		if strings.EqualFold(p.Type, typ) {
			ids = append(ids, p.Identifiers...)
		}
	}
	return ids
}

// LR007: any principal.
func checkTrustAny(s *stmtCtx) {
	if !s.allows() {
		return
	}
	var star []string
	for _, p := range s.st.Principals {
		if p.Type == "*" || (p.Type == "AWS" && slices.Contains(p.Identifiers, "*")) {
			star = append(star, "*")
		}
	}
	// "*" narrowed to an organization or account by condition is a
	// deliberate pattern.
	if len(star) == 0 || s.hasCondition("aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn") {
		return
	}
	msg := `Any principal ("*") of any AWS account can assume the role` + s.conditionsNote() + "."
	detail := "name the principals that may assume it, or narrow \"*\" with an aws:PrincipalOrgID or aws:PrincipalArn condition"
	s.addPrincipals(ruleTrustAny, ruleTrustAny.Severity, star, msg, detail)
}

// conditionsNote mentions the statement's conditions, the only thing that
// still restricts it.
func (s *stmtCtx) conditionsNote() string {
	if len(s.st.Conditions) == 0 {
		return ", with no condition"
	}
	var keys []string
	for _, c := range s.st.Conditions {
		keys = append(keys, c.Variable)
	}
	return ", restricted only by its conditions on " + english(keys)
}

// addPrincipals reports a finding about some principals of a trust
// statement, pointing at where they come from: the role block's
// trusted_principal_arns, the spec attribute the template reads them from
// (cross_account), or the template.
func (s *stmtCtx) addPrincipals(rule *Rule, sev Severity, ids []string, msg, detail string) {
	kind, env := s.role.Kind(), s.env.Name
	var rng hcl.Range
	var fix string
	ref, fromAttr := s.specAttr(fieldPrincipals)
	switch {
	case s.specPrincipals(ids):
		rng = s.role.Override.Pos().Attr("trusted_principal_arns")
		fix = fmt.Sprintf("Change trusted_principal_arns of role %q (environment %q): %s.", kind, env, detail)
	case fromAttr:
		rng = ref.rng
		fix = fmt.Sprintf("Change %s in environment %q: %s.", ref.name, env, detail)
	default:
		rng = s.roleRange()
		fix = fmt.Sprintf("Change the trust of role %q in its template (templates_dir): %s.", kind, detail)
	}
	s.addAt(rule, sev, rng, msg, fix+" "+s.accept(rule.Code, s.st.Sid))
}

// specPrincipals reports whether all ids are the role block's
// trusted_principal_arns.
func (s *stmtCtx) specPrincipals(ids []string) bool {
	o := s.role.Override
	if o == nil || len(ids) == 0 {
		return false
	}
	for _, id := range ids {
		if !slices.Contains(o.TrustedPrincipals, id) {
			return false
		}
	}
	return true
}

// LR008: wildcards inside principals.
func checkTrustWildcard(s *stmtCtx) {
	var bad, ids []string
	for _, p := range s.st.Principals {
		for _, id := range p.Identifiers {
			if id == "*" && (p.Type == "AWS" || p.Type == "*") {
				continue // LR007
			}
			if policy.HasWildcard(id) {
				bad = append(bad, fmt.Sprintf("%s principal %q", p.Type, id))
				ids = append(ids, id)
			}
		}
	}
	if len(bad) == 0 {
		return
	}
	msg := fmt.Sprintf(`%s %s a wildcard: IAM accepts no wildcard in a principal other than "*" alone, so creating or updating the role fails (MalformedPolicyDocument).`,
		english(bad), plural(len(bad), "contains", "contain"))
	detail := "name each principal exactly, or trust the account and narrow it with an ArnLike aws:PrincipalArn condition"
	s.addPrincipals(ruleTrustWildcard, ruleTrustWildcard.Severity, ids, msg, detail)
}

// LR009: whole accounts without sts:ExternalId.
func checkTrustExternalID(s *stmtCtx) {
	if !s.allows() || s.hasCondition("sts:ExternalId") {
		return
	}
	assume := false
	for _, a := range s.st.Actions {
		if policy.MatchAction(a, "sts:AssumeRole") {
			assume = true
		}
	}
	if !assume {
		return
	}
	ids := s.principals("AWS")
	var accounts, whole []string
	for _, id := range ids {
		if a, err := iamlimits.PrincipalARN(id); err == nil && a.Resource == "root" {
			accounts = append(accounts, a.Account)
			whole = append(whole, id)
		} else if iamlimits.AccountIDRe.MatchString(id) {
			accounts = append(accounts, id)
			whole = append(whole, id)
		}
	}
	if len(accounts) == 0 {
		return
	}
	msg := fmt.Sprintf("%s %s can assume the role without an sts:ExternalId: every principal of %s that %s own IAM policies allow may assume it, and a third party that assumes roles for several customers can be made a confused deputy.",
		plural(len(accounts), "Account", "Accounts"), english(accounts), plural(len(accounts), "that account", "those accounts"), plural(len(accounts), "its", "their"))
	detail := "trust the exact role ARN that needs access instead of the account root, or require an sts:ExternalId (external_id in the cross_account block)"
	s.addPrincipals(ruleTrustExternalID, ruleTrustExternalID.Severity, whole, msg, detail)
}

// noSourceConditionServices are trusted without confused-deputy conditions:
// EC2 assumes an instance role for the instance itself and supplies no
// source account or ARN (REFERENCE.md §4).
var noSourceConditionServices = []string{"ec2.amazonaws.com", "ec2.amazonaws.com.cn"}

// advisorySourceServices get LR010 as info only: Lambda assumes an
// execution role only for functions of the role's own account that were
// given the role, which takes iam:PassRole on it.
var advisorySourceServices = []string{"lambda.amazonaws.com", "lambda.amazonaws.com.cn"}

// LR010: service principals without aws:SourceAccount / aws:SourceArn.
func checkTrustSource(s *stmtCtx) {
	if !s.allows() || s.hasCondition("aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths") {
		return
	}
	ids := s.principals("Service")
	var services []string
	sev := Info
	for _, id := range ids {
		if slices.ContainsFunc(noSourceConditionServices, func(v string) bool { return strings.EqualFold(v, id) }) {
			continue
		}
		services = append(services, id)
		if !slices.ContainsFunc(advisorySourceServices, func(v string) bool { return strings.EqualFold(v, id) }) {
			sev = Warning
		}
	}
	if len(services) == 0 {
		return
	}
	msg := fmt.Sprintf("%s can assume the role with no aws:SourceAccount or aws:SourceArn condition, so the service could be made to use it on behalf of another account's resources (cross-service confused deputy).", english(services))
	if sev == Info {
		msg = fmt.Sprintf("%s can assume the role with no aws:SourceAccount or aws:SourceArn condition. Advisory: Lambda assumes an execution role only for functions of this account that were given the role (which takes iam:PassRole on it), so the confused-deputy risk is low; the condition is defence in depth.", english(services))
	}
	tmpl := s.role.Template
	var hint string
	switch {
	case tmpl.Trust != nil && tmpl.Trust.SourceArn != nil && s.env.ConfusedDeputyProtection != nil && !*s.env.ConfusedDeputyProtection:
		hint = fmt.Sprintf("Remove confused_deputy_protection = false from environment %q: by default the generator adds aws:SourceAccount and aws:SourceArn conditions to this trust policy.", s.env.Name)
		s.addAt(ruleTrustSource, sev, s.env.Pos().Attr("confused_deputy_protection"), msg, hint+" "+s.accept(ruleTrustSource.Code, s.st.Sid))
		return
	case s.tmpl == nil && tmpl.Trust != nil && tmpl.Trust.Service != "":
		hint = fmt.Sprintf("The catalog's %q template gives its trust no source_arn, so the spec cannot add the conditions; a template of your own (templates_dir) can: a trust block with service = %q and source_arn = %q.",
			s.role.Kind(), tmpl.Trust.Service, s.sourceArnExample(tmpl.Trust.Service))
	default:
		hint = fmt.Sprintf("Change the trust of role %q in its template (templates_dir): add a condition block with test = \"StringEquals\", variable = \"aws:SourceAccount\" and values = [%q].",
			s.role.Kind(), s.env.AccountID)
	}
	s.add(ruleTrustSource, sev, fieldStatement, msg, hint+" "+s.accept(ruleTrustSource.Code, s.st.Sid))
}

// sourceArnExample is the ARN pattern of the resources a service assumes a
// role for.
func (s *stmtCtx) sourceArnExample(svc string) string {
	e := s.env
	name := strings.TrimSuffix(strings.TrimSuffix(svc, ".cn"), ".amazonaws.com")
	switch name {
	case "lambda":
		return fmt.Sprintf("arn:%s:lambda:%s:%s:function:*", e.Partition, e.Region, e.AccountID)
	case "ecs-tasks":
		return fmt.Sprintf("arn:%s:ecs:%s:%s:*", e.Partition, e.Region, e.AccountID)
	}
	return fmt.Sprintf("arn:%s:%s:%s:%s:*", e.Partition, name, e.Region, e.AccountID)
}
