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

func tok(t hclsyntax.TokenType, b string) *hclwrite.Token {
	return &hclwrite.Token{Type: t, Bytes: []byte(b)}
}

// Ident is an identifier (a name, or a keyword such as null).
func Ident(name string) hclwrite.Tokens {
	return hclwrite.Tokens{tok(hclsyntax.TokenIdent, name)}
}

// Traversal is root.attr.attr...: a reference such as module.x.arn.
func Traversal(root string, attrs ...string) hclwrite.Tokens {
	out := make(hclwrite.Tokens, 0, 1+2*len(attrs))
	out = append(out, tok(hclsyntax.TokenIdent, root))
	for _, a := range attrs {
		out = append(out, tok(hclsyntax.TokenDot, "."), tok(hclsyntax.TokenIdent, a))
	}
	return out
}

// Call is name(args...).
func Call(name string, args ...hclwrite.Tokens) hclwrite.Tokens {
	out := hclwrite.Tokens{tok(hclsyntax.TokenIdent, name), tok(hclsyntax.TokenOParen, "(")}
	for i, a := range args {
		if i > 0 {
			out = append(out, tok(hclsyntax.TokenComma, ","))
		}
		out = append(out, a...)
	}
	return append(out, tok(hclsyntax.TokenCParen, ")"))
}

// Tuple is [elems...] on one line.
func Tuple(elems ...hclwrite.Tokens) hclwrite.Tokens {
	out := hclwrite.Tokens{tok(hclsyntax.TokenOBrack, "[")}
	for i, e := range elems {
		if i > 0 {
			out = append(out, tok(hclsyntax.TokenComma, ","))
		}
		out = append(out, e...)
	}
	return append(out, tok(hclsyntax.TokenCBrack, "]"))
}

// Object is { name = value ... }, an attribute per line.
func Object(attrs []hclwrite.ObjectAttrTokens) hclwrite.Tokens {
	out := hclwrite.Tokens{tok(hclsyntax.TokenOBrace, "{")}
	if len(attrs) > 0 {
		out = append(out, tok(hclsyntax.TokenNewline, "\n"))
	}
	for _, a := range attrs {
		out = append(out, a.Name...)
		out = append(out, tok(hclsyntax.TokenEqual, "="))
		out = append(out, a.Value...)
		out = append(out, tok(hclsyntax.TokenNewline, "\n"))
	}
	return append(out, tok(hclsyntax.TokenCBrace, "}"))
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
	return appendValue(nil, cty.StringVal(s))
}

// Value is the literal of a known value, as hclwrite.TokensForValue.
func Value(v cty.Value) hclwrite.Tokens {
	return appendValue(nil, v)
}

func appendValue(out hclwrite.Tokens, v cty.Value) hclwrite.Tokens {
	ty := v.Type()
	switch {
	case !v.IsKnown() || v.IsNull() || ty == cty.Bool || ty == cty.Number:
		return append(out, hclwrite.TokensForValue(v)...) // one token (or a panic)
	case ty == cty.String:
		s := v.AsString()
		if !plain(s) { // escapes: hclwrite's rules
			return append(out, hclwrite.TokensForValue(v)...)
		}
		out = append(out, tok(hclsyntax.TokenOQuote, `"`))
		if s != "" {
			out = append(out, tok(hclsyntax.TokenQuotedLit, s))
		}
		return append(out, tok(hclsyntax.TokenCQuote, `"`))
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		out = append(out, tok(hclsyntax.TokenOBrack, "["))
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			if i > 0 {
				out = append(out, tok(hclsyntax.TokenComma, ","))
			}
			_, e := it.Element()
			out = appendValue(out, e)
		}
		return append(out, tok(hclsyntax.TokenCBrack, "]"))
	case ty.IsMapType() || ty.IsObjectType():
		out = append(out, tok(hclsyntax.TokenOBrace, "{"))
		if v.LengthInt() > 0 {
			out = append(out, tok(hclsyntax.TokenNewline, "\n"))
		}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out = append(out, Key(k.AsString())...)
			out = append(out, tok(hclsyntax.TokenEqual, "="))
			out = appendValue(out, e)
			out = append(out, tok(hclsyntax.TokenNewline, "\n"))
		}
		return append(out, tok(hclsyntax.TokenCBrace, "}"))
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
