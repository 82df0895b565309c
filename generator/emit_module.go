package generator

import (
	"github.com/cardinalhq/lakerunner-iam/outtree"

	"cmp"
	"maps"
	"path"
	"slices"
	"sync"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/internal/hclfmt"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// ModuleFiles emits modules/<kind>/: main.tf, variables.tf, outputs.tf and
// versions.tf of every module of the model.
// Modules are independent: they are emitted in parallel, each on its
// own goroutine (a catalog has tens of kinds).
func ModuleFiles(m *Model, specName string) []File {
	sets := make([][]File, len(m.Modules))
	var wg sync.WaitGroup
	for i, mod := range m.Modules {
		wg.Go(func() {
			src := m.Catalog.Sources
			sets[i] = emitSet(mod.Dir(), specName, map[string]*hclwrite.File{
				"main.tf":      moduleMain(mod, src),
				"variables.tf": moduleVariables(mod, src),
				"outputs.tf":   moduleOutputs(mod),
				"versions.tf":  versionsFile(m.Spec.Terraform),
			})
		})
	}
	wg.Wait()
	return slices.Concat(sets...)
}

// emitSet formats a directory's files as `terraform fmt` does, from
// their tokens (TestGeneratedHCLIsFormatted), and adds the generated-file
// header, in path order.
func emitSet(dir, specName string, set map[string]*hclwrite.File) []File {
	var files []File
	for _, n := range slices.Sorted(maps.Keys(set)) {
		files = append(files, File{Path: path.Join(dir, n), Content: outtree.WithHeader(specName, hclfmt.File(set[n]))})
	}
	return files
}

// roleArgumentOrder is the order of the role's arguments in main.tf;
// interface variables that are role arguments and not listed come after
// these, in interface order.
var roleArgumentOrder = []string{"name", "path", "description", "assume_role_policy", "max_session_duration", "permissions_boundary", "tags"}

func moduleMain(m *Module, src map[string][]byte) *hclwrite.File {
	tmpl := m.Template
	main := hclwrite.NewEmptyFile()
	body := main.Body()

	// Trust policy.
	trust := body.AppendNewBlock("data", []string{"aws_iam_policy_document", "assume_role"}).Body()
	if m.Trust != TrustTemplate {
		writeEKSTrust(trust, m.Trust)
	} else {
		templateTrust(trust, tmpl, src)
	}
	body.AppendNewline()

	// The role: the interface's role arguments and the trust policy.
	args := map[string]hclwrite.Tokens{"assume_role_policy": expr("data.aws_iam_policy_document.assume_role.json")}
	var names []string
	for _, v := range Interface {
		if v.RoleArgument {
			args[v.Name] = hclfmt.Traversal("var", v.Name)
			names = append(names, v.Name)
		}
	}
	names = append(names, "assume_role_policy")
	rank := func(n string) int {
		if i := slices.Index(roleArgumentOrder, n); i >= 0 {
			return i
		}
		return len(roleArgumentOrder)
	}
	slices.SortStableFunc(names, func(a, b string) int { return cmp.Compare(rank(a), rank(b)) })
	role := body.AppendNewBlock("resource", []string{"aws_iam_role", "this"}).Body()
	for _, n := range names {
		role.SetAttributeRaw(n, args[n])
	}
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
		rp.SetAttributeRaw("count", expr("var.inline_policy ? 1 : 0"))
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
			arn := quotedTemplate("arn:", expr("var.partition"), ":iam::aws:policy/"+mp.Path+mp.Name)
			attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: hclfmt.Ident(mp.Name), Value: arn})
		}
		locals.SetAttributeRaw("builtin_managed_policy_arns", hclfmt.Object(attrs))
	}

	if tmpl.InstanceProfile {
		body.AppendNewline()
		ip := body.AppendNewBlock("resource", []string{"aws_iam_instance_profile", "this"}).Body()
		ip.SetAttributeRaw("name", expr("var.instance_profile_name"))
		ip.SetAttributeRaw("path", expr("var.path"))
		ip.SetAttributeRaw("role", expr("aws_iam_role.this.name"))
		ip.SetAttributeRaw("tags", expr("var.instance_profile_tags == null ? var.tags : var.instance_profile_tags"))
	}
	return main
}

func moduleVariables(m *Module, src map[string][]byte) *hclwrite.File {
	vars := hclwrite.NewEmptyFile()
	for i, v := range m.Variables {
		if i > 0 {
			vars.Body().AppendNewline()
		}
		b := vars.Body().AppendNewBlock("variable", []string{v.Name}).Body()
		b.SetAttributeRaw("type", exprTokens(v.Type, src))
		b.SetAttributeRaw("description", hclfmt.Value(cty.StringVal(v.Description)))
		if v.Default != nil {
			b.SetAttributeRaw("default", hclfmt.Value(*v.Default))
		}
		for _, val := range v.Validations {
			vb := b.AppendNewBlock("validation", nil).Body()
			vb.SetAttributeRaw("condition", exprTokens(val.Condition, src))
			vb.SetAttributeRaw("error_message", hclfmt.Value(cty.StringVal(val.ErrorMessage)))
		}
	}
	return vars
}

func moduleOutputs(m *Module) *hclwrite.File {
	outs := hclwrite.NewEmptyFile()
	for i, o := range m.Outputs {
		if i > 0 {
			outs.Body().AppendNewline()
		}
		b := outs.Body().AppendNewBlock("output", []string{o.Name}).Body()
		b.SetAttributeRaw("description", hclfmt.Value(cty.StringVal(o.Description)))
		b.SetAttributeRaw("value", exprTokens(o.Value, nil))
	}
	return outs
}

// versionsFile pins Terraform and the AWS provider as the spec says.
func versionsFile(v *schema.TerraformSettings) *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	tf := f.Body().AppendNewBlock("terraform", nil).Body()
	tf.SetAttributeRaw("required_version", hclfmt.Value(cty.StringVal(v.RequiredVersion)))
	rp := tf.AppendNewBlock("required_providers", nil).Body()
	rp.SetAttributeRaw("aws", hclfmt.Value(cty.ObjectVal(map[string]cty.Value{
		"source":  cty.StringVal("hashicorp/aws"),
		"version": cty.StringVal(v.AWSProviderVersion),
	})))
	return f
}

// templateTrust writes the template's own trust: a service principal, with
// confused-deputy conditions when the template names a source ARN, or the
// template's statements; then the spec's trusted principals.
func templateTrust(trust *hclwrite.Body, tmpl *templates.Role, src map[string][]byte) {
	if svc := tmpl.Trust.Service; svc != "" {
		st := trust.AppendNewBlock("statement", nil).Body()
		st.SetAttributeRaw("effect", hclfmt.Value(cty.StringVal("Allow")))
		st.SetAttributeRaw("actions", hclfmt.Value(cty.ListVal([]cty.Value{cty.StringVal("sts:AssumeRole")})))
		p := st.AppendNewBlock("principals", nil).Body()
		p.SetAttributeRaw("type", hclfmt.Value(cty.StringVal("Service")))
		p.SetAttributeRaw("identifiers", hclfmt.Value(cty.ListVal([]cty.Value{cty.StringVal(svc)})))
		// Without conditions, extra principals share the service's
		// statement: the same grant, and the only form moto evaluates.
		merged := expr("length(var.trusted_principal_arns) > 0 ? [1] : []")
		if tmpl.Trust.SourceArn != nil {
			merged = expr("!var.confused_deputy_protection && length(var.trusted_principal_arns) > 0 ? [1] : []")
		}
		dp := st.AppendNewBlock("dynamic", []string{"principals"}).Body()
		dp.SetAttributeRaw("for_each", merged)
		dpc := dp.AppendNewBlock("content", nil).Body()
		dpc.SetAttributeRaw("type", hclfmt.Value(cty.StringVal("AWS")))
		dpc.SetAttributeRaw("identifiers", expr("var.trusted_principal_arns"))
		if tmpl.Trust.SourceArn != nil {
			writeDynamicCondition(st, expr("var.confused_deputy_protection"), "StringEquals", "aws:SourceAccount", expr("[var.account_id]"))
			writeDynamicCondition(st, expr("var.confused_deputy_protection"), "ArnLike", "aws:SourceArn",
				hclfmt.Tuple(sourceExpr(tmpl.Trust.SourceArn, src)))
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
}
