package generator

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/internal/hclfmt"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// writeTrustedPrincipalsStatement writes the trust statement for the
// spec's extra principals (break-glass access), present when forEach says.
func writeTrustedPrincipalsStatement(trust *hclwrite.Body, forEach hclwrite.Tokens) {
	tp := trust.AppendNewBlock("dynamic", []string{"statement"}).Body()
	tp.SetAttributeRaw("for_each", forEach)
	tpc := tp.AppendNewBlock("content", nil).Body()
	tpc.SetAttributeRaw("sid", hclfmt.Value(cty.StringVal(trustedPrincipalsSid)))
	tpc.SetAttributeRaw("effect", hclfmt.Value(cty.StringVal("Allow")))
	tpc.SetAttributeRaw("actions", hclfmt.Value(cty.ListVal([]cty.Value{cty.StringVal("sts:AssumeRole")})))
	tpp := tpc.AppendNewBlock("principals", nil).Body()
	tpp.SetAttributeRaw("type", hclfmt.Value(cty.StringVal("AWS")))
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
		st.SetAttributeRaw("sid", hclfmt.Value(cty.StringVal(s.Sid)))
	}
	effect := s.Effect
	if effect == "" {
		effect = "Allow"
	}
	st.SetAttributeRaw("effect", hclfmt.Value(cty.StringVal(effect)))
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
		pb.SetAttributeRaw("type", hclfmt.Value(cty.StringVal(p.Type)))
		pb.SetAttributeRaw("identifiers", sourceExpr(p.Identifiers, src))
	}
	for _, c := range s.Conditions {
		if c.Enabled != nil {
			writeDynamicCondition(st, sourceExpr(c.Enabled, src), c.Test, c.Variable, sourceExpr(c.Values, src))
			continue
		}
		cb := st.AppendNewBlock("condition", nil).Body()
		cb.SetAttributeRaw("test", hclfmt.Value(cty.StringVal(c.Test)))
		cb.SetAttributeRaw("variable", hclfmt.Value(cty.StringVal(c.Variable)))
		cb.SetAttributeRaw("values", sourceExpr(c.Values, src))
	}
}

func writeDynamicCondition(st *hclwrite.Body, cond hclwrite.Tokens, test, variable string, values hclwrite.Tokens) {
	dyn := st.AppendNewBlock("dynamic", []string{"condition"}).Body()
	dyn.SetAttributeRaw("for_each", onlyIf(cond))
	c := dyn.AppendNewBlock("content", nil).Body()
	c.SetAttributeRaw("test", hclfmt.Value(cty.StringVal(test)))
	c.SetAttributeRaw("variable", hclfmt.Value(cty.StringVal(variable)))
	c.SetAttributeRaw("values", values)
}

func writeExtraStatements(doc *hclwrite.Body) {
	dyn := doc.AppendNewBlock("dynamic", []string{"statement"}).Body()
	dyn.SetAttributeRaw("for_each", expr("var.extra_statements"))
	c := dyn.AppendNewBlock("content", nil).Body()
	for _, a := range []string{"sid", "effect", "actions", "not_actions", "resources", "not_resources"} {
		c.SetAttributeRaw(a, hclfmt.Traversal("statement", "value", a))
	}
	cd := c.AppendNewBlock("dynamic", []string{"condition"}).Body()
	cd.SetAttributeRaw("for_each", expr("statement.value.conditions"))
	cc := cd.AppendNewBlock("content", nil).Body()
	for _, a := range []string{"test", "variable", "values"} {
		cc.SetAttributeRaw(a, hclfmt.Traversal("condition", "value", a))
	}
}
