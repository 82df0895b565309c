package generator

import (
	"fmt"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
	"github.com/cardinalhq/lakerunner-iam/policy"
)

// The role-module interface: every variable the generator gives a role
// module, declared once. The module's variables.tf, the root's module
// call, the values templates evaluate against, the module docs and tests
// all read this table; a template's own inputs come after these and may
// not reuse their names.

// InterfaceVar is one variable of the role-module interface.
type InterfaceVar struct {
	Name        string
	Type        string // HCL type constraint
	Description string
	Default     *cty.Value // nil: required
	Validations []Validation
	// RoleArgument: aws_iam_role.this takes the variable as its argument
	// of the same name.
	RoleArgument bool
	// Declared reports whether a module uses the variable apart from its
	// template's own var.* references; nil: every module.
	Declared func(*Module) bool
	// Value is the role's value of the variable, as the module sees it,
	// and whether the root passes it (false: the module's default is the
	// value).
	Value func(*Role) (cty.Value, bool)
}

// Validation is a variable validation block.
type Validation struct {
	Condition    Expr
	ErrorMessage string
}

func ptr(v cty.Value) *cty.Value { return &v }

func check(cond, msg string) []Validation {
	return []Validation{{Expr{Text: cond}, msg}}
}

// always writes a value the root always passes.
func always(v cty.Value) (cty.Value, bool) { return v, true }

// hasSourceArn: the module's trust is the template's, with confused-deputy
// conditions on a source ARN.
func hasSourceArn(m *Module) bool {
	return m.Trust == TrustTemplate && m.Template.Trust.SourceArn != nil
}

func isIRSA(m *Module) bool        { return m.Trust == TrustIRSA }
func isPodIdentity(m *Module) bool { return m.Trust == TrustPodIdentity }

// orNull is a string variable's value, null when empty: the variable is
// not the role's.
func orNull(s string) (cty.Value, bool) {
	if s == "" {
		return cty.NullVal(cty.String), false
	}
	return cty.StringVal(s), true
}

const extraStatementsType = `list(object({
  sid           = optional(string)
  effect        = optional(string, "Allow")
  actions       = optional(list(string))
  not_actions   = optional(list(string))
  resources     = optional(list(string))
  not_resources = optional(list(string))
  conditions = optional(list(object({
    test     = string
    variable = string
    values   = list(string)
  })), [])
}))`

// Interface is the role-module interface, in the order variables.tf
// declares it.
var Interface = []*InterfaceVar{
	{Name: "name", Type: "string", Description: "Name of the IAM role.", RoleArgument: true,
		Validations: check(fmt.Sprintf(`length(var.name) <= %d && can(regex("^[\\w+=,.@-]+$", var.name))`, iamlimits.RoleNameMax), fmt.Sprintf("A role name has 1 to %d letters, digits and +=,.@_- characters.", iamlimits.RoleNameMax)),
		Value:       func(r *Role) (cty.Value, bool) { return always(cty.StringVal(r.Name)) }},
	{Name: "path", Type: "string", Description: "IAM path of the role (and of its instance profile).", Default: ptr(cty.StringVal(defaultPath)), RoleArgument: true,
		Validations: check(fmt.Sprintf(`length(var.path) <= %d && can(regex("^/([\\x21-\\x7E]*/)?$", var.path))`, iamlimits.PathMax), fmt.Sprintf("An IAM path starts and ends with \"/\" and has at most %d characters.", iamlimits.PathMax)),
		Value:       func(r *Role) (cty.Value, bool) { return cty.StringVal(r.Path), r.Path != defaultPath }},
	{Name: "description", Type: "string", Description: "Description of the role.", RoleArgument: true,
		Validations: check(fmt.Sprintf(`length(var.description) <= %d`, iamlimits.DescriptionMax), fmt.Sprintf("A role description has at most %d characters.", iamlimits.DescriptionMax)),
		Value:       func(r *Role) (cty.Value, bool) { return always(cty.StringVal(r.Description)) }},
	{Name: "permissions_boundary", Type: "string", Description: "ARN of the managed policy that bounds the role's permissions, or null for none.", Default: ptr(cty.NullVal(cty.String)), RoleArgument: true,
		Validations: check(`var.permissions_boundary == null || can(regex("^arn:[^:]+:iam::(aws|\\d{12}):policy/", var.permissions_boundary))`, "The permissions boundary must be a managed policy ARN."),
		Value: func(r *Role) (cty.Value, bool) {
			if r.PermissionsBoundary == "" {
				return cty.NullVal(cty.String), false
			}
			return cty.StringVal(r.PermissionsBoundary), true
		}},
	{Name: "max_session_duration", Type: "number", Description: "Maximum session duration of the role, in seconds.", Default: ptr(cty.NumberIntVal(defaultMaxSessionDuration)), RoleArgument: true,
		Validations: check(fmt.Sprintf(`var.max_session_duration >= %d && var.max_session_duration <= %d`, iamlimits.SessionDurationMin, iamlimits.SessionDurationMax), fmt.Sprintf("The maximum session duration is %d to %d seconds.", iamlimits.SessionDurationMin, iamlimits.SessionDurationMax)),
		Value: func(r *Role) (cty.Value, bool) {
			return cty.NumberIntVal(int64(r.MaxSessionDuration)), r.MaxSessionDuration != defaultMaxSessionDuration
		}},
	{Name: "tags", Type: "map(string)", Description: "Tags of the role (and of its instance profile).", Default: ptr(cty.MapValEmpty(cty.String)), RoleArgument: true,
		Validations: check(fmt.Sprintf(`length(var.tags) <= %d`, iamlimits.TagsMax), fmt.Sprintf("IAM allows at most %d tags on a role.", iamlimits.TagsMax)),
		Value:       func(r *Role) (cty.Value, bool) { return always(stringMap(r.Tags)) }},
	{Name: "force_detach_policies", Type: "bool", Description: "Whether destroying the role first detaches its policies, also those attached outside Terraform.", Default: ptr(cty.True), RoleArgument: true,
		Value: func(r *Role) (cty.Value, bool) {
			return cty.BoolVal(r.ForceDetachPolicies), !r.ForceDetachPolicies
		}},
	{Name: "partition", Type: "string", Description: "AWS partition of the account: aws, aws-us-gov or aws-cn.",
		Validations: check(`contains(["aws", "aws-us-gov", "aws-cn"], var.partition)`, "The partition is one of aws, aws-us-gov and aws-cn."),
		Declared:    func(m *Module) bool { return len(m.Template.ManagedPolicies) > 0 }, // their ARNs
		Value:       func(r *Role) (cty.Value, bool) { return always(cty.StringVal(r.Env.Partition)) }},
	{Name: "account_id", Type: "string", Description: "ID of the AWS account the role is in.",
		Validations: check(`can(regex("^\\d{12}$", var.account_id))`, "An AWS account ID is 12 digits."),
		Declared:    func(m *Module) bool { return hasSourceArn(m) || isPodIdentity(m) }, // aws:SourceAccount
		Value:       func(r *Role) (cty.Value, bool) { return always(cty.StringVal(r.Env.AccountID)) }},
	{Name: "region", Type: "string", Description: "AWS region of the resources the role is scoped to.",
		Declared: func(*Module) bool { return false }, // only by templates
		Value:    func(r *Role) (cty.Value, bool) { return always(cty.StringVal(r.Env.Region)) }},
	{Name: "confused_deputy_protection", Type: "bool", Description: "Whether the trust policy requires aws:SourceAccount and aws:SourceArn, so the service can assume the role only on behalf of this account.", Default: ptr(cty.True),
		Declared: hasSourceArn,
		Value:    func(r *Role) (cty.Value, bool) { return always(cty.BoolVal(*r.Env.ConfusedDeputyProtection)) }},
	{Name: "trusted_principal_arns", Type: "list(string)", Description: "Extra IAM principals (exact ARNs) allowed to assume the role, e.g. for break-glass access.", Default: ptr(cty.ListValEmpty(cty.String)),
		Validations: check(`alltrue([for a in var.trusted_principal_arns : can(regex("^arn:[^:]+:iam::\\d{12}:[^*?]+$", a))])`, "Trusted principals are exact IAM ARNs; IAM allows no wildcard in a principal."),
		Value:       func(r *Role) (cty.Value, bool) { return stringList(r.TrustedPrincipals), len(r.TrustedPrincipals) > 0 }},
	{Name: "managed_policy_arns", Type: "map(string)", Description: "Extra managed policies to attach, keyed by a static name.", Default: ptr(cty.MapValEmpty(cty.String)),
		Value: func(r *Role) (cty.Value, bool) {
			extra := map[string]string{}
			for _, mp := range r.ManagedPolicies {
				if mp.Extra {
					extra[mp.Key] = mp.ARN
				}
			}
			return stringMap(extra), len(extra) > 0
		}},
	{Name: "extra_statements", Type: extraStatementsType, Description: "Extra statements for the role's inline policy. A statement with the Sid of a built-in statement replaces it.", Default: ptr(cty.ListValEmpty(cty.DynamicPseudoType)),
		Value: func(r *Role) (cty.Value, bool) {
			return extraStatementsValue(r.ExtraStatements), len(r.ExtraStatements) > 0
		}},
	{Name: "policy_name", Type: "string", Description: "Name of the role's inline policy.",
		Declared: func(m *Module) bool { return m.Template.Policy != nil },
		Value:    func(r *Role) (cty.Value, bool) { return always(cty.StringVal(r.PolicyName)) }},
	{Name: "instance_profile_name", Type: "string", Description: "Name of the instance profile.",
		Declared: func(m *Module) bool { return m.Template.InstanceProfile },
		Value:    func(r *Role) (cty.Value, bool) { return always(cty.StringVal(r.InstanceProfileName)) }},
	// What a role made by hand may lack (generator/adopt.go).
	{Name: "inline_policy", Type: "bool", Description: "Whether the role has its inline policy; false for a role adopted without one.", Default: ptr(cty.True),
		Declared: func(m *Module) bool { return m.Template.Policy != nil },
		Value:    func(r *Role) (cty.Value, bool) { return cty.BoolVal(r.Permissions != nil), r.Permissions == nil }},
	{Name: "instance_profile_tags", Type: "map(string)", Description: "Tags of the instance profile, or null for the role's tags.", Default: ptr(cty.NullVal(cty.Map(cty.String))),
		Validations: check(fmt.Sprintf(`var.instance_profile_tags == null ? true : length(var.instance_profile_tags) <= %d`, iamlimits.TagsMax), fmt.Sprintf("IAM allows at most %d tags on an instance profile.", iamlimits.TagsMax)),
		Declared:    func(m *Module) bool { return m.Template.InstanceProfile },
		Value: func(r *Role) (cty.Value, bool) {
			if r.InstanceProfileTags == nil {
				return cty.NullVal(cty.Map(cty.String)), false
			}
			return stringMap(r.InstanceProfileTags), true
		}},
	// EKS workload roles (trust.go); names as terraform-aws-modules/iam v6.
	{Name: "oidc_provider_arn", Type: "string", Description: "ARN of the IAM OIDC provider of the EKS cluster whose ServiceAccounts assume the role (IRSA).",
		Validations: check(`can(regex("^arn:[^:]+:iam::\\d{12}:oidc-provider/.+$", var.oidc_provider_arn))`, "An OIDC provider ARN looks like arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE."),
		Declared:    isIRSA,
		Value:       func(r *Role) (cty.Value, bool) { return orNull(OIDCProviderARN(r.Env)) }},
	{Name: "oidc_issuer", Type: "string", Description: "The cluster's OIDC issuer URL without https://: the prefix of the sub and aud condition keys (IRSA).",
		Validations: check(`!startswith(var.oidc_issuer, "https://")`, "Give the issuer without https://, as IAM's condition keys name it."),
		Declared:    isIRSA,
		Value: func(r *Role) (cty.Value, bool) {
			if r.Env.EKS == nil {
				return orNull("")
			}
			return orNull(r.Env.EKS.OIDCIssuer())
		}},
	{Name: "oidc_subjects", Type: "list(string)", Description: "Exact subjects (system:serviceaccount:<namespace>:<name>) that may assume the role (IRSA, StringEquals).", Default: ptr(cty.ListValEmpty(cty.String)),
		Declared: isIRSA,
		Value:    func(r *Role) (cty.Value, bool) { return stringList(r.OIDCSubjects()), true }},
	{Name: "oidc_wildcard_subjects", Type: "list(string)", Description: "Subject patterns with * and ? that may assume the role (IRSA, StringLike); empty for none.", Default: ptr(cty.ListValEmpty(cty.String)),
		Declared: isIRSA,
		Value: func(r *Role) (cty.Value, bool) {
			subs := r.OIDCWildcardSubjects()
			return stringList(subs), len(subs) > 0
		}},
	{Name: "oidc_audiences", Type: "list(string)", Description: "Audiences (aud) the web identity token must have (IRSA).", Default: ptr(cty.ListVal([]cty.Value{cty.StringVal(stsAudience)})),
		Validations: check(`length(var.oidc_audiences) > 0`, "IRSA needs an audience condition: without one, any token of the cluster's issuer is accepted."),
		Declared:    isIRSA,
		Value:       func(*Role) (cty.Value, bool) { return cty.ListVal([]cty.Value{cty.StringVal(stsAudience)}), false }},
	{Name: "cluster_arn", Type: "string", Description: "ARN of the EKS cluster whose pods assume the role through Pod Identity (aws:SourceArn).",
		Validations: check(`can(regex("^arn:[^:]+:eks:[^:]+:\\d{12}:cluster/.+$", var.cluster_arn))`, "An EKS cluster ARN looks like arn:aws:eks:us-east-1:123456789012:cluster/lakerunner."),
		Declared:    isPodIdentity,
		Value:       func(r *Role) (cty.Value, bool) { return orNull(ClusterARN(r.Env)) }},
}

// interfaceVar returns the interface variable of a name, or nil.
func interfaceVar(name string) *InterfaceVar {
	for _, v := range Interface {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// interfaceTypes are the interface's types, with optional() defaults,
// parsed once.
var interfaceTypes = sync.OnceValue(func() map[string]typedDefaults {
	out := map[string]typedDefaults{}
	for _, v := range Interface {
		e, diags := hclsyntax.ParseExpression([]byte(v.Type), v.Name, hcl.InitialPos)
		if diags.HasErrors() {
			panic(fmt.Sprintf("generator: type of variable %s: %s", v.Name, diags.Error()))
		}
		ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(e)
		if diags.HasErrors() {
			panic(fmt.Sprintf("generator: type of variable %s: %s", v.Name, diags.Error()))
		}
		out[v.Name] = typedDefaults{ty, defaults}
	}
	return out
})

type typedDefaults struct {
	ty       cty.Type
	defaults *typeexpr.Defaults
}

// moduleVars are the values of every module variable for this role, as
// the module's own expressions see them: converted to the variable's type
// with its optional() defaults, as Terraform does.
func (r *Role) moduleVars() map[string]cty.Value {
	vars := map[string]cty.Value{}
	types := interfaceTypes()
	for _, v := range Interface {
		val, _ := v.Value(r)
		t := types[v.Name]
		if t.defaults != nil {
			val = t.defaults.Apply(val)
		}
		conv, err := convert.Convert(val, t.ty)
		if err != nil {
			panic(fmt.Sprintf("generator: value of variable %s for role %s: %s", v.Name, r.Kind(), err))
		}
		vars[v.Name] = conv
	}
	for k, v := range r.Inputs {
		vars[k] = v
	}
	return vars
}

// Argument is one argument of a root's module call.
type Argument struct {
	Name  string
	Value cty.Value
}

// Arguments are what the root passes to the role's module, in the
// module's variable order: interface variables the module declares,
// except where its default is the value, then the template's inputs.
func (r *Role) Arguments() []Argument {
	var out []Argument
	for _, v := range r.Module.Variables {
		val, ok := r.Inputs[v.Name]
		if v.Interface != nil {
			val, ok = v.Interface.Value(r)
		}
		if ok {
			out = append(out, Argument{v.Name, val})
		}
	}
	return out
}

// extraStatementsValue writes the spec's statements with only the
// attributes they set; the module's optional() attributes fill the rest.
func extraStatementsValue(stmts []policy.Statement) cty.Value {
	vals := make([]cty.Value, 0, len(stmts))
	for _, s := range stmts {
		attrs := map[string]cty.Value{}
		if s.Sid != "" {
			attrs["sid"] = cty.StringVal(s.Sid)
		}
		attrs["effect"] = cty.StringVal(s.Effect)
		for name, list := range map[string][]string{"actions": s.Actions, "not_actions": s.NotActions, "resources": s.Resources, "not_resources": s.NotResources} {
			if len(list) > 0 {
				attrs[name] = stringList(list)
			}
		}
		if len(s.Conditions) > 0 {
			conds := make([]cty.Value, len(s.Conditions))
			for i, c := range s.Conditions {
				conds[i] = cty.ObjectVal(map[string]cty.Value{
					"test":     cty.StringVal(c.Test),
					"variable": cty.StringVal(c.Variable),
					"values":   stringList(c.Values),
				})
			}
			attrs["conditions"] = cty.TupleVal(conds)
		}
		vals = append(vals, cty.ObjectVal(attrs))
	}
	return cty.TupleVal(vals)
}
