package generator

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/cardinalhq/lakerunner-iam/internal/hclfmt"
)

// Expressions are tokens, never file text pasted together: references
// with names in them are built by hclfmt's constructors, and the
// generator's constant expressions and the templates' are lexed from
// their source. No one modifies tokens once made (hclfmt formats without
// writing them), so the tokens of a constant expression are shared.

// expr is the tokens of one of the generator's constant expressions,
// lexed once and shared. A malformed one is a bug here, so it panics.
func expr(src string) hclwrite.Tokens {
	toks, diags := hclfmt.SharedExpression(src)
	if diags.HasErrors() {
		panic(fmt.Sprintf("generator: bad expression %q: %s", src, diags.Error()))
	}
	return toks
}

// exprTokens are the tokens of a model expression. A template's is copied
// verbatim, so the module computes what the template says with
// Terraform's own evaluator.
func exprTokens(e Expr, sources map[string][]byte) hclwrite.Tokens {
	if e.Attr == nil {
		return expr(e.Text)
	}
	// Lexed once per source text: a module per kind and a test file per
	// environment write the same template expressions again and again.
	src := e.Source(sources)
	toks, diags := hclfmt.SharedExpression(string(src))
	if diags.HasErrors() {
		panic(fmt.Sprintf("generator: cannot copy expression %q: %s", src, diags.Error()))
	}
	return toks
}

// sourceExpr copies a template attribute's expression.
func sourceExpr(attr *hcl.Attribute, sources map[string][]byte) hclwrite.Tokens {
	return exprTokens(Expr{Attr: attr}, sources)
}

// moduleRef is module.<name>.<output>.
func moduleRef(name, output string) hclwrite.Tokens {
	return hclfmt.Traversal("module", name, output)
}

// quotedTemplate is a quoted string template: literal text (escaped) and
// interpolated expressions, in order.
func quotedTemplate(parts ...any) hclwrite.Tokens {
	out := hclwrite.Tokens{{Type: hclsyntax.TokenOQuote, Bytes: []byte(`"`)}}
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			lit := hclfmt.String(p)
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
	out := make(hclwrite.Tokens, 0, len(cond)+8)
	if conditional(cond) {
		out = append(out, &hclwrite.Token{Type: hclsyntax.TokenOParen, Bytes: []byte("(")})
		out = append(out, cond...)
		out = append(out, &hclwrite.Token{Type: hclsyntax.TokenCParen, Bytes: []byte(")")})
	} else {
		out = append(out, cond...)
	}
	return append(out, expr("true ? [1] : []")[1:]...)
}

// conditional reports whether an expression is a conditional: `?:` binds
// loosest of all operators, and `?` means nothing else, so it is one
// exactly when a `?` stands outside every bracket.
func conditional(e hclwrite.Tokens) bool {
	depth := 0
	for _, t := range e {
		switch t.Type {
		case hclsyntax.TokenOParen, hclsyntax.TokenOBrack, hclsyntax.TokenOBrace, hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl, hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			depth++
		case hclsyntax.TokenCParen, hclsyntax.TokenCBrack, hclsyntax.TokenCBrace, hclsyntax.TokenTemplateSeqEnd, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			depth--
		case hclsyntax.TokenQuestion:
			if depth == 0 {
				return true
			}
		}
	}
	return false
}
