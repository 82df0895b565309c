package generator

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// expr parses one HCL expression into tokens. The emitters write
// references and operators this way, never by concatenating file text; a
// malformed expression is a bug in the generator, so it panics.
func expr(src string) hclwrite.Tokens {
	toks, err := parseExpr([]byte(src))
	if err != nil {
		panic(fmt.Sprintf("generator: bad expression %q: %s", src, err))
	}
	return toks
}

func parseExpr(src []byte) (hclwrite.Tokens, error) {
	// Parse as an attribute so hclwrite keeps every token; a lone
	// expression has no file form.
	f, diags := hclwrite.ParseConfig(append(append([]byte("x = "), src...), '\n'), "expr", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	attr := f.Body().GetAttribute("x")
	if attr == nil {
		return nil, fmt.Errorf("not an expression")
	}
	return attr.Expr().BuildTokens(nil), nil
}

// exprTokens are the tokens of a model expression. A template's is copied
// verbatim, so the module computes what the template says with
// Terraform's own evaluator.
func exprTokens(e Expr, sources map[string][]byte) hclwrite.Tokens {
	toks, err := parseExpr(e.Source(sources))
	if err != nil {
		panic(fmt.Sprintf("generator: cannot copy expression %q: %s", e.Source(sources), err))
	}
	return toks
}

// sourceExpr copies a template attribute's expression.
func sourceExpr(attr *hcl.Attribute, sources map[string][]byte) hclwrite.Tokens {
	return exprTokens(Expr{Attr: attr}, sources)
}

// quotedTemplate is a quoted string template: literal text (escaped) and
// interpolated expressions, in order.
func quotedTemplate(parts ...any) hclwrite.Tokens {
	out := hclwrite.Tokens{{Type: hclsyntax.TokenOQuote, Bytes: []byte(`"`)}}
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			lit := hclwrite.TokensForValue(cty.StringVal(p))
			out = append(out, lit[1:len(lit)-1]...) // without the quotes
		case hclwrite.Tokens:
			out = append(out, &hclwrite.Token{Type: hclsyntax.TokenTemplateInterp, Bytes: []byte("${")})
			out = append(out, p...)
			out = append(out, &hclwrite.Token{Type: hclsyntax.TokenTemplateSeqEnd, Bytes: []byte("}")})
		default:
			panic(fmt.Sprintf("generator: template part of type %T", p))
		}
	}
	return append(out, &hclwrite.Token{Type: hclsyntax.TokenCQuote, Bytes: []byte(`"`)})
}

// onlyIf is the for_each of a dynamic block that exists when cond holds:
// cond ? [1] : []. A conditional cond is parenthesized: `?:` associates to
// the right, so `a ? b : c ? [1] : []` would mean `a ? b : (c ? [1] : [])`.
func onlyIf(cond hclwrite.Tokens) hclwrite.Tokens {
	e, diags := hclsyntax.ParseExpression(cond.Bytes(), "cond", hcl.InitialPos)
	if diags.HasErrors() {
		panic(fmt.Sprintf("generator: bad condition %q: %s", cond.Bytes(), diags.Error()))
	}
	if _, ok := e.(*hclsyntax.ConditionalExpr); ok {
		cond = append(append(hclwrite.Tokens{{Type: hclsyntax.TokenOParen, Bytes: []byte("(")}}, cond...),
			&hclwrite.Token{Type: hclsyntax.TokenCParen, Bytes: []byte(")")})
	}
	return append(append(hclwrite.Tokens(nil), cond...), expr("true ? [1] : []")[1:]...)
}
