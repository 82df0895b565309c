package generator

import (
	"fmt"
	"sync"

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

// exprs caches the tokens of constant expressions: few, used many times.
var exprs sync.Map // string → hclwrite.Tokens

// expr is the tokens of one of the generator's constant expressions. A
// malformed one is a bug here, so it panics.
func expr(src string) hclwrite.Tokens {
	if toks, ok := exprs.Load(src); ok {
		return toks.(hclwrite.Tokens)
	}
	toks, diags := hclfmt.LexExpression([]byte(src))
	if diags.HasErrors() {
		panic(fmt.Sprintf("generator: bad expression %q: %s", src, diags.Error()))
	}
	exprs.Store(src, toks)
	return toks
}

// exprTokens are the tokens of a model expression. A template's is copied
// verbatim, so the module computes what the template says with
// Terraform's own evaluator.
func exprTokens(e Expr, sources map[string][]byte) hclwrite.Tokens {
	if e.Attr == nil {
		return expr(e.Text)
	}
	return copied.tokens(e.Source(sources))
}

// copied caches the tokens of the templates' expressions by their source
// text: within one gen, a module per kind and a test file per environment
// write the same few hundred expressions again and again; a process that
// runs gen more than once (tests, benchmarks) lexes each once. It only
// grows, by the distinct expressions of the catalogs it has seen.
var copied = lexCache{toks: map[string]hclwrite.Tokens{}}

type lexCache struct {
	mu   sync.RWMutex
	toks map[string]hclwrite.Tokens // never modified
}

func (c *lexCache) tokens(src []byte) hclwrite.Tokens {
	c.mu.RLock()
	toks, ok := c.toks[string(src)]
	c.mu.RUnlock()
	if ok {
		return toks
	}
	toks, diags := hclfmt.LexExpression(src)
	if diags.HasErrors() {
		panic(fmt.Sprintf("generator: cannot copy expression %q: %s", src, diags.Error()))
	}
	c.mu.Lock()
	c.toks[string(src)] = toks
	c.mu.Unlock()
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
