package hclfmt

import (
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// The constructors below make the same tokens as hclwrite's TokensFor*
// functions, without the formatting pass each of those runs on its
// result (a grapheme scanner per token of an object): Format lays out the
// whole file once. TestConstructorsMatchHCLWrite holds them to hclwrite's.

func tok(t hclsyntax.TokenType, b []byte) *hclwrite.Token {
	return &hclwrite.Token{Type: t, Bytes: b}
}

// The bytes of punctuation, shared by every token of the kind: no one
// modifies a token's bytes (hclwrite's formatter only sets SpacesBefore).
var (
	quote   = []byte(`"`)
	dot     = []byte(".")
	comma   = []byte(",")
	equal   = []byte("=")
	newline = []byte("\n")
	oParen  = []byte("(")
	cParen  = []byte(")")
	oBrack  = []byte("[")
	cBrack  = []byte("]")
	oBrace  = []byte("{")
	cBrace  = []byte("}")
)

// Ident is an identifier (a name, or a keyword such as null).
func Ident(name string) hclwrite.Tokens {
	return hclwrite.Tokens{tok(hclsyntax.TokenIdent, []byte(name))}
}

// Traversal is root.attr.attr...: a reference such as module.x.arn. Its
// names are the emitters' and the catalog's, few: their tokens are shared
// (names).
func Traversal(root string, attrs ...string) hclwrite.Tokens {
	out := make(hclwrite.Tokens, 0, 1+2*len(attrs))
	out = append(out, name(root))
	for _, a := range attrs {
		out = append(out, dotTok, name(a))
	}
	return out
}

// Call is name(args...).
func Call(name string, args ...hclwrite.Tokens) hclwrite.Tokens {
	out := hclwrite.Tokens{tok(hclsyntax.TokenIdent, []byte(name)), tok(hclsyntax.TokenOParen, oParen)}
	for i, a := range args {
		if i > 0 {
			out = append(out, tok(hclsyntax.TokenComma, comma))
		}
		out = append(out, a...)
	}
	return append(out, tok(hclsyntax.TokenCParen, cParen))
}

// Tuple is [elems...] on one line.
func Tuple(elems ...hclwrite.Tokens) hclwrite.Tokens {
	out := hclwrite.Tokens{tok(hclsyntax.TokenOBrack, oBrack)}
	for i, e := range elems {
		if i > 0 {
			out = append(out, tok(hclsyntax.TokenComma, comma))
		}
		out = append(out, e...)
	}
	return append(out, tok(hclsyntax.TokenCBrack, cBrack))
}

// Object is { name = value ... }, an attribute per line.
func Object(attrs []hclwrite.ObjectAttrTokens) hclwrite.Tokens {
	out := hclwrite.Tokens{tok(hclsyntax.TokenOBrace, oBrace)}
	if len(attrs) > 0 {
		out = append(out, tok(hclsyntax.TokenNewline, newline))
	}
	for _, a := range attrs {
		out = append(out, a.Name...)
		out = append(out, tok(hclsyntax.TokenEqual, equal))
		out = append(out, a.Value...)
		out = append(out, tok(hclsyntax.TokenNewline, newline))
	}
	return append(out, tok(hclsyntax.TokenCBrace, cBrace))
}

// Key is an object key: the name as an identifier when it is one, else
// quoted, as hclwrite writes the keys of a map value.
func Key(name string) hclwrite.Tokens {
	if ValidIdentifier(name) {
		return Ident(name)
	}
	return String(name)
}

// String is a quoted string literal.
func String(s string) hclwrite.Tokens {
	if s == "" || !plain(s) {
		return appendValue(nil, nil, cty.StringVal(s))
	}
	toks := [3]hclwrite.Token{
		{Type: hclsyntax.TokenOQuote, Bytes: quote},
		{Type: hclsyntax.TokenQuotedLit, Bytes: []byte(s)},
		{Type: hclsyntax.TokenCQuote, Bytes: quote},
	}
	return hclwrite.Tokens{&toks[0], &toks[1], &toks[2]}
}

// Value is the literal of a known value, as hclwrite.TokensForValue.
func Value(v cty.Value) hclwrite.Tokens {
	return appendValue(nil, nil, v)
}

// appendValue appends v's tokens to out, made in a (the heap when a is
// nil).
func appendValue(a *arena, out hclwrite.Tokens, v cty.Value) hclwrite.Tokens {
	ty := v.Type()
	switch {
	case !v.IsKnown() || v.IsNull() || ty == cty.Bool || ty == cty.Number:
		return append(out, hclwrite.TokensForValue(v)...) // one token (or a panic)
	case ty == cty.String:
		s := v.AsString()
		if !plain(s) { // escapes: hclwrite's rules
			return append(out, hclwrite.TokensForValue(v)...)
		}
		out = append(out, a.token(hclsyntax.TokenOQuote, quote))
		if s != "" {
			out = append(out, a.token(hclsyntax.TokenQuotedLit, a.bytes(s)))
		}
		return append(out, a.token(hclsyntax.TokenCQuote, quote))
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		out = append(out, a.token(hclsyntax.TokenOBrack, oBrack))
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			if i > 0 {
				out = append(out, a.token(hclsyntax.TokenComma, comma))
			}
			_, e := it.Element()
			out = appendValue(a, out, e)
		}
		return append(out, a.token(hclsyntax.TokenCBrack, cBrack))
	case ty.IsMapType() || ty.IsObjectType():
		out = append(out, a.token(hclsyntax.TokenOBrace, oBrace))
		if v.LengthInt() > 0 {
			out = append(out, a.token(hclsyntax.TokenNewline, newline))
		}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out = append(out, a.key(k.AsString())...)
			out = append(out, a.token(hclsyntax.TokenEqual, equal))
			out = appendValue(a, out, e)
			out = append(out, a.token(hclsyntax.TokenNewline, newline))
		}
		return append(out, a.token(hclsyntax.TokenCBrace, cBrace))
	default:
		return append(out, hclwrite.TokensForValue(v)...) // panics as hclwrite does
	}
}

// plain reports whether s is printable ASCII that hclwrite writes
// between quotes as it is: no quote, backslash, or $ and % (which escape
// a following {).
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '$' || c == '%' {
			return false
		}
	}
	return true
}

// ValidIdentifier is hclsyntax.ValidIdentifier, which runs the scanner,
// with a fast path for ASCII: a letter or _, then letters, digits, _ and -.
func ValidIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80:
			return hclsyntax.ValidIdentifier(s)
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case i > 0 && (c >= '0' && c <= '9' || c == '-'):
		default:
			return false
		}
	}
	return true
}
