package generator

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/policy"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// Model is a spec evaluated against the catalog: every role of every
// environment with its final names, tags and exact policies, and the
// modules they use. It is plain data: the emitters (emit_*.go, packages
// kecs and moddocs) write files from it, and checks (IAM limits, lint,
// tests) read it.
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
	// Adopt: the root imports the roles that exist (see adopt.go).
	Adopt bool
	// Versions are the root module's version pins (see backend.go).
	Versions *schema.TerraformSettings
	// Satellites are the source accounts this environment collects from
	// (satellite.go).
	Satellites []*Satellite
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
	ExecutionRole *Role // nil on EKS
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
	// ServiceAccounts are the Kubernetes ServiceAccounts whose pods assume
	// a workload role on EKS (namespace Env.EKS.Namespace).
	ServiceAccounts []string
	// Merged are the workload roles whose permissions an EKS shared role
	// unites (shared.go); nil for every other role.
	Merged              []*Role
	InstanceProfileName string // "" when the role has no instance profile
	// InstanceProfileTags are the instance profile's tags when they are
	// not the role's (instance_profile_tags; nil: the role's).
	InstanceProfileTags map[string]string
	// ForceDetachPolicies: destroying the role first detaches every policy.
	// True unless the spec says otherwise, or the environment adopts
	// existing roles: Terraform imports a role with false, and adopting
	// must plan no change.
	ForceDetachPolicies bool

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

	// Expectations are what lakerunner-iam test checks of the role: the
	// template's, the role block's, then each service block's.
	Expectations []Expectation
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

// Options are decisions about the model made outside the spec.
type Options struct {
	// Adopt makes every environment adopt, as adopt = true in each would
	// (gen --adopt).
	Adopt bool
}

// Build evaluates a spec against a catalog. The model it returns is final:
// it has passed every check. Diagnostics come sorted by file, line and
// column.
func Build(spec *schema.Spec, cat *templates.Catalog, opts Options) (*Model, hcl.Diagnostics) {
	m, diags := build(spec, cat, opts)
	schema.SortDiagnostics(diags)
	return m, diags
}

func build(spec *schema.Spec, cat *templates.Catalog, opts Options) (*Model, hcl.Diagnostics) {
	m := &Model{Spec: spec, Catalog: cat}
	var diags hcl.Diagnostics
	mods := &modules{byKey: map[moduleKey]*Module{}}
	for _, tmpl := range cat.Roles {
		_, d := mods.get(tmpl, TrustTemplate)
		diags = append(diags, d...)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	used := map[*Module]bool{}
	linked, d := linkEnvironments(spec, cat) // satellites and their centrals (satellite.go)
	diags = append(diags, d...)
	for _, env := range spec.Environments {
		e, d := buildEnvironment(env, cat, mods, linked[env.Name])
		diags = append(diags, d...)
		if e == nil {
			continue
		}
		e.Adopt = env.Adopt || opts.Adopt
		for _, r := range e.Roles {
			r.ForceDetachPolicies = !e.Adopt
			if r.Override != nil && r.Override.ForceDetachPolicies != nil {
				r.ForceDetachPolicies = *r.Override.ForceDetachPolicies
			}
		}
		e.Versions, d = rootVersions(env, spec.Terraform) // team state (generator/backend.go)
		diags = append(diags, d...)
		m.Environments = append(m.Environments, e)
		for _, r := range e.Roles {
			used[r.Module] = true
		}
	}
	for _, mod := range mods.ordered {
		if used[mod] {
			m.Modules = append(m.Modules, mod)
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

// modules are the modules of a model by template and trust shape, in the
// order they were first needed: the catalog's, then EKS variants.
type modules struct {
	byKey   map[moduleKey]*Module
	ordered []*Module
}

type moduleKey struct {
	tmpl  *templates.Role
	shape TrustShape
}

func (ms *modules) get(tmpl *templates.Role, shape TrustShape) (*Module, hcl.Diagnostics) {
	k := moduleKey{tmpl, shape}
	if mod := ms.byKey[k]; mod != nil {
		return mod, nil
	}
	mod, diags := newModule(tmpl, shape)
	ms.byKey[k] = mod
	ms.ordered = append(ms.ordered, mod)
	return mod, diags
}

func buildEnvironment(env *schema.Environment, cat *templates.Catalog, mods *modules, l *links) (*Environment, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	e := &Environment{Spec: env, Satellites: l.satellites}

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
	base := specContext(env, nil, l)
	ids := map[string]roleIdentity{}
	var enabled []*templates.Role
	for _, tmpl := range cat.Roles {
		on, d := evalBool(tmpl.Enabled, base, true)
		diags = append(diags, d...)
		if !on || !onPlatform(env, tmpl) {
			if o := overrides[tmpl.Kind]; o != nil {
				hint := enableHint(tmpl.Kind)
				if on {
					hint = ecsOnlyHint(tmpl)
				}
				diags = append(diags, errorAt(o.DefRange, "Role is not generated",
					fmt.Sprintf("Role %q is customized, but environment %q does not generate it. %s", tmpl.Kind, env.Name, hint)))
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
	need := neededKinds(env, cat, enabled) // roles follow services (generator/needed.go)
	enabled = slices.DeleteFunc(enabled, func(tmpl *templates.Role) bool {
		if need[tmpl.Kind] {
			return false
		}
		delete(ids, tmpl.Kind)
		if o := overrides[tmpl.Kind]; o != nil {
			diags = append(diags, errorAt(o.DefRange, "Role is not generated",
				fmt.Sprintf("Role %q is customized, but no service deployed in environment %q runs under it, so it is not generated. %s", tmpl.Kind, env.Name, deployHint(tmpl))))
		}
		return true
	})
	if diags.HasErrors() {
		return nil, diags
	}

	ctx := specContext(env, ids, l)
	lists := &listCache{} // the lists of ARNs that several roles write (listeval.go)
	for _, tmpl := range enabled {
		shape := TrustTemplate
		if tmpl.Workload {
			shape = trustShape(env)
		}
		mod, d := mods.get(tmpl, shape)
		diags = append(diags, d...)
		r, d := buildRole(env, tmpl, mod, overrides[tmpl.Kind], ids[tmpl.Kind], ctx, lists)
		diags = append(diags, d...)
		if r != nil {
			e.Roles = append(e.Roles, r)
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	diags = append(diags, mapServices(e, cat)...)
	diags = append(diags, checkEKS(e)...) // ServiceAccounts (trust.go)
	if sharesWorkloadRoles(env) && !diags.HasErrors() {
		diags = append(diags, shareWorkloadRoles(e, mods)...) // one role for the chart's ServiceAccount (shared.go)
	}
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
		return "Add a cross_account block with an external_id to generate it."
	case "cross-account-no-external-id":
		return "Add a cross_account block without external_id to generate it."
	}
	return "Remove the role block."
}

func errorAt(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()}
}
