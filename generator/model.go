package generator

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/cardinalhq/lakerunner-iam/policy"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// Model is a spec evaluated against the catalog: every role of every
// environment with its final names, tags and exact policies. Files are
// rendered from it, and checks (IAM limits, lint, tests) read it.
type Model struct {
	Spec         *schema.Spec
	Catalog      *templates.Catalog
	Environments []*Environment
	// Modules are the role kinds used by at least one environment, in
	// catalog order; each becomes out/modules/<kind>/.
	Modules []*Module
}

// Environment is one environment's roles and service mapping.
type Environment struct {
	Spec     *schema.Environment
	Roles    []*Role // in catalog order
	Services []*Service
}

// Role returns the environment's role of a kind, or nil.
func (e *Environment) Role(kind string) *Role {
	for _, r := range e.Roles {
		if r.Kind() == kind {
			return r
		}
	}
	return nil
}

// Service is a deployed service and the roles its ECS tasks use.
type Service struct {
	Name          string
	TaskRole      *Role
	ExecutionRole *Role
}

// Role is one generated IAM role.
type Role struct {
	Template *templates.Role
	Module   *Module
	Override *schema.RoleOverride // nil when the spec does not customize it
	Env      *schema.Environment

	Name                string
	Path                string
	Description         string
	PermissionsBoundary string
	MaxSessionDuration  int
	Tags                map[string]string
	PolicyName          string // "" when the role has no inline policy
	InstanceProfileName string // "" when the role has no instance profile

	// ManagedPolicies are attached by static key: the catalog's first,
	// then the spec's extra ones.
	ManagedPolicies   []ManagedPolicy
	TrustedPrincipals []string
	ExtraStatements   []policy.Statement
	// Inputs holds the template inputs' values, converted to their types.
	Inputs map[string]cty.Value

	Trust       policy.Document
	Permissions *policy.Document // nil when the role has no inline policy
	// TrustOrigins and PermissionOrigins say where each statement of Trust
	// and Permissions came from, index by index.
	TrustOrigins      []Origin
	PermissionOrigins []Origin
}

// Origin is where a generated statement came from: a catalog statement, a
// statement of the spec's role block, or the role block's
// trusted_principal_arns. For a service trust, all three are nil/false:
// the generator wrote it from the template's trust service.
type Origin struct {
	Template          *templates.Statement
	Spec              *schema.Statement
	TrustedPrincipals bool
}

// ManagedPolicy is one managed policy attachment.
type ManagedPolicy struct {
	Key   string // static for_each key: the policy's name
	ARN   string
	Extra bool // from the spec rather than the catalog
}

// Kind is the role's catalog kind.
func (r *Role) Kind() string { return r.Template.Kind }

// ARN is the role's ARN as IAM will report it.
func (r *Role) ARN() string {
	return fmt.Sprintf("arn:%s:iam::%s:role%s%s", r.Env.Partition, r.Env.AccountID, r.Path, r.Name)
}

// InstanceProfileARN is the instance profile's ARN, "" when it has none.
func (r *Role) InstanceProfileARN() string {
	if r.InstanceProfileName == "" {
		return ""
	}
	return fmt.Sprintf("arn:%s:iam::%s:instance-profile%s%s", r.Env.Partition, r.Env.AccountID, r.Path, r.InstanceProfileName)
}

// ModuleName is the role's module call name in the root module.
func (r *Role) ModuleName() string { return identifier(r.Kind()) }

func identifier(kind string) string { return strings.ReplaceAll(kind, "-", "_") }

// roleIdentity is what templates may know of the other roles.
type roleIdentity struct{ Name, Path string }

const (
	defaultPath               = "/"
	defaultMaxSessionDuration = 3600
)

// Build evaluates a spec against a catalog. Diagnostics come sorted by
// file, line and column.
func Build(spec *schema.Spec, cat *templates.Catalog) (*Model, hcl.Diagnostics) {
	m, diags := build(spec, cat)
	schema.SortDiagnostics(diags)
	return m, diags
}

func build(spec *schema.Spec, cat *templates.Catalog) (*Model, hcl.Diagnostics) {
	m := &Model{Spec: spec, Catalog: cat}
	var diags hcl.Diagnostics
	modules := map[string]*Module{}
	for _, tmpl := range cat.Roles {
		mod, d := newModule(tmpl, cat)
		diags = append(diags, d...)
		modules[tmpl.Kind] = mod
	}
	if diags.HasErrors() {
		return nil, diags
	}
	used := map[string]bool{}
	for _, env := range spec.Environments {
		e, d := buildEnvironment(env, cat, modules)
		diags = append(diags, d...)
		if e == nil {
			continue
		}
		m.Environments = append(m.Environments, e)
		diags = append(diags, checkBackend(env, spec.Terraform)...) // team state (generator/backend.go)
		for _, r := range e.Roles {
			used[r.Kind()] = true
		}
	}
	for _, tmpl := range cat.Roles {
		if used[tmpl.Kind] {
			m.Modules = append(m.Modules, modules[tmpl.Kind])
		}
	}
	if !diags.HasErrors() {
		diags = append(diags, checkLimits(m)...)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return m, diags
}

func buildEnvironment(env *schema.Environment, cat *templates.Catalog, modules map[string]*Module) (*Environment, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	e := &Environment{Spec: env}

	overrides := map[string]*schema.RoleOverride{}
	for _, o := range env.Roles {
		if cat.Role(o.Kind) == nil {
			detail := fmt.Sprintf("There is no role kind %q in the catalog; the kinds are %s.", o.Kind, strings.Join(cat.Kinds(), ", "))
			if c := schema.Closest(o.Kind, cat.Kinds()); c != "" {
				detail = fmt.Sprintf("There is no role kind %q in the catalog. Did you mean %q?", o.Kind, c)
			}
			diags = append(diags, errorAt(o.DefRange, "Unknown role kind", detail))
			continue
		}
		overrides[o.Kind] = o
	}

	// Which roles exist, and their names and paths, come first: templates
	// may refer to other roles (e.g. the roles a Lambda may pass).
	base := specContext(env, nil)
	ids := map[string]roleIdentity{}
	var enabled []*templates.Role
	for _, tmpl := range cat.Roles {
		on, d := evalBool(tmpl.Enabled, base, true)
		diags = append(diags, d...)
		if !on {
			if o := overrides[tmpl.Kind]; o != nil {
				diags = append(diags, errorAt(o.DefRange, "Role is not generated",
					fmt.Sprintf("Role %q is customized, but environment %q does not generate it. %s", tmpl.Kind, env.Name, enableHint(tmpl.Kind))))
			}
			continue
		}
		name, d := evalString(tmpl.Name, base)
		diags = append(diags, d...)
		path := defaultPath
		if o := overrides[tmpl.Kind]; o != nil {
			if o.Name != "" {
				name = o.Name
			}
			if o.Path != "" {
				path = o.Path
			}
		}
		name = kecsRoleName(env, name) // KECS: role names carry its prefix (generator/kecs.go)
		ids[tmpl.Kind] = roleIdentity{Name: name, Path: path}
		enabled = append(enabled, tmpl)
	}
	if diags.HasErrors() {
		return nil, diags
	}

	ctx := specContext(env, ids)
	for _, tmpl := range enabled {
		r, d := buildRole(env, tmpl, overrides[tmpl.Kind], ids[tmpl.Kind], ctx)
		diags = append(diags, d...)
		if r != nil {
			r.Module = modules[tmpl.Kind]
			e.Roles = append(e.Roles, r)
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	diags = append(diags, mapServices(e, cat)...)
	diags = append(diags, checkKECS(e)...) // KECS: ServiceAccount names (generator/kecs.go)
	return e, diags
}

func enableHint(kind string) string {
	switch kind {
	case "ecs-instance":
		return `Set compute = "ec2" to generate it.`
	case "migration-lambda":
		return "Set lambda_migrations = true to generate it."
	case "msk-access":
		return "Set msk_access = true to generate it."
	case "cross-account":
		return "Add a cross_account block to generate it."
	}
	return "Remove the role block."
}

func buildRole(env *schema.Environment, tmpl *templates.Role, o *schema.RoleOverride, id roleIdentity, ctx *hcl.EvalContext) (*Role, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	r := &Role{
		Template:           tmpl,
		Override:           o,
		Env:                env,
		Name:               id.Name,
		Path:               id.Path,
		MaxSessionDuration: defaultMaxSessionDuration,
		Inputs:             map[string]cty.Value{},
	}
	var extraOrigins []Origin
	var d hcl.Diagnostics
	r.Description, d = evalString(tmpl.Description, ctx)
	diags = append(diags, d...)
	tmplTags, d := evalStringMap(tmpl.Tags, ctx)
	diags = append(diags, d...)
	r.Tags = map[string]string{}
	tagSets := []map[string]string{env.Tags}
	if catalogTags(env, o) { // catalog_tags = false: only the spec's tags (generator/adopt.go)
		r.Tags["Environment"] = env.Name
		tagSets = append(tagSets, tmplTags)
	}
	for _, tags := range tagSets {
		for k, v := range tags {
			r.Tags[k] = v
		}
	}
	if tmpl.Policy != nil {
		r.PolicyName, d = evalString(tmpl.Policy.Name, ctx)
		diags = append(diags, d...)
	}
	diags = append(diags, overridePolicyName(r, o)...) // policy_name (generator/adopt.go)
	if tmpl.InstanceProfile {
		r.InstanceProfileName = r.Name
	}
	for _, mp := range tmpl.ManagedPolicies {
		r.ManagedPolicies = append(r.ManagedPolicies, ManagedPolicy{
			Key: mp.Name,
			ARN: fmt.Sprintf("arn:%s:iam::aws:policy/%s%s", env.Partition, mp.Path, mp.Name),
		})
	}
	if o != nil {
		if o.Description != nil {
			r.Description = *o.Description
		}
		r.PermissionsBoundary = o.PermissionsBoundary
		if o.MaxSessionDuration != 0 {
			r.MaxSessionDuration = o.MaxSessionDuration
		}
		for k, v := range o.Tags {
			r.Tags[k] = v
		}
		r.TrustedPrincipals = o.TrustedPrincipals
		for _, arn := range o.ManagedPolicyARNs {
			key := arn[strings.LastIndex(arn, "/")+1:]
			for _, prev := range r.ManagedPolicies {
				if prev.Key == key {
					diags = append(diags, errorAt(o.Pos().Attr("managed_policy_arns"), "Duplicate managed policy",
						fmt.Sprintf("Role %q already attaches a managed policy named %q (%s); attach each policy once.", tmpl.Kind, key, prev.ARN)))
				}
			}
			r.ManagedPolicies = append(r.ManagedPolicies, ManagedPolicy{Key: key, ARN: arn, Extra: true})
		}
		for _, st := range o.Statements {
			r.ExtraStatements = append(r.ExtraStatements, specStatement(st))
			extraOrigins = append(extraOrigins, Origin{Spec: st})
		}
	}

	for _, in := range tmpl.Inputs {
		val, d := in.Value.Expr.Value(ctx)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		ty, d := typeexpr.TypeConstraint(in.Type.Expr)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		conv, err := convert.Convert(val, ty)
		if err != nil {
			diags = append(diags, errorAt(in.Value.Expr.Range(), "Wrong type for template input",
				fmt.Sprintf("Input %q of role %q must be %s: %s.", in.Name, tmpl.Kind, ty.FriendlyName(), err)))
			continue
		}
		r.Inputs[in.Name] = conv
	}
	if diags.HasErrors() {
		return nil, diags
	}

	mctx := moduleContext(r.moduleVars())
	r.Trust, r.TrustOrigins, d = trustDocument(tmpl, r, mctx)
	diags = append(diags, d...)
	if tmpl.Policy != nil || len(r.ExtraStatements) > 0 {
		var doc policy.Document
		var origins []Origin
		if tmpl.Policy != nil {
			doc, origins, d = evalStatements(tmpl.Policy.Statements, mctx)
			diags = append(diags, d...)
		}
		doc.Statements, r.PermissionOrigins = overrideStatements(doc.Statements, origins, r.ExtraStatements, extraOrigins)
		if r.PolicyName == "" {
			r.PolicyName = r.Name + "-extra"
		}
		r.Permissions = &doc
	}
	return r, diags
}

// moduleVars are the values of every module variable for this role, as
// the module's own expressions see them.
func (r *Role) moduleVars() map[string]cty.Value {
	vars := map[string]cty.Value{
		"name":                       cty.StringVal(r.Name),
		"path":                       cty.StringVal(r.Path),
		"description":                cty.StringVal(r.Description),
		"max_session_duration":       cty.NumberIntVal(int64(r.MaxSessionDuration)),
		"tags":                       stringMap(r.Tags),
		"partition":                  cty.StringVal(r.Env.Partition),
		"account_id":                 cty.StringVal(r.Env.AccountID),
		"region":                     cty.StringVal(r.Env.Region),
		"confused_deputy_protection": cty.BoolVal(*r.Env.ConfusedDeputyProtection),
		"trusted_principal_arns":     stringList(r.TrustedPrincipals),
	}
	for k, v := range r.Inputs {
		vars[k] = v
	}
	return vars
}

func trustDocument(tmpl *templates.Role, r *Role, ctx *hcl.EvalContext) (policy.Document, []Origin, hcl.Diagnostics) {
	var doc policy.Document
	var origins []Origin
	var diags hcl.Diagnostics
	if svc := tmpl.Trust.Service; svc != "" {
		st := policy.Statement{
			Effect:     "Allow",
			Actions:    []string{"sts:AssumeRole"},
			Principals: []policy.Principal{{Type: "Service", Identifiers: []string{svc}}},
		}
		conditional := tmpl.Trust.SourceArn != nil && *r.Env.ConfusedDeputyProtection
		if len(r.TrustedPrincipals) > 0 && !conditional {
			st.Principals = append(st.Principals, policy.Principal{Type: "AWS", Identifiers: r.TrustedPrincipals})
		}
		if conditional {
			arn, d := evalString(tmpl.Trust.SourceArn, ctx)
			diags = append(diags, d...)
			st.Conditions = []policy.Condition{
				{Test: "StringEquals", Variable: "aws:SourceAccount", Values: []string{r.Env.AccountID}},
				{Test: "ArnLike", Variable: "aws:SourceArn", Values: []string{arn}},
			}
		}
		doc.Statements = append(doc.Statements, st)
		origins = append(origins, Origin{})
	} else {
		var d hcl.Diagnostics
		doc, origins, d = evalStatements(tmpl.Trust.Statements, ctx)
		diags = append(diags, d...)
	}
	if len(r.TrustedPrincipals) > 0 && (tmpl.Trust.Service == "" || len(doc.Statements[0].Conditions) > 0) {
		doc.Statements = append(doc.Statements, policy.Statement{
			Sid:        trustedPrincipalsSid,
			Effect:     "Allow",
			Actions:    []string{"sts:AssumeRole"},
			Principals: []policy.Principal{{Type: "AWS", Identifiers: r.TrustedPrincipals}},
		})
		origins = append(origins, Origin{TrustedPrincipals: true})
	}
	return doc, origins, diags
}

// trustedPrincipalsSid names the trust statement for the spec's extra
// principals (break-glass access, tests).
const trustedPrincipalsSid = "TrustedPrincipals"

func evalStatements(stmts []*templates.Statement, ctx *hcl.EvalContext) (policy.Document, []Origin, hcl.Diagnostics) {
	var doc policy.Document
	var origins []Origin
	var diags hcl.Diagnostics
	for _, s := range stmts {
		on, d := evalBool(s.Enabled, ctx, true)
		diags = append(diags, d...)
		if !on {
			continue
		}
		st := policy.Statement{Sid: s.Sid, Effect: s.Effect}
		if st.Effect == "" {
			st.Effect = "Allow"
		}
		for _, f := range []struct {
			attr *hcl.Attribute
			dst  *[]string
		}{
			{s.Actions, &st.Actions}, {s.NotActions, &st.NotActions},
			{s.Resources, &st.Resources}, {s.NotResources, &st.NotResources},
		} {
			if f.attr != nil {
				*f.dst, d = evalStrings(f.attr, ctx)
				diags = append(diags, d...)
			}
		}
		for _, p := range s.Principals {
			ids, d := evalStrings(p.Identifiers, ctx)
			diags = append(diags, d...)
			st.Principals = append(st.Principals, policy.Principal{Type: p.Type, Identifiers: ids})
		}
		for _, c := range s.Conditions {
			on, d := evalBool(c.Enabled, ctx, true)
			diags = append(diags, d...)
			if !on {
				continue
			}
			vals, d := evalStrings(c.Values, ctx)
			diags = append(diags, d...)
			st.Conditions = append(st.Conditions, policy.Condition{Test: c.Test, Variable: c.Variable, Values: vals})
		}
		doc.Statements = append(doc.Statements, st)
		origins = append(origins, Origin{Template: s})
	}
	return doc, origins, diags
}

// overrideStatements merges the spec's statements into the catalog's the
// way aws_iam_policy_document's override_policy_documents does: one with
// the Sid of a catalog statement replaces it in place, others are added.
func overrideStatements(base []policy.Statement, baseOrigins []Origin, extra []policy.Statement, extraOrigins []Origin) ([]policy.Statement, []Origin) {
	out := append([]policy.Statement(nil), base...)
	origins := append([]Origin(nil), baseOrigins...)
	for j, x := range extra {
		replaced := false
		if x.Sid != "" {
			for i := range out {
				if out[i].Sid == x.Sid {
					out[i], origins[i], replaced = x, extraOrigins[j], true
					break
				}
			}
		}
		if !replaced {
			out = append(out, x)
			origins = append(origins, extraOrigins[j])
		}
	}
	return out, origins
}

func specStatement(st *schema.Statement) policy.Statement {
	out := policy.Statement{
		Sid:          st.Sid,
		Effect:       st.Effect,
		Actions:      st.Actions,
		NotActions:   st.NotActions,
		Resources:    st.Resources,
		NotResources: st.NotResources,
	}
	if out.Effect == "" {
		out.Effect = "Allow"
	}
	for _, c := range st.Conditions {
		out.Conditions = append(out.Conditions, policy.Condition{Test: c.Test, Variable: c.Variable, Values: c.Values})
	}
	return out
}

func mapServices(e *Environment, cat *templates.Catalog) hcl.Diagnostics {
	var diags hcl.Diagnostics
	env := e.Spec
	var defaultExec *Role
	for _, r := range e.Roles {
		if r.Template.ExecutionRole {
			defaultExec = r
			break
		}
	}
	for _, s := range env.Services {
		pos := s.Pos()
		taskKind := s.TaskRole
		if taskKind == "" {
			for _, tmpl := range cat.Roles {
				if contains(tmpl.DefaultServices, s.Name) {
					taskKind = tmpl.Kind
				}
			}
		}
		task, d := serviceRole(e, cat, s, taskKind, pos.Attr("task_role"), "task")
		diags = append(diags, d...)
		exec := defaultExec
		if s.ExecutionRole != "" {
			exec, d = serviceRole(e, cat, s, s.ExecutionRole, pos.Attr("execution_role"), "execution")
			diags = append(diags, d...)
		}
		if exec == nil && task != nil {
			diags = append(diags, errorAt(s.DefRange, "No execution role",
				fmt.Sprintf("Service %q has no execution role: the catalog marks none as the default. Set execution_role.", s.Name)))
		}
		if task != nil && exec != nil {
			e.Services = append(e.Services, &Service{Name: s.Name, TaskRole: task, ExecutionRole: exec})
		}
	}
	return diags
}

func serviceRole(e *Environment, cat *templates.Catalog, s *schema.Service, kind string, rng hcl.Range, what string) (*Role, hcl.Diagnostics) {
	r := e.Role(kind)
	if r == nil {
		detail := fmt.Sprintf("Service %q runs under role %q as its %s role, but environment %q does not generate that role.", s.Name, kind, what, e.Spec.Name)
		if cat.Role(kind) == nil {
			detail = fmt.Sprintf("Service %q names role %q, which is not a role kind of the catalog (%s).", s.Name, kind, strings.Join(cat.Kinds(), ", "))
			if c := schema.Closest(kind, cat.Kinds()); c != "" {
				detail += fmt.Sprintf(" Did you mean %q?", c)
			}
		} else {
			detail += " " + enableHint(kind)
		}
		return nil, hcl.Diagnostics{errorAt(rng, "Service mapped to a role that is not generated", detail)}
	}
	if r.Template.Trust.Service != "ecs-tasks.amazonaws.com" {
		return nil, hcl.Diagnostics{errorAt(rng, "Service mapped to a role ECS tasks cannot assume",
			fmt.Sprintf("Role %q is not trusted by ecs-tasks.amazonaws.com, so it cannot be the %s role of service %q.", kind, what, s.Name))}
	}
	return r, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func errorAt(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()}
}
