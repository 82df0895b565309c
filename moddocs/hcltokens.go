package moddocs

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/cardinalhq/lakerunner-iam/internal/hclfmt"
)

// HCL is written as tokens, never by pasting values into text: fixed
// expression shapes are parsed from constant source with placeholders
// (the identifiers A0, A1, ...), and values (names, ARNs, Sids, anything
// from the spec) are substituted as tokens from hclfmt's constructors.
// Tokens are never modified once made (hclfmt formats without writing
// them), so shapes and arguments are shared, not copied.
//
// A test file's expressions are made in its body's arena
// (hclfmt.Body.Make): they are garbage once the file is formatted.

// exprs makes the expressions of one file, in its body's arena.
type exprs struct{ body *hclfmt.Body }

// shape parses a constant expression and replaces each placeholder
// identifier An by args[n]. A malformed shape is a bug here, so it panics.
func (x exprs) shape(src string, args ...hclwrite.Tokens) hclwrite.Tokens {
	toks := parsedShape(src)
	if len(args) == 0 {
		return toks[:len(toks):len(toks)] // shared: an append copies
	}
	size := len(toks)
	for _, a := range args {
		size += len(a)
	}
	out := x.body.Make(size)
	for i, tok := range toks {
		if n, ok := placeholder(tok); ok && (i == 0 || toks[i-1].Type != hclsyntax.TokenDot) {
			if n >= len(args) {
				panic(fmt.Sprintf("moddocs: shape %q uses A%d but has %d arguments", src, n, len(args)))
			}
			out = append(out, args[n]...)
			continue
		}
		out = append(out, tok)
	}
	return out
}

// parsedShape is the tokens of a shape, lexed once and shared.
func parsedShape(src string) hclwrite.Tokens {
	toks, diags := hclfmt.SharedExpression(src)
	if diags.HasErrors() {
		panic(fmt.Sprintf("moddocs: bad expression shape %q: %s", src, diags.Error()))
	}
	return toks
}

func placeholder(tok *hclwrite.Token) (int, bool) {
	if tok.Type != hclsyntax.TokenIdent || len(tok.Bytes) < 2 || tok.Bytes[0] != 'A' {
		return 0, false
	}
	n := 0
	for _, c := range tok.Bytes[1:] {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// Punctuation, shared: no one modifies tokens.
var (
	dotTok     = &hclwrite.Token{Type: hclsyntax.TokenDot, Bytes: []byte(".")}
	commaTok   = &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")}
	newlineTok = &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")}
	equalTok   = &hclwrite.Token{Type: hclsyntax.TokenEqual, Bytes: []byte("=")}
	oBrackTok  = &hclwrite.Token{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")}
	cBrackTok  = &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")}
	oBraceTok  = &hclwrite.Token{Type: hclsyntax.TokenOBrace, Bytes: []byte("{")}
	cBraceTok  = &hclwrite.Token{Type: hclsyntax.TokenCBrace, Bytes: []byte("}")}
	oQuoteTok  = &hclwrite.Token{Type: hclsyntax.TokenOQuote, Bytes: []byte(`"`)}
	cQuoteTok  = &hclwrite.Token{Type: hclsyntax.TokenCQuote, Bytes: []byte(`"`)}
	interpTok  = &hclwrite.Token{Type: hclsyntax.TokenTemplateInterp, Bytes: []byte("${")}
	seqEndTok  = &hclwrite.Token{Type: hclsyntax.TokenTemplateSeqEnd, Bytes: []byte("}")}
)

// getAttr is base.name: an attribute of an object-valued expression.
func (x exprs) getAttr(base hclwrite.Tokens, name string) hclwrite.Tokens {
	if !hclfmt.ValidIdentifier(name) {
		panic(fmt.Sprintf("moddocs: %q is not an attribute name", name))
	}
	out := append(x.body.Make(len(base)+2), base...)
	return append(out, dotTok, x.body.Token(hclsyntax.TokenIdent, name))
}

func (x exprs) str(s string) hclwrite.Tokens { return x.body.String(s) }

func (x exprs) num(n int) hclwrite.Tokens {
	return append(x.body.Make(1), x.body.Token(hclsyntax.TokenNumberLit, strconv.Itoa(n)))
}

// stringList is a tuple of strings, one per line when it is long, as a
// person would write it.
func (x exprs) stringList(vals []string) hclwrite.Tokens {
	width := 0
	for _, v := range vals {
		width += len(v) + 4
	}
	if len(vals) < 3 && width < 80 {
		out := append(x.body.Make(4*len(vals)+2), oBrackTok)
		for i, v := range vals {
			if i > 0 {
				out = append(out, commaTok)
			}
			out = append(out, x.str(v)...)
		}
		return append(out, cBrackTok)
	}
	out := append(x.body.Make(5*len(vals)+3), oBrackTok, newlineTok)
	for _, v := range vals {
		out = append(out, x.str(v)...)
		out = append(out, commaTok, newlineTok)
	}
	return append(out, cBrackTok)
}

// stringSet is toset([...]): what normalized policy lists compare with.
func (x exprs) stringSet(vals []string) hclwrite.Tokens {
	return x.shape("toset(A0)", x.stringList(vals))
}

// object is { key = value, ... } in the order given, keys quoted when
// they are not identifiers (condition keys like "aws:SourceAccount"), as
// hclfmt.Object.
func (x exprs) object(keys []string, vals []hclwrite.Tokens) hclwrite.Tokens {
	size := 3
	for i := range keys {
		size += len(vals[i]) + 5
	}
	out := append(x.body.Make(size), oBraceTok)
	if len(keys) > 0 {
		out = append(out, newlineTok)
	}
	for i, k := range keys {
		out = append(out, x.body.Key(k)...)
		out = append(out, equalTok)
		out = append(out, vals[i]...)
		out = append(out, newlineTok)
	}
	return append(out, cBraceTok)
}

// message is a quoted template: literal text with ${...} interpolations.
// It starts with lead, template tokens (Body.Literal); parts are strings
// (literal, escaped) or hclwrite.Tokens (interpolated).
func (x exprs) message(lead hclwrite.Tokens, parts ...any) hclwrite.Tokens {
	size := 2 + len(lead)
	for _, p := range parts {
		if p, ok := p.(hclwrite.Tokens); ok {
			size += len(p) + 2
		} else {
			size++
		}
	}
	out := append(x.body.Make(size), oQuoteTok)
	out = append(out, lead...)
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			out = append(out, x.body.Literal(p)...)
		case hclwrite.Tokens:
			out = append(out, interpTok)
			out = append(out, p...)
			out = append(out, seqEndTok)
		default:
			panic(fmt.Sprintf("moddocs: message part of type %T", p))
		}
	}
	return append(out, cQuoteTok)
}

// comment is a line comment; line breaks in text become spaces.
func comment(text string) hclwrite.Tokens {
	return hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: appendComment(nil, text)}}
}

// appendComment appends the text of a line comment: "# ", the words of
// text (as strings.Fields splits them) joined by single spaces, and a
// newline.
func appendComment(dst []byte, text string) []byte {
	dst = append(dst, "# "...)
	wrote, space := false, false
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if unicode.IsSpace(r) {
			space = true
		} else {
			if space && wrote {
				dst = append(dst, ' ')
			}
			wrote, space = true, false
			dst = append(dst, text[i:i+size]...)
		}
		i += size
	}
	return append(dst, '\n')
}

// identifier turns a name into a valid HCL identifier (a run block name).
func identifier(name string) string {
	var b strings.Builder
	for _, c := range name {
		if c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	id := b.String()
	if !hclsyntax.ValidIdentifier(id) {
		id = "env_" + id
	}
	return id
}
