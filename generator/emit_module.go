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
			sets[i] = emitSet(mod.Dir(), specName, map[string]*hclfmt.Body{
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
func emitSet(dir, specName string, set map[string]*hclfmt.Body) []File {
	files := make([]File, 0, len(set))
	for _, n := range slices.Sorted(maps.Keys(set)) {
		files = append(files, File{Path: path.Join(dir, n), Content: set[n].Wrap(func(text []byte) []byte {
			return outtree.WithHeader(specName, text)
		})})
	}
	return files
}

// roleArgumentOrder is the order of the role's arguments in main.tf;
// interface variables that are role arguments and not listed come after
// these, in interface order.
var roleArgumentOrder = []string{"name", "path", "description", "assume_role_policy", "max_session_duration", "permissions_boundary", "tags"}

func moduleMain(m *Module, src map[string][]byte) *hclfmt.Body {
	tmpl := m.Template
	body := new(hclfmt.Body)

	// Trust policy.
	body.Block("data", "aws_iam_policy_document", "assume_role")
	if m.Trust != TrustTemplate {
		writeEKSTrust(body, m.Trust)
	} else {
		templateTrust(body, tmpl, src)
	}
	body.End()
	body.Newline()

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
	body.Block("resource", "aws_iam_role", "this")
	for _, n := range names {
		body.Attr(n, args[n])
	}
	body.End()
	body.Newline()

	// Inline policy: the catalog's statements, overridden and extended by
	// the spec's through override_policy_documents.
	body.Block("data", "aws_iam_policy_document", "extra")
	writeExtraStatements(body)
	body.End()
	body.Newline()
	// The inline policy: the template's statements with the extra ones
	// over them, or only the extra ones when the template has none.
	count, name, policy := "length(var.extra_statements) > 0 ? 1 : 0", `"${var.name}-extra"`, "data.aws_iam_policy_document.extra.json"
	if tmpl.Policy != nil {
		body.Block("data", "aws_iam_policy_document", "permissions")
		body.Attr("override_policy_documents", expr("length(var.extra_statements) > 0 ? [data.aws_iam_policy_document.extra.json] : []"))
		for _, s := range tmpl.Policy.Statements {
			body.Newline()
			writeStatement(body, s, src)
		}
		body.End()
		body.Newline()
		count, name, policy = "var.inline_policy ? 1 : 0", "var.policy_name", "data.aws_iam_policy_document.permissions.json"
	}
	body.Block("resource", "aws_iam_role_policy", "this")
	body.Attr("count", expr(count))
	body.Attr("name", expr(name))
	body.Attr("role", expr("aws_iam_role.this.name"))
	body.Attr("policy", expr(policy))
	body.End()
	body.Newline()

	// Managed policies, attached with for_each over static keys.
	body.Block("resource", "aws_iam_role_policy_attachment", "this")
	if len(tmpl.ManagedPolicies) > 0 {
		body.Attr("for_each", expr("merge(local.builtin_managed_policy_arns, var.managed_policy_arns)"))
	} else {
		body.Attr("for_each", expr("var.managed_policy_arns"))
	}
	body.Attr("role", expr("aws_iam_role.this.name"))
	body.Attr("policy_arn", expr("each.value"))
	body.End()
	if len(tmpl.ManagedPolicies) > 0 {
		body.Newline()
		body.Block("locals")
		var attrs []hclwrite.ObjectAttrTokens
		for _, mp := range tmpl.ManagedPolicies {
			arn := quotedTemplate("arn:", expr("var.partition"), ":iam::aws:policy/"+mp.Path+mp.Name)
			attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: hclfmt.Ident(mp.Name), Value: arn})
		}
		body.Attr("builtin_managed_policy_arns", hclfmt.Object(attrs))
		body.End()
	}

	if tmpl.InstanceProfile {
		body.Newline()
		body.Block("resource", "aws_iam_instance_profile", "this")
		body.Attr("name", expr("var.instance_profile_name"))
		body.Attr("path", expr("var.path"))
		body.Attr("role", expr("aws_iam_role.this.name"))
		body.Attr("tags", expr("var.instance_profile_tags == null ? var.tags : var.instance_profile_tags"))
		body.End()
	}
	return body
}

func moduleVariables(m *Module, src map[string][]byte) *hclfmt.Body {
	vars := new(hclfmt.Body)
	for i, v := range m.Variables {
		if i > 0 {
			vars.Newline()
		}
		vars.Block("variable", v.Name)
		vars.Attr("type", exprTokens(v.Type, src))
		vars.Attr("description", vars.String(v.Description))
		if v.Default != nil {
			vars.AttrValue("default", *v.Default)
		}
		for _, val := range v.Validations {
			vars.Block("validation")
			vars.Attr("condition", exprTokens(val.Condition, src))
			vars.Attr("error_message", vars.String(val.ErrorMessage))
			vars.End()
		}
		vars.End()
	}
	return vars
}

func moduleOutputs(m *Module) *hclfmt.Body {
	outs := new(hclfmt.Body)
	for i, o := range m.Outputs {
		if i > 0 {
			outs.Newline()
		}
		outs.Block("output", o.Name)
		outs.Attr("description", outs.String(o.Description))
		outs.Attr("value", exprTokens(o.Value, nil))
		outs.End()
	}
	return outs
}

// versionsFile pins Terraform and the AWS provider as the spec says.
func versionsFile(v *schema.TerraformSettings) *hclfmt.Body {
	f := new(hclfmt.Body)
	f.Block("terraform")
	f.Attr("required_version", f.String(v.RequiredVersion))
	f.Block("required_providers")
	f.Attr("aws", hclfmt.Value(cty.ObjectVal(map[string]cty.Value{
		"source":  cty.StringVal("hashicorp/aws"),
		"version": cty.StringVal(v.AWSProviderVersion),
	})))
	f.End()
	f.End()
	return f
}

// templateTrust writes the template's own trust: a service principal, with
// confused-deputy conditions when the template names a source ARN, or the
// template's statements; then the spec's trusted principals.
func templateTrust(trust *hclfmt.Body, tmpl *templates.Role, src map[string][]byte) {
	if svc := tmpl.Trust.Service; svc != "" {
		trust.Block("statement")
		trust.Attr("effect", trust.String("Allow"))
		trust.Attr("actions", hclfmt.Tuple(trust.String("sts:AssumeRole")))
		trust.Block("principals")
		trust.Attr("type", trust.String("Service"))
		trust.Attr("identifiers", hclfmt.Tuple(trust.String(svc)))
		trust.End()
		// Without conditions, extra principals share the service's
		// statement: the same grant, and the only form moto evaluates.
		merged := expr("length(var.trusted_principal_arns) > 0 ? [1] : []")
		if tmpl.Trust.SourceArn != nil {
			merged = expr("!var.confused_deputy_protection && length(var.trusted_principal_arns) > 0 ? [1] : []")
		}
		trust.Block("dynamic", "principals")
		trust.Attr("for_each", merged)
		trust.Block("content")
		trust.Attr("type", trust.String("AWS"))
		trust.Attr("identifiers", expr("var.trusted_principal_arns"))
		trust.End()
		trust.End()
		if tmpl.Trust.SourceArn != nil {
			writeDynamicCondition(trust, expr("var.confused_deputy_protection"), "StringEquals", "aws:SourceAccount", expr("[var.account_id]"))
			writeDynamicCondition(trust, expr("var.confused_deputy_protection"), "ArnLike", "aws:SourceArn",
				hclfmt.Tuple(sourceExpr(tmpl.Trust.SourceArn, src)))
		}
		trust.End()
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
		writeTrustedPrincipals(trust, expr(separate))
	}
}
