package lint

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
	"github.com/cardinalhq/lakerunner-iam/lint/actions"
	"github.com/cardinalhq/lakerunner-iam/schema"
)

// LR001: Action "*".
func checkAllowAll(s *stmtCtx) {
	if !s.allows() || !containsExact(s.st.Actions, "*") {
		return
	}
	msg := fmt.Sprintf(`The statement allows every action of every AWS service ("*") on %s.`, s.resourcesText())
	s.add(ruleAllowAll, ruleAllowAll.Severity, fieldActions, msg,
		s.fix("list only the actions the role needs")+" "+s.accept(ruleAllowAll.Code, s.st.Sid))
}

var serviceWideRe = regexp.MustCompile(`^([A-Za-z0-9-]+):\*$`)

// LR002: "s3:*".
func checkServiceWide(s *stmtCtx) {
	if !s.allows() {
		return
	}
	var wide []string
	for _, a := range s.st.Actions {
		m := serviceWideRe.FindStringSubmatch(a)
		if m == nil {
			continue
		}
		if actions.Covered(m[1]) {
			wide = append(wide, fmt.Sprintf("%s (all %d %s actions)", a, len(actions.Actions(m[1])), strings.ToLower(m[1])))
		} else {
			wide = append(wide, fmt.Sprintf("%s (every %s action)", a, m[1]))
		}
	}
	if len(wide) == 0 {
		return
	}
	msg := fmt.Sprintf("The statement allows whole services: %s, on %s; that includes actions that delete data or change permissions, and every action AWS adds later.",
		english(wide), s.resourcesText())
	s.add(ruleServiceWide, ruleServiceWide.Severity, fieldActions, msg,
		s.fix("list the actions the role needs instead of the service wildcard")+" "+s.accept(ruleServiceWide.Code, s.st.Sid))
}

// expansion is one action entry of a statement and the real actions it
// stands for.
type expansion struct {
	written string
	actions []string // canonical; nil when the service is not covered or nothing matches
}

func expand(a string) expansion {
	if !actions.Covered(service(a)) {
		return expansion{written: a}
	}
	if hasWildcard(a) {
		return expansion{written: a, actions: actions.Match(a)}
	}
	if c, ok := actions.Canonical(a); ok {
		return expansion{written: a, actions: []string{c}}
	}
	return expansion{written: a}
}

func isPassRole(a string) bool { return strings.EqualFold(a, "iam:PassRole") }

// LR003: "*" resource for actions that can be scoped.
func checkResourceStar(s *stmtCtx) {
	if !s.allows() || !containsExact(s.st.Resources, "*") {
		return
	}
	var unscoped, fine []string // as written
	var unscopedActions []string
	services := map[string]bool{}
	var serviceOrder []string
	for _, a := range s.st.Actions {
		if a == "*" {
			continue // LR001
		}
		x := expand(a)
		if x.actions == nil {
			continue // not judged (uncovered service) or unknown (LR011)
		}
		var scopable []string
		for _, act := range x.actions {
			if !isPassRole(act) && !Resourceless(act) { // PassRole: LR005/LR006
				scopable = append(scopable, act)
			}
		}
		svc := service(a)
		switch {
		case len(scopable) == 0:
			if !(len(x.actions) == 1 && isPassRole(x.actions[0])) {
				fine = append(fine, a)
			}
			continue
		case s.narrows(svc):
			continue
		}
		if hasWildcard(a) {
			unscoped = append(unscoped, fmt.Sprintf("%s (%d of its %d actions support resources)", a, len(scopable), len(x.actions)))
		} else {
			unscoped = append(unscoped, a)
		}
		unscopedActions = append(unscopedActions, scopable...)
		if !services[svc] {
			services[svc] = true
			serviceOrder = append(serviceOrder, svc)
		}
	}
	if len(unscoped) == 0 {
		return
	}
	verb := "are"
	if len(unscoped) == 1 {
		verb = "is"
	}
	msg := fmt.Sprintf(`%s %s allowed on every resource ("*"), although %s resource-level permissions, and no condition narrows %s.`,
		english(unscoped), verb, plural(len(unscoped), "it supports", "they support"), plural(len(unscoped), "it", "them"))
	var scopes []string
	for _, svc := range serviceOrder {
		scopes = append(scopes, fmt.Sprintf("%s: %s", svc, s.scopeExample(svc)))
	}
	detail := "scope its actions (" + strings.Join(scopes, "; ") + ")"
	if len(fine) > 0 {
		detail += fmt.Sprintf(`, and keep %s, which %s only "*", in a statement with another Sid`, english(fine), plural(len(fine), "supports", "support"))
	}
	hint := s.fix(detail)
	if mp, ok := s.managedGrants(unscopedActions); ok {
		hint += fmt.Sprintf(` Note: the attached AWS managed policy %s grants these actions on "*" as well, so scoping this statement alone does not reduce what the role can do.`, mp)
	}
	s.add(ruleResourceStar, ruleResourceStar.Severity, fieldResources, msg, hint+" "+s.accept(ruleResourceStar.Code, s.st.Sid))
}

// managedGrants returns an attached AWS managed policy that grants every
// one of the actions on "*".
func (c *roleCtx) managedGrants(acts []string) (string, bool) {
	for _, mp := range c.role.ManagedPolicies {
		if !strings.Contains(mp.ARN, ":iam::aws:policy/") {
			continue
		}
		grants := awsManagedGrants[mp.Key]
		if grants == nil {
			continue
		}
		all := true
		for _, a := range acts {
			covered := false
			for _, g := range grants {
				if match(g, a) {
					covered = true
					break
				}
			}
			if !covered {
				all = false
				break
			}
		}
		if all {
			return mp.Key, true
		}
	}
	return "", false
}

// scopeExample says how to scope a service's actions, with the
// environment's partition, region and account.
func (c *roleCtx) scopeExample(svc string) string {
	e := c.env
	p, r, a := e.Partition, e.Region, e.AccountID
	switch svc {
	case "logs":
		return fmt.Sprintf(`resources = ["arn:%s:logs:%s:%s:log-group:<name>", "arn:%s:logs:%s:%s:log-group:<name>:*"]`, p, r, a, p, r, a)
	case "ecr":
		return fmt.Sprintf(`resources = ["arn:%s:ecr:%s:%s:repository/<name>"]`, p, r, a)
	case "ecs":
		cluster := "<cluster>"
		if e.Resources != nil && e.Resources.ECSCluster != "" {
			cluster = e.Resources.ECSCluster
		}
		return fmt.Sprintf(`a condition block with test = "ArnEquals", variable = "ecs:cluster" and values = ["arn:%s:ecs:%s:%s:cluster/%s"]`, p, r, a, cluster)
	case "application-autoscaling":
		return fmt.Sprintf(`resources = ["arn:%s:application-autoscaling:%s:%s:scalable-target/<id>"], or an aws:ResourceTag condition`, p, r, a)
	case "s3":
		return fmt.Sprintf(`resources = ["arn:%s:s3:::<bucket>", "arn:%s:s3:::<bucket>/*"]`, p, p)
	case "sqs":
		return fmt.Sprintf(`resources = ["arn:%s:sqs:%s:%s:<queue>"]`, p, r, a)
	case "secretsmanager":
		return fmt.Sprintf(`resources = ["arn:%s:secretsmanager:%s:%s:secret:<name>-*"]`, p, r, a)
	case "ssm":
		return fmt.Sprintf(`resources = ["arn:%s:ssm:%s:%s:parameter/<path>/*"]`, p, r, a)
	case "kms":
		return fmt.Sprintf(`resources = ["arn:%s:kms:%s:%s:key/<key-id>"], or a kms:ViaService condition`, p, r, a)
	case "kafka-cluster":
		cluster := "<cluster>"
		if e.Resources != nil && e.Resources.MSKCluster != "" {
			cluster = e.Resources.MSKCluster
		}
		return fmt.Sprintf(`resources = ["arn:%s:kafka:%s:%s:cluster/%s/*"]`, p, r, a, cluster)
	case "lambda":
		return fmt.Sprintf(`resources = ["arn:%s:lambda:%s:%s:function:<name>"]`, p, r, a)
	case "iam", "sts":
		return fmt.Sprintf(`resources = ["arn:%s:iam::%s:role/<name>"]`, p, a)
	case "cloudwatch":
		return fmt.Sprintf(`resources = ["arn:%s:cloudwatch:%s:%s:alarm:<name>"]`, p, r, a)
	case "ec2":
		return fmt.Sprintf(`resources = ["arn:%s:ec2:%s:%s:instance/<id>"], or an aws:ResourceTag condition`, p, r, a)
	}
	return fmt.Sprintf("resources = the ARNs of the %s resources it needs", svc)
}

// wideARN reports whether an ARN's resource part is only wildcards (after
// its resource type, if any): every resource of the service, or of a type,
// in the account. It returns what the ARN covers, for messages.
func wideARN(arn string) (string, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return "", false
	}
	svc, region, account, res := parts[2], parts[3], parts[4], parts[5]
	typ := ""
	if svc != "s3" { // S3 ARNs have no resource type: "bucket/key"
		if i := strings.IndexAny(res, "/:"); i > 0 && resourceTypeRe.MatchString(res[:i]) {
			typ, res = res[:i], res[i+1:]
		}
	}
	if res == "" || strings.Trim(res, "*/:") != "" || !strings.Contains(res, "*") {
		return "", false
	}
	what := "every " + svc + " resource"
	if typ != "" {
		what = "every " + svc + " " + typ
	}
	switch {
	case account == "" && svc == "s3":
		what += " of every account"
	case account != "":
		what += " of account " + account
	}
	if region != "" {
		what += " in " + region
	}
	return what, true
}

var resourceTypeRe = regexp.MustCompile(`^[a-z][a-z-]*$`)

// LR004: "arn:aws:logs:REGION:ACCOUNT:*".
func checkAccountWide(s *stmtCtx) {
	if !s.allows() {
		return
	}
	var acts []string
	narrowedAll := true
	for _, a := range s.st.Actions {
		if a == "*" || isPassRole(a) {
			continue
		}
		acts = append(acts, a)
		if !s.narrows(service(a)) {
			narrowedAll = false
		}
	}
	if len(acts) == 0 || narrowedAll {
		return
	}
	var wide []string
	for _, r := range s.st.Resources {
		if what, ok := wideARN(r); ok {
			wide = append(wide, fmt.Sprintf("%q (%s)", r, what))
		}
	}
	if len(wide) == 0 {
		return
	}
	msg := fmt.Sprintf("%s %s: the statement's %s apply to all of them, not only to Lakerunner's",
		english(wide), plural(len(wide), "is a wildcard over a whole account", "are wildcards over a whole account"), abbreviate(acts, 6))
	if ref, ok := s.specAttr(fieldResources); ok && s.spec == nil {
		var hint string
		if ref.written {
			msg += fmt.Sprintf(", because of %s.", ref.name)
			hint = fmt.Sprintf("Narrow %s in environment %q to the names the services use.", ref.name, s.env.Name)
		} else {
			msg += fmt.Sprintf(", because %s is not set.", ref.name)
			hint = fmt.Sprintf("Set %s in environment %q to the names the services use.", ref.name, s.env.Name)
		}
		s.add(ruleAccountWide, ruleAccountWide.Severity, fieldResources, msg, hint+" "+s.accept(ruleAccountWide.Code, s.st.Sid))
		return
	}
	s.add(ruleAccountWide, ruleAccountWide.Severity, fieldResources, msg+".",
		s.fix("name the resources the role needs")+" "+s.accept(ruleAccountWide.Code, s.st.Sid))
}

// passRoles are the statement's entries that allow iam:PassRole ("iam:*",
// "iam:Pass*", but not "*", which LR001 reports).
func (s *stmtCtx) passRoles() []string {
	var out []string
	for _, a := range s.st.Actions {
		if a != "*" && match(a, "iam:PassRole") {
			out = append(out, a)
		}
	}
	return out
}

// LR005: iam:PassRole on any role.
func checkPassRoleAny(s *stmtCtx) {
	if !s.allows() {
		return
	}
	pr := s.passRoles()
	if len(pr) == 0 {
		return
	}
	var msg string
	if len(s.st.NotResources) > 0 {
		msg = fmt.Sprintf("%s is allowed with NotResource: the role can pass every role of the account except %s, including administrator roles, to a service it controls, and so act with that role's permissions.",
			english(pr), english(quoted(s.st.NotResources)))
	} else {
		var wide []string
		for _, r := range s.st.Resources {
			if _, ok := wideARN(r); ok || r == "*" {
				wide = append(wide, r)
			}
		}
		if len(wide) == 0 {
			return
		}
		msg = fmt.Sprintf("%s is allowed on %s: the role can pass any role of the account, including administrator roles, to a service it controls, and so act with that role's permissions.",
			english(pr), english(quoted(wide)))
	}
	detail := fmt.Sprintf(`name the roles it passes, e.g. resources = ["arn:%s:iam::%s:role/<name>"]`, s.env.Partition, s.env.AccountID)
	s.add(rulePassRoleAny, rulePassRoleAny.Severity, fieldResources, msg, s.fix(detail)+" "+s.accept(rulePassRoleAny.Code, s.st.Sid))
}

// LR006: iam:PassRole without iam:PassedToService.
func checkPassRoleService(s *stmtCtx) {
	if !s.allows() {
		return
	}
	pr := s.passRoles()
	if len(pr) == 0 || s.hasCondition("iam:PassedToService") {
		return
	}
	what := "the roles"
	if len(s.st.Resources) > 0 && len(s.st.Resources) <= 4 {
		what = english(quoted(s.st.Resources))
	}
	msg := fmt.Sprintf("%s is allowed without an iam:PassedToService condition: %s can be passed to any AWS service that takes a role, not only to the one that needs them.",
		english(pr), what)
	detail := fmt.Sprintf(`add a condition block with test = "StringEquals", variable = "iam:PassedToService" and values = [%q]`, s.passTarget())
	s.add(rulePassRoleService, rulePassRoleService.Severity, fieldStatement, msg, s.fix(detail)+" "+s.accept(rulePassRoleService.Code, s.st.Sid))
}

// passTarget guesses the service the role passes roles to from the other
// actions of its policy.
func (s *stmtCtx) passTarget() string {
	if s.role.Permissions == nil {
		return "<service>.amazonaws.com"
	}
	targets := []struct {
		actions []string
		service string
	}{
		{[]string{"ecs:RunTask", "ecs:StartTask", "ecs:RegisterTaskDefinition", "ecs:CreateService", "ecs:UpdateService"}, "ecs-tasks.amazonaws.com"},
		{[]string{"lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"}, "lambda.amazonaws.com"},
		{[]string{"ec2:RunInstances", "ec2:AssociateIamInstanceProfile"}, "ec2.amazonaws.com"},
	}
	granted := s.role.Permissions.AllowedActions()
	for _, t := range targets {
		for _, want := range t.actions {
			for _, g := range granted {
				if g != "*" && match(g, want) {
					return t.service
				}
			}
		}
	}
	return "<service>.amazonaws.com"
}

// LR011: actions that do not exist.
func checkUnknownAction(s *stmtCtx) {
	var bad []string
	for _, list := range [][]string{s.st.Actions, s.st.NotActions} {
		for _, a := range list {
			if a == "*" || !actions.Covered(service(a)) || actions.Known(a) {
				continue
			}
			item := a
			if !hasWildcard(a) {
				if m := schema.Closest(a, actions.Actions(service(a))); m != "" {
					item += fmt.Sprintf(" (did you mean %s?)", m)
				}
			} else {
				item += " (matches no action)"
			}
			bad = append(bad, item)
		}
	}
	if len(bad) == 0 {
		return
	}
	effect := "grant"
	if !s.allows() {
		effect = "deny"
	}
	msg := fmt.Sprintf("%s %s no IAM action of %s (per the Service Authorization Reference); IAM ignores %s silently, so the statement does not %s what it says.",
		english(bad), plural(len(bad), "is", "are"), plural(len(bad), "its service", "their services"), plural(len(bad), "it", "them"), effect)
	s.add(ruleUnknownAction, ruleUnknownAction.Severity, fieldActions, msg,
		s.fix("spell the actions as the Service Authorization Reference does")+" "+s.accept(ruleUnknownAction.Code, s.st.Sid))
}

// LR012: Allow with NotAction or NotResource.
func checkNotElement(s *stmtCtx) {
	if !s.allows() || (len(s.st.NotActions) == 0 && len(s.st.NotResources) == 0) {
		return
	}
	var parts []string
	f := fieldActions
	if len(s.st.NotActions) > 0 {
		parts = append(parts, fmt.Sprintf("every action of every service except %s", english(s.st.NotActions)))
	} else {
		parts = append(parts, abbreviate(s.st.Actions, 6))
	}
	if len(s.st.NotResources) > 0 {
		parts = append(parts, fmt.Sprintf("on every resource except %s", english(quoted(s.st.NotResources))))
		if len(s.st.NotActions) == 0 {
			f = fieldResources
		}
	} else {
		parts = append(parts, "on "+s.resourcesText())
	}
	msg := fmt.Sprintf("The statement allows %s: an Allow with NotAction or NotResource grants everything it does not list, including what AWS adds later.", strings.Join(parts, " "))
	s.add(ruleNotElement, ruleNotElement.Severity, f, msg,
		s.fix("list the actions and resources it allows (actions, resources), and use a Deny statement for exceptions")+" "+s.accept(ruleNotElement.Code, s.st.Sid))
}

// LR013: partial action wildcards.
func checkActionWildcard(s *stmtCtx) {
	if !s.allows() {
		return
	}
	for _, a := range s.st.Actions {
		if a == "*" || !hasWildcard(a) || serviceWideRe.MatchString(a) || !actions.Covered(service(a)) {
			continue
		}
		m := actions.Match(a)
		if len(m) == 0 {
			continue // LR011
		}
		msg := fmt.Sprintf("%s grants %d %s today (%s), and any action AWS adds that matches it.",
			a, len(m), plural(len(m), "action", "actions"), abbreviate(m, 8))
		s.add(ruleActionWildcard, ruleActionWildcard.Severity, fieldActions, msg,
			s.fix(fmt.Sprintf("list the actions it needs instead of %s", a))+" "+s.accept(ruleActionWildcard.Code, s.st.Sid))
	}
}

// resourcesText describes the statement's resources.
func (s *stmtCtx) resourcesText() string {
	if len(s.st.NotResources) > 0 {
		return "every resource except " + english(quoted(s.st.NotResources))
	}
	if len(s.st.Resources) == 1 && s.st.Resources[0] == "*" {
		return `every resource ("*")`
	}
	return abbreviate(quoted(s.st.Resources), 4)
}

// LR014: policies near their size quota.
func checkSize(c *roleCtx) {
	r := c.role
	add := func(p Policy, name string, size, limit int, hint string) {
		if size*10 < limit*9 {
			return
		}
		f := Finding{
			Code: ruleSize.Code, Rule: ruleSize.Name, Severity: ruleSize.Severity,
			Environment: c.env.Name, RoleKind: r.Kind(), RoleName: r.Name,
			Policy: p, Index: -1,
			Message: fmt.Sprintf("%s has %d characters without white space, %d%% of IAM's quota of %d; a few more statements or principals and IAM refuses it.",
				name, size, size*100/limit, limit),
			Hint:  hint + " " + c.accept(ruleSize.Code, ""),
			Range: c.roleRange(),
		}
		if p == PolicyPermissions {
			f.PolicyName = r.PolicyName
		} else if r.Override != nil && len(r.TrustedPrincipals) > 0 {
			f.Range = r.Override.Pos().Attr("trusted_principal_arns")
		}
		c.findings = append(c.findings, f)
	}
	if r.Permissions != nil {
		add(PolicyPermissions, fmt.Sprintf("Inline policy %q", r.PolicyName), r.Permissions.Size(), iamlimits.InlinePoliciesMax,
			fmt.Sprintf("Move statements of role %q into customer managed policies (managed_policy_arns; up to 6,144 characters each), or replace long lists of ARNs with patterns.", r.Kind()))
	}
	add(PolicyTrust, "The trust policy", r.Trust.Size(), iamlimits.TrustPolicyMax,
		fmt.Sprintf("Trust fewer principals in role %q (e.g. one role per account rather than many), or raise the account's trust policy quota (up to 4,096) with Service Quotas.", r.Kind()))
}
