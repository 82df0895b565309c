package moddocs

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

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

// shape parses a constant expression and replaces each placeholder
// identifier An by args[n]. A malformed shape is a bug here, so it panics.
func shape(src string, args ...hclwrite.Tokens) hclwrite.Tokens {
	toks := parsedShape(src)
	size := len(toks)
	for _, a := range args {
		size += len(a)
	}
	out := make(hclwrite.Tokens, 0, size)
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

// shapes caches parsed shapes: there are few, used many times.
var shapes sync.Map // string → hclwrite.Tokens, never modified

func parsedShape(src string) hclwrite.Tokens {
	if toks, ok := shapes.Load(src); ok {
		return toks.(hclwrite.Tokens)
	}
	toks, diags := hclfmt.LexExpression([]byte(src))
	if diags.HasErrors() {
		panic(fmt.Sprintf("moddocs: bad expression shape %q: %s", src, diags.Error()))
	}
	shapes.Store(src, toks)
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

// getAttr is base.name: an attribute of an object-valued expression.
func getAttr(base hclwrite.Tokens, name string) hclwrite.Tokens {
	if !hclfmt.ValidIdentifier(name) {
		panic(fmt.Sprintf("moddocs: %q is not an attribute name", name))
	}
	out := append(hclwrite.Tokens(nil), base...)
	return append(out,
		&hclwrite.Token{Type: hclsyntax.TokenDot, Bytes: []byte(".")},
		&hclwrite.Token{Type: hclsyntax.TokenIdent, Bytes: []byte(name)},
	)
}

func str(s string) hclwrite.Tokens { return hclfmt.String(s) }

func num(n int) hclwrite.Tokens {
	return hclwrite.Tokens{{Type: hclsyntax.TokenNumberLit, Bytes: strconv.AppendInt(nil, int64(n), 10)}}
}

// stringList is a tuple of strings, one per line when it is long, as a
// person would write it.
func stringList(vals []string) hclwrite.Tokens {
	elems := make([]hclwrite.Tokens, len(vals))
	width := 0
	for i, v := range vals {
		elems[i] = str(v)
		width += len(v) + 4
	}
	if len(vals) < 3 && width < 80 {
		return hclfmt.Tuple(elems...)
	}
	nl := &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")}
	out := hclwrite.Tokens{{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")}, nl}
	for _, e := range elems {
		out = append(out, e...)
		out = append(out, &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")}, nl)
	}
	return append(out, &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")})
}

// stringSet is toset([...]): what normalized policy lists compare with.
func stringSet(vals []string) hclwrite.Tokens { return shape("toset(A0)", stringList(vals)) }

// object is { key = value, ... } in the order given, keys quoted when
// they are not identifiers (condition keys like "aws:SourceAccount").
func object(keys []string, vals []hclwrite.Tokens) hclwrite.Tokens {
	attrs := make([]hclwrite.ObjectAttrTokens, len(keys))
	for i, k := range keys {
		attrs[i] = hclwrite.ObjectAttrTokens{Name: hclfmt.Key(k), Value: vals[i]}
	}
	return hclfmt.Object(attrs)
}

// message is a quoted template: literal text with ${...} interpolations.
// Parts are strings (literal, escaped) or hclwrite.Tokens (interpolated).
func message(parts ...any) hclwrite.Tokens {
	out := hclwrite.Tokens{{Type: hclsyntax.TokenOQuote, Bytes: []byte(`"`)}}
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			lit := str(p)
			out = append(out, lit[1:len(lit)-1]...) // without the quotes
		case hclwrite.Tokens:
			out = append(out, &hclwrite.Token{Type: hclsyntax.TokenTemplateInterp, Bytes: []byte("${")})
			out = append(out, p...)
			out = append(out, &hclwrite.Token{Type: hclsyntax.TokenTemplateSeqEnd, Bytes: []byte("}")})
		default:
			panic(fmt.Sprintf("moddocs: message part of type %T", p))
		}
	}
	return append(out, &hclwrite.Token{Type: hclsyntax.TokenCQuote, Bytes: []byte(`"`)})
}

// comment is a line comment; line breaks in text become spaces.
func comment(text string) hclwrite.Tokens {
	text = strings.Join(strings.Fields(text), " ")
	return hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte("# " + text + "\n")}}
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
