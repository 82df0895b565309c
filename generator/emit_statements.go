package generator

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/cardinalhq/lakerunner-iam/internal/hclfmt"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// writeTrustedPrincipals writes the trust statement for the spec's extra
// principals (break-glass access), present when forEach says.
func writeTrustedPrincipals(trust *hclfmt.Body, forEach hclwrite.Tokens) {
	trust.Block("dynamic", "statement")
	trust.Attr("for_each", forEach)
	trust.Block("content")
	trust.Attr("sid", trust.String(trustedPrincipalsSid))
	trust.Attr("effect", trust.String("Allow"))
	trust.Attr("actions", hclfmt.Tuple(trust.String("sts:AssumeRole")))
	trust.Block("principals")
	trust.Attr("type", trust.String("AWS"))
	trust.Attr("identifiers", expr("var.trusted_principal_arns"))
	trust.End()
	trust.End()
	trust.End()
}

// writeStatement writes a template statement as an aws_iam_policy_document
// statement block, dynamic when the template makes it conditional.
func writeStatement(body *hclfmt.Body, s *templates.Statement, src map[string][]byte) {
	if s.Enabled != nil {
		body.Block("dynamic", "statement")
		body.Attr("for_each", onlyIf(sourceExpr(s.Enabled, src)))
		body.Block("content")
	} else {
		body.Block("statement")
	}
	if s.Sid != "" {
		body.Attr("sid", body.String(s.Sid))
	}
	effect := s.Effect
	if effect == "" {
		effect = "Allow"
	}
	body.Attr("effect", body.String(effect))
	for _, a := range []struct {
		name string
		attr *hcl.Attribute
	}{{"actions", s.Actions}, {"not_actions", s.NotActions}, {"resources", s.Resources}, {"not_resources", s.NotResources}} {
		if a.attr != nil {
			body.Attr(a.name, sourceExpr(a.attr, src))
		}
	}
	for _, p := range s.Principals {
		body.Block("principals")
		body.Attr("type", body.String(p.Type))
		body.Attr("identifiers", sourceExpr(p.Identifiers, src))
		body.End()
	}
	for _, c := range s.Conditions {
		if c.Enabled != nil {
			writeDynamicCondition(body, sourceExpr(c.Enabled, src), c.Test, c.Variable, sourceExpr(c.Values, src))
			continue
		}
		body.Block("condition")
		body.Attr("test", body.String(c.Test))
		body.Attr("variable", body.String(c.Variable))
		body.Attr("values", sourceExpr(c.Values, src))
		body.End()
	}
	if s.Enabled != nil {
		body.End()
	}
	body.End()
}

func writeDynamicCondition(st *hclfmt.Body, cond hclwrite.Tokens, test, variable string, values hclwrite.Tokens) {
	st.Block("dynamic", "condition")
	st.Attr("for_each", onlyIf(cond))
	st.Block("content")
	st.Attr("test", st.String(test))
	st.Attr("variable", st.String(variable))
	st.Attr("values", values)
	st.End()
	st.End()
}

func writeExtraStatements(doc *hclfmt.Body) {
	doc.Block("dynamic", "statement")
	doc.Attr("for_each", expr("var.extra_statements"))
	doc.Block("content")
	for _, a := range []string{"sid", "effect", "actions", "not_actions", "resources", "not_resources"} {
		doc.Attr(a, hclfmt.Traversal("statement", "value", a))
	}
	doc.Block("dynamic", "condition")
	doc.Attr("for_each", expr("statement.value.conditions"))
	doc.Block("content")
	for _, a := range []string{"test", "variable", "values"} {
		doc.Attr(a, hclfmt.Traversal("condition", "value", a))
	}
	doc.End()
	doc.End()
	doc.End()
	doc.End()
}
