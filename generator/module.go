package generator

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// Module is the generated Terraform module of one role kind. It depends on
// the template alone, so every environment shares it.
type Module struct {
	Template  *templates.Role
	Variables []*Variable
	main      *hclwrite.File
}

// Dir is the module's directory under the output directory.
func (m *Module) Dir() string { return "modules/" + m.Template.Kind }

// Variable is one module input.
type Variable struct {
	Name        string
	Type        hclwrite.Tokens
	Description string
	Default     *cty.Value // nil: required
	Validations []validation
}

type validation struct {
	Condition    hclwrite.Tokens
	ErrorMessage string
}

// Has reports whether the module declares a variable.
func (m *Module) Has(name string) bool {
	for _, v := range m.Variables {
		if v.Name == name {
			return true
		}
	}
	return false
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

func ptr(v cty.Value) *cty.Value { return &v }

// standardVariables are the inputs every role module may have, in the order
// variables.tf lists them; a module keeps those its main.tf uses.
func standardVariables() []*Variable {
	return []*Variable{
		{Name: "name", Type: expr("string"), Description: "Name of the IAM role.",
			Validations: []validation{{expr(`length(var.name) <= 64 && can(regex("^[\\w+=,.@-]+$", var.name))`), "A role name has 1 to 64 letters, digits and +=,.@_- characters."}}},
		{Name: "path", Type: expr("string"), Description: "IAM path of the role (and of its instance profile).", Default: ptr(cty.StringVal("/")),
			Validations: []validation{{expr(`length(var.path) <= 512 && can(regex("^/([\\x21-\\x7E]*/)?$", var.path))`), "An IAM path starts and ends with \"/\" and has at most 512 characters."}}},
		{Name: "description", Type: expr("string"), Description: "Description of the role.",
			Validations: []validation{{expr(`length(var.description) <= 1000`), "A role description has at most 1000 characters."}}},
		{Name: "permissions_boundary", Type: expr("string"), Description: "ARN of the managed policy that bounds the role's permissions, or null for none.", Default: ptr(cty.NullVal(cty.String)),
			Validations: []validation{{expr(`var.permissions_boundary == null || can(regex("^arn:[^:]+:iam::(aws|\\d{12}):policy/", var.permissions_boundary))`), "The permissions boundary must be a managed policy ARN."}}},
		{Name: "max_session_duration", Type: expr("number"), Description: "Maximum session duration of the role, in seconds.", Default: ptr(cty.NumberIntVal(defaultMaxSessionDuration)),
			Validations: []validation{{expr(`var.max_session_duration >= 3600 && var.max_session_duration <= 43200`), "The maximum session duration is 3600 to 43200 seconds."}}},
		{Name: "tags", Type: expr("map(string)"), Description: "Tags of the role (and of its instance profile).", Default: ptr(cty.MapValEmpty(cty.String)),
			Validations: []validation{{expr(`length(var.tags) <= 50`), "IAM allows at most 50 tags on a role."}}},
		{Name: "partition", Type: expr("string"), Description: "AWS partition of the account: aws, aws-us-gov or aws-cn.",
			Validations: []validation{{expr(`contains(["aws", "aws-us-gov", "aws-cn"], var.partition)`), "The partition is one of aws, aws-us-gov and aws-cn."}}},
		{Name: "account_id", Type: expr("string"), Description: "ID of the AWS account the role is in.",
			Validations: []validation{{expr(`can(regex("^\\d{12}$", var.account_id))`), "An AWS account ID is 12 digits."}}},
		{Name: "region", Type: expr("string"), Description: "AWS region of the resources the role is scoped to."},
		{Name: "confused_deputy_protection", Type: expr("bool"), Description: "Whether the trust policy requires aws:SourceAccount and aws:SourceArn, so the service can assume the role only on behalf of this account.", Default: ptr(cty.True)},
		{Name: "trusted_principal_arns", Type: expr("list(string)"), Description: "Extra IAM principals (exact ARNs) allowed to assume the role, e.g. for break-glass access.", Default: ptr(cty.ListValEmpty(cty.String)),
			Validations: []validation{{expr(`alltrue([for a in var.trusted_principal_arns : can(regex("^arn:[^:]+:iam::\\d{12}:[^*?]+$", a))])`), "Trusted principals are exact IAM ARNs; IAM allows no wildcard in a principal."}}},
		{Name: "managed_policy_arns", Type: expr("map(string)"), Description: "Extra managed policies to attach, keyed by a static name.", Default: ptr(cty.MapValEmpty(cty.String))},
		{Name: "extra_statements", Type: expr(extraStatementsType), Description: "Extra statements for the role's inline policy. A statement with the Sid of a built-in statement replaces it.", Default: ptr(cty.ListValEmpty(cty.DynamicPseudoType))},
		{Name: "policy_name", Type: expr("string"), Description: "Name of the role's inline policy."},
		{Name: "instance_profile_name", Type: expr("string"), Description: "Name of the instance profile."},
	}
}

func newModule(tmpl *templates.Role, cat *templates.Catalog) (*Module, hcl.Diagnostics) {
	m := &Module{Template: tmpl}
	var diags hcl.Diagnostics
	src := cat.Sources

	main := hclwrite.NewEmptyFile()
	body := main.Body()

	// Trust policy.
	trust := body.AppendNewBlock("data", []string{"aws_iam_policy_document", "assume_role"}).Body()
	if svc := tmpl.Trust.Service; svc != "" {
		st := trust.AppendNewBlock("statement", nil).Body()
		st.SetAttributeValue("effect", cty.StringVal("Allow"))
		st.SetAttributeValue("actions", cty.ListVal([]cty.Value{cty.StringVal("sts:AssumeRole")}))
		p := st.AppendNewBlock("principals", nil).Body()
		p.SetAttributeValue("type", cty.StringVal("Service"))
		p.SetAttributeValue("identifiers", cty.ListVal([]cty.Value{cty.StringVal(svc)}))
		// Without conditions, extra principals share the service's
		// statement: the same grant, and the only form moto evaluates.
		merged := expr("length(var.trusted_principal_arns) > 0 ? [1] : []")
		if tmpl.Trust.SourceArn != nil {
			merged = expr("!var.confused_deputy_protection && length(var.trusted_principal_arns) > 0 ? [1] : []")
		}
		dp := st.AppendNewBlock("dynamic", []string{"principals"}).Body()
		dp.SetAttributeRaw("for_each", merged)
		dpc := dp.AppendNewBlock("content", nil).Body()
		dpc.SetAttributeValue("type", cty.StringVal("AWS"))
		dpc.SetAttributeRaw("identifiers", expr("var.trusted_principal_arns"))
		if tmpl.Trust.SourceArn != nil {
			writeDynamicCondition(st, expr("var.confused_deputy_protection"), "StringEquals", "aws:SourceAccount", expr("[var.account_id]"))
			writeDynamicCondition(st, expr("var.confused_deputy_protection"), "ArnLike", "aws:SourceArn",
				hclwrite.TokensForTuple([]hclwrite.Tokens{sourceExpr(tmpl.Trust.SourceArn, src)}))
		}
	}
	for _, s := range tmpl.Trust.Statements {
		writeStatement(trust, s, src)
	}
	// With conditions on the trust, extra principals get a statement of
	// their own: the conditions are the service's, not theirs.
	separate := ""
	switch {
	case tmpl.Trust.Service == "":
		separate = "length(var.trusted_principal_arns) > 0 ? [1] : []"
	case tmpl.Trust.SourceArn != nil:
		separate = "var.confused_deputy_protection && length(var.trusted_principal_arns) > 0 ? [1] : []"
	}
	if separate != "" {
		writeTrustedPrincipalsStatement(trust, expr(separate))
	}
	body.AppendNewline()

	// The role.
	role := body.AppendNewBlock("resource", []string{"aws_iam_role", "this"}).Body()
	role.SetAttributeRaw("name", expr("var.name"))
	role.SetAttributeRaw("path", expr("var.path"))
	role.SetAttributeRaw("description", expr("var.description"))
	role.SetAttributeRaw("assume_role_policy", expr("data.aws_iam_policy_document.assume_role.json"))
	role.SetAttributeRaw("max_session_duration", expr("var.max_session_duration"))
	role.SetAttributeRaw("permissions_boundary", expr("var.permissions_boundary"))
	role.SetAttributeRaw("tags", expr("var.tags"))
	body.AppendNewline()

	// Inline policy: the catalog's statements, overridden and extended by
	// the spec's through override_policy_documents.
	extra := body.AppendNewBlock("data", []string{"aws_iam_policy_document", "extra"}).Body()
	writeExtraStatements(extra)
	body.AppendNewline()
	if tmpl.Policy != nil {
		perms := body.AppendNewBlock("data", []string{"aws_iam_policy_document", "permissions"}).Body()
		perms.SetAttributeRaw("override_policy_documents", expr("length(var.extra_statements) > 0 ? [data.aws_iam_policy_document.extra.json] : []"))
		for _, s := range tmpl.Policy.Statements {
			perms.AppendNewline()
			writeStatement(perms, s, src)
		}
		body.AppendNewline()
		rp := body.AppendNewBlock("resource", []string{"aws_iam_role_policy", "this"}).Body()
		rp.SetAttributeRaw("name", expr("var.policy_name"))
		rp.SetAttributeRaw("role", expr("aws_iam_role.this.name"))
		rp.SetAttributeRaw("policy", expr("data.aws_iam_policy_document.permissions.json"))
	} else {
		rp := body.AppendNewBlock("resource", []string{"aws_iam_role_policy", "this"}).Body()
		rp.SetAttributeRaw("count", expr("length(var.extra_statements) > 0 ? 1 : 0"))
		rp.SetAttributeRaw("name", expr(`"${var.name}-extra"`))
		rp.SetAttributeRaw("role", expr("aws_iam_role.this.name"))
		rp.SetAttributeRaw("policy", expr("data.aws_iam_policy_document.extra.json"))
	}
	body.AppendNewline()

	// Managed policies, attached with for_each over static keys.
	attach := body.AppendNewBlock("resource", []string{"aws_iam_role_policy_attachment", "this"}).Body()
	if len(tmpl.ManagedPolicies) > 0 {
		attach.SetAttributeRaw("for_each", expr("merge(local.builtin_managed_policy_arns, var.managed_policy_arns)"))
	} else {
		attach.SetAttributeRaw("for_each", expr("var.managed_policy_arns"))
	}
	attach.SetAttributeRaw("role", expr("aws_iam_role.this.name"))
	attach.SetAttributeRaw("policy_arn", expr("each.value"))
	if len(tmpl.ManagedPolicies) > 0 {
		body.AppendNewline()
		locals := body.AppendNewBlock("locals", nil).Body()
		var attrs []hclwrite.ObjectAttrTokens
		for _, mp := range tmpl.ManagedPolicies {
			arn, err := parseExpr([]byte(fmt.Sprintf(`"arn:${var.partition}:iam::aws:policy/%s%s"`, mp.Path, mp.Name)))
			if err != nil {
				diags = append(diags, errorAt(tmpl.DefRange, "Invalid managed policy", fmt.Sprintf("Managed policy %q of role %q: %s", mp.Name, tmpl.Kind, err)))
				continue
			}
			attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForIdentifier(mp.Name), Value: arn})
		}
		locals.SetAttributeRaw("builtin_managed_policy_arns", hclwrite.TokensForObject(attrs))
	}

	if tmpl.InstanceProfile {
		body.AppendNewline()
		ip := body.AppendNewBlock("resource", []string{"aws_iam_instance_profile", "this"}).Body()
		ip.SetAttributeRaw("name", expr("var.instance_profile_name"))
		ip.SetAttributeRaw("path", expr("var.path"))
		ip.SetAttributeRaw("role", expr("aws_iam_role.this.name"))
		ip.SetAttributeRaw("tags", expr("var.tags"))
	}
	m.main = main

	used := usedVars(main.BuildTokens(nil))
	for _, v := range standardVariables() {
		if used[v.Name] {
			m.Variables = append(m.Variables, v)
		}
	}
	for _, in := range tmpl.Inputs {
		v := &Variable{Name: in.Name, Type: sourceExpr(in.Type, src), Description: in.Description}
		for _, val := range in.Validations {
			v.Validations = append(v.Validations, validation{sourceExpr(val.Condition, src), val.ErrorMessage})
		}
		if !used[in.Name] {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unused template input",
				Detail:   fmt.Sprintf("Input %q of role %q is not used by any trust or policy statement; remove it or use it as var.%s.", in.Name, tmpl.Kind, in.Name),
				Subject:  in.DefRange.Ptr(),
			})
		}
		m.Variables = append(m.Variables, v)
	}
	return m, diags
}

// writeTrustedPrincipalsStatement writes the trust statement for the
// spec's extra principals (break-glass access), present when forEach says.
func writeTrustedPrincipalsStatement(trust *hclwrite.Body, forEach hclwrite.Tokens) {
	tp := trust.AppendNewBlock("dynamic", []string{"statement"}).Body()
	tp.SetAttributeRaw("for_each", forEach)
	tpc := tp.AppendNewBlock("content", nil).Body()
	tpc.SetAttributeValue("sid", cty.StringVal(trustedPrincipalsSid))
	tpc.SetAttributeValue("effect", cty.StringVal("Allow"))
	tpc.SetAttributeValue("actions", cty.ListVal([]cty.Value{cty.StringVal("sts:AssumeRole")}))
	tpp := tpc.AppendNewBlock("principals", nil).Body()
	tpp.SetAttributeValue("type", cty.StringVal("AWS"))
	tpp.SetAttributeRaw("identifiers", expr("var.trusted_principal_arns"))
}

// writeStatement writes a template statement as an aws_iam_policy_document
// statement block, dynamic when the template makes it conditional.
func writeStatement(body *hclwrite.Body, s *templates.Statement, src map[string][]byte) {
	st := body
	if s.Enabled != nil {
		dyn := body.AppendNewBlock("dynamic", []string{"statement"}).Body()
		dyn.SetAttributeRaw("for_each", onlyIf(sourceExpr(s.Enabled, src)))
		st = dyn.AppendNewBlock("content", nil).Body()
	} else {
		st = body.AppendNewBlock("statement", nil).Body()
	}
	if s.Sid != "" {
		st.SetAttributeValue("sid", cty.StringVal(s.Sid))
	}
	effect := s.Effect
	if effect == "" {
		effect = "Allow"
	}
	st.SetAttributeValue("effect", cty.StringVal(effect))
	for _, a := range []struct {
		name string
		attr *hcl.Attribute
	}{{"actions", s.Actions}, {"not_actions", s.NotActions}, {"resources", s.Resources}, {"not_resources", s.NotResources}} {
		if a.attr != nil {
			st.SetAttributeRaw(a.name, sourceExpr(a.attr, src))
		}
	}
	for _, p := range s.Principals {
		pb := st.AppendNewBlock("principals", nil).Body()
		pb.SetAttributeValue("type", cty.StringVal(p.Type))
		pb.SetAttributeRaw("identifiers", sourceExpr(p.Identifiers, src))
	}
	for _, c := range s.Conditions {
		if c.Enabled != nil {
			writeDynamicCondition(st, sourceExpr(c.Enabled, src), c.Test, c.Variable, sourceExpr(c.Values, src))
			continue
		}
		cb := st.AppendNewBlock("condition", nil).Body()
		cb.SetAttributeValue("test", cty.StringVal(c.Test))
		cb.SetAttributeValue("variable", cty.StringVal(c.Variable))
		cb.SetAttributeRaw("values", sourceExpr(c.Values, src))
	}
}

func writeDynamicCondition(st *hclwrite.Body, cond hclwrite.Tokens, test, variable string, values hclwrite.Tokens) {
	dyn := st.AppendNewBlock("dynamic", []string{"condition"}).Body()
	dyn.SetAttributeRaw("for_each", onlyIf(cond))
	c := dyn.AppendNewBlock("content", nil).Body()
	c.SetAttributeValue("test", cty.StringVal(test))
	c.SetAttributeValue("variable", cty.StringVal(variable))
	c.SetAttributeRaw("values", values)
}

func writeExtraStatements(doc *hclwrite.Body) {
	dyn := doc.AppendNewBlock("dynamic", []string{"statement"}).Body()
	dyn.SetAttributeRaw("for_each", expr("var.extra_statements"))
	c := dyn.AppendNewBlock("content", nil).Body()
	for _, a := range []string{"sid", "effect", "actions", "not_actions", "resources", "not_resources"} {
		c.SetAttributeRaw(a, expr("statement.value."+a))
	}
	cd := c.AppendNewBlock("dynamic", []string{"condition"}).Body()
	cd.SetAttributeRaw("for_each", expr("statement.value.conditions"))
	cc := cd.AppendNewBlock("content", nil).Body()
	for _, a := range []string{"test", "variable", "values"} {
		cc.SetAttributeRaw(a, expr("condition.value."+a))
	}
}

// files renders the module's files (main.tf, variables.tf, outputs.tf,
// versions.tf), unformatted and without header.
func (m *Module) files(versions *schema.TerraformSettings) map[string]*hclwrite.File {
	vars := hclwrite.NewEmptyFile()
	for i, v := range m.Variables {
		if i > 0 {
			vars.Body().AppendNewline()
		}
		b := vars.Body().AppendNewBlock("variable", []string{v.Name}).Body()
		b.SetAttributeRaw("type", v.Type)
		b.SetAttributeValue("description", cty.StringVal(v.Description))
		if v.Default != nil {
			b.SetAttributeValue("default", *v.Default)
		}
		for _, val := range v.Validations {
			vb := b.AppendNewBlock("validation", nil).Body()
			vb.SetAttributeRaw("condition", val.Condition)
			vb.SetAttributeValue("error_message", cty.StringVal(val.ErrorMessage))
		}
	}

	outs := hclwrite.NewEmptyFile()
	output := func(name, desc, value string) {
		if len(outs.Body().Blocks()) > 0 {
			outs.Body().AppendNewline()
		}
		b := outs.Body().AppendNewBlock("output", []string{name}).Body()
		b.SetAttributeValue("description", cty.StringVal(desc))
		b.SetAttributeRaw("value", expr(value))
	}
	output("arn", "ARN of the role.", "aws_iam_role.this.arn")
	output("name", "Name of the role.", "aws_iam_role.this.name")
	output("unique_id", "Stable unique ID of the role.", "aws_iam_role.this.unique_id")
	if m.Template.InstanceProfile {
		output("instance_profile_arn", "ARN of the instance profile.", "aws_iam_instance_profile.this.arn")
		output("instance_profile_name", "Name of the instance profile.", "aws_iam_instance_profile.this.name")
	}

	return map[string]*hclwrite.File{
		"main.tf":      m.main,
		"variables.tf": vars,
		"outputs.tf":   outs,
		"versions.tf":  versionsFile(versions),
	}
}

// versionsFile pins Terraform and the AWS provider as the spec says.
func versionsFile(v *schema.TerraformSettings) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	tf := f.Body().AppendNewBlock("terraform", nil).Body()
	tf.SetAttributeValue("required_version", cty.StringVal(v.RequiredVersion))
	rp := tf.AppendNewBlock("required_providers", nil).Body()
	rp.SetAttributeValue("aws", cty.ObjectVal(map[string]cty.Value{
		"source":  cty.StringVal("hashicorp/aws"),
		"version": cty.StringVal(v.AWSProviderVersion),
	}))
	return f
}
