package lint

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/policy"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// Check runs every rule over every role of the model and applies the
// spec's accept blocks.
func Check(m *generator.Model) *Report {
	rep := &Report{Spec: m.Spec.Filename, Sources: map[string][]byte{m.Spec.Filename: m.Spec.Src}}
	for _, e := range m.Environments {
		for _, r := range e.Roles {
			// The shared EKS role's statements are its workload roles':
			// the spec customizes and accepts them by those kinds.
			for _, w := range r.Merged {
				c := &roleCtx{env: e.Spec, role: w, shared: r}
				c.check()
				rep.Findings = append(rep.Findings, c.findings...)
			}
			c := &roleCtx{env: e.Spec, role: r}
			c.check()
			rep.Findings = append(rep.Findings, c.findings...)
		}
	}
	return rep
}

// Rules over one statement, in code order.
var (
	permissionRules = []func(*stmtCtx){
		checkAllowAll, checkServiceWide, checkResourceStar, checkAccountWide,
		checkPassRoleAny, checkPassRoleService, checkUnknownAction, checkNotElement,
		checkActionWildcard,
	}
	trustRules = []func(*stmtCtx){
		checkTrustAny, checkTrustWildcard, checkTrustExternalID, checkTrustSource,
		checkUnknownAction, checkIRSAAudience, checkIRSASubject, checkPodIdentityTagSession,
	}
)

// roleCtx is one role being checked.
type roleCtx struct {
	env  *schema.Environment
	role *generator.Role
	// shared is the EKS shared role whose inline policy unites this
	// workload role's statements; the role itself is not generated.
	shared   *generator.Role
	findings []Finding
}

// roleName is the IAM role the findings are about.
func (c *roleCtx) roleName() string {
	if c.shared != nil {
		return c.shared.Name
	}
	return c.role.Name
}

func (c *roleCtx) check() {
	r := c.role
	if c.shared != nil { // only its statements: the shared role has the trust and the size
		c.checkPermissions()
		c.applyCatalogAccepts() // accept_catalog.go
		c.applyAccepts()
		return
	}
	for i, st := range r.Trust.Statements {
		s := c.statement(PolicyTrust, i, st)
		for _, rule := range trustRules {
			rule(s)
		}
	}
	if r.Merged == nil {
		c.checkPermissions()
	}
	checkSize(c)
	c.applyCatalogAccepts()
	c.applyAccepts()
}

func (c *roleCtx) checkPermissions() {
	r := c.role
	if r.Permissions != nil {
		for i, st := range r.Permissions.Statements {
			s := c.statement(PolicyPermissions, i, st)
			for _, rule := range permissionRules {
				rule(s)
			}
		}
	}
}

// stmtCtx is one statement of one of the role's policies, with where it
// came from.
type stmtCtx struct {
	*roleCtx
	policy Policy
	index  int
	st     policy.Statement
	// spec is the role block's statement this one is, nil when it came
	// from the catalog.
	spec *schema.Statement
	// tmpl is the catalog statement it was evaluated from, when known.
	tmpl *templates.Statement
	// trustedOnly: the trust statement is the role block's
	// trusted_principal_arns and nothing else.
	trustedOnly bool
}

func (c *roleCtx) statement(p Policy, i int, st policy.Statement) *stmtCtx {
	s := &stmtCtx{roleCtx: c, policy: p, index: i, st: st}
	origins := c.role.PermissionOrigins
	if p == PolicyTrust {
		origins = c.role.TrustOrigins
	}
	if i < len(origins) {
		o := origins[i]
		s.spec, s.tmpl, s.trustedOnly = o.Spec, o.Template, o.TrustedPrincipals
	}
	return s
}

// field is the part of a statement a finding is about; it decides which
// spec range the finding points at.
type field int

const (
	fieldStatement field = iota
	fieldActions
	fieldResources
	fieldPrincipals
)

func (s *stmtCtx) add(rule *Rule, sev Severity, f field, msg, hint string) {
	s.addAt(rule, sev, s.rangeFor(f), msg, hint)
}

func (s *stmtCtx) addAt(rule *Rule, sev Severity, rng hcl.Range, msg, hint string) {
	fd := Finding{
		Code:        rule.Code,
		Rule:        rule.Name,
		Severity:    sev,
		Environment: s.env.Name,
		RoleKind:    s.role.Kind(),
		RoleName:    s.roleName(),
		Policy:      s.policy,
		Sid:         s.st.Sid,
		Index:       s.index,
		Message:     msg,
		Hint:        hint,
		Range:       rng,
	}
	if s.policy == PolicyPermissions {
		fd.PolicyName = s.role.PolicyName
		if s.shared != nil {
			fd.PolicyName = s.shared.PolicyName
		}
	}
	s.findings = append(s.findings, fd)
}

// rangeFor is where the spec decides the statement's field: the spec
// statement's attribute, the role block's trusted_principal_arns, the spec
// attribute a catalog statement is built from (e.g. resources.s3_buckets),
// or else the role block or the environment block.
func (s *stmtCtx) rangeFor(f field) hcl.Range {
	if s.spec != nil {
		attr := ""
		switch f {
		case fieldActions:
			attr = "actions"
			if len(s.spec.Actions) == 0 {
				attr = "not_actions"
			}
		case fieldResources:
			attr = "resources"
			if len(s.spec.Resources) == 0 {
				attr = "not_resources"
			}
		}
		if attr == "" {
			return s.spec.DefRange
		}
		return s.spec.Pos().Attr(attr)
	}
	if s.trustedOnly {
		return s.role.Override.Pos().Attr("trusted_principal_arns")
	}
	if ref, ok := s.specAttr(f); ok {
		return ref.rng
	}
	return s.roleRange()
}

// roleRange is the role's block in the spec, or its environment's.
func (c *roleCtx) roleRange() hcl.Range {
	if c.role.Override != nil {
		return c.role.Override.DefRange
	}
	return c.env.DefRange
}

// attrRef is a spec attribute: its name ("resources.log_groups"), its
// range (the enclosing block's when it is not written) and whether the spec
// writes it.
type attrRef struct {
	name    string
	rng     hcl.Range
	written bool
}

// specAttr finds the spec attribute a catalog statement's field is built
// from: the field's expression reads a module input (var.x) whose value
// the template takes from env.resources.* or env.cross_account.*.
func (s *stmtCtx) specAttr(f field) (attrRef, bool) {
	if s.tmpl == nil {
		return attrRef{}, false
	}
	var exprs []hcl.Expression
	addAttr := func(a *hcl.Attribute) {
		if a != nil {
			exprs = append(exprs, a.Expr)
		}
	}
	switch f {
	case fieldActions:
		addAttr(s.tmpl.Actions)
		addAttr(s.tmpl.NotActions)
	case fieldResources:
		addAttr(s.tmpl.Resources)
		addAttr(s.tmpl.NotResources)
	case fieldPrincipals:
		for _, p := range s.tmpl.Principals {
			addAttr(p.Identifiers)
		}
	}
	for _, e := range exprs {
		for _, t := range e.Variables() {
			if t.RootName() != "var" || len(t) < 2 {
				continue
			}
			v, isAttr := t[1].(hcl.TraverseAttr)
			if !isAttr {
				continue
			}
			if ref, ok := s.inputSource(v.Name); ok {
				return ref, true
			}
		}
	}
	return attrRef{}, false
}

// inputSource is the spec attribute a template input's value reads.
func (s *stmtCtx) inputSource(input string) (attrRef, bool) {
	for _, in := range s.role.Template.Inputs {
		if in.Name != input || in.Value == nil {
			continue
		}
		for _, t := range in.Value.Expr.Variables() {
			if t.RootName() != "env" || len(t) < 3 {
				continue
			}
			blk, ok1 := t[1].(hcl.TraverseAttr)
			attr, ok2 := t[2].(hcl.TraverseAttr)
			if !ok1 || !ok2 {
				continue
			}
			var pos schema.Pos
			switch {
			case blk.Name == "resources" && s.env.Resources != nil:
				pos = s.env.Resources.Pos()
			case blk.Name == "cross_account" && s.env.CrossAccount != nil:
				pos = s.env.CrossAccount.Pos()
			default:
				continue
			}
			return attrRef{name: blk.Name + "." + attr.Name, rng: pos.Attr(attr.Name), written: pos.Has(attr.Name)}, true
		}
	}
	return attrRef{}, false
}

// fix says how to change the statement from the spec; detail is what to
// change.
func (s *stmtCtx) fix(detail string) string {
	kind, env := s.role.Kind(), s.env.Name
	switch {
	case s.spec != nil:
		return fmt.Sprintf("Change this statement of role %q (environment %q): %s.", kind, env, detail)
	case s.policy == PolicyTrust:
		return fmt.Sprintf("Change the trust of role %q in its template (templates_dir): %s.", kind, detail)
	case s.st.Sid != "":
		return fmt.Sprintf("Replace the catalog's statement from the spec: a statement block with sid = %q in role %q (environment %q) replaces the catalog's statement with that Sid; %s.", s.st.Sid, kind, env, detail)
	}
	return fmt.Sprintf("The spec cannot replace this catalog statement (it has no Sid it could be matched by); %s in the role template (templates_dir).", detail)
}

// accept says how to accept the finding in the spec.
func (c *roleCtx) accept(code, sid string) string {
	with := "a reason"
	if sid != "" {
		with = fmt.Sprintf("sid = %q and a reason", sid)
	}
	return fmt.Sprintf("Or accept it: add to role %q an accept %q block with %s.", c.role.Kind(), code, with)
}

// applyAccepts marks the findings the role block accepts, and reports the
// accept blocks that match none.
func (c *roleCtx) applyAccepts() {
	o := c.role.Override
	if o == nil || len(o.Accepts) == 0 {
		return
	}
	used := make([]bool, len(o.Accepts))
	for i := range c.findings {
		f := &c.findings[i]
		for j, a := range o.Accepts {
			if a.Code == f.Code && (a.Sid == "" || a.Sid == f.Sid) {
				f.Accepted = &Accepted{Reason: a.Reason, Range: a.DefRange}
				used[j] = true
				break
			}
		}
	}
	for j, a := range o.Accepts {
		if !used[j] {
			c.staleAccept(a)
		}
	}
}

func (c *roleCtx) staleAccept(a *schema.Accept) {
	kind, env := c.role.Kind(), c.env.Name
	var msg string
	sids := c.sids()
	switch {
	case RuleByCode(a.Code) == nil:
		msg = fmt.Sprintf("%s is not a finding code of lakerunner-iam lint (the codes are %s to %s), so this accept matches nothing.",
			a.Code, Rules[0].Code, Rules[len(Rules)-1].Code)
	case a.Code == ruleStaleAccept.Code:
		msg = fmt.Sprintf("%s (stale accept) findings cannot be accepted: remove the stale accept block instead.", a.Code)
	case a.Sid != "" && !slices.Contains(sids, a.Sid):
		msg = fmt.Sprintf("Role %q (environment %q) has no statement with Sid %q, so this accept matches nothing.", kind, env, a.Sid)
		if m := schema.Closest(a.Sid, sids); m != "" {
			msg += fmt.Sprintf(" Did you mean %q?", m)
		}
	default:
		where := ""
		if a.Sid != "" {
			where = fmt.Sprintf(", statement %s,", a.Sid)
		}
		msg = fmt.Sprintf("No %s (%s) finding is reported for role %q%s in environment %q, so this accept matches nothing: the finding was fixed, or never applied.",
			a.Code, RuleByCode(a.Code).Name, kind, where, env)
	}
	c.findings = append(c.findings, Finding{
		Code:        ruleStaleAccept.Code,
		Rule:        ruleStaleAccept.Name,
		Severity:    ruleStaleAccept.Severity,
		Environment: env,
		RoleKind:    kind,
		RoleName:    c.roleName(),
		Policy:      PolicyNone,
		Index:       -1,
		Message:     msg,
		Hint:        "Remove this accept block, or correct its code or sid, so that accepts do not outlive what they accepted.",
		Range:       a.DefRange,
	})
}

// sids are the Sids of the role's statements.
func (c *roleCtx) sids() []string {
	var out []string
	docs := []*policy.Document{&c.role.Trust, c.role.Permissions}
	for _, d := range docs {
		if d == nil {
			continue
		}
		for _, st := range d.Statements {
			if st.Sid != "" {
				out = append(out, st.Sid)
			}
		}
	}
	return out
}

// allows reports whether the statement is an Allow.
func (s *stmtCtx) allows() bool { return s.st.Effect == "" || s.st.Effect == "Allow" }
