package hclfmt

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// LexExpression is the tokens of an expression's source, as hclwrite
// holds them after parsing it (with SpacesBefore from the source), without
// parsing: the source is known to be an expression. Diagnostics are
// lexical errors only.
func LexExpression(src []byte) (hclwrite.Tokens, hcl.Diagnostics) {
	// A heredoc's closing marker is one only before a newline; the copy
	// also keeps the tokens from sharing the caller's array.
	lined := slices.Concat(src, []byte{'\n'})
	native, diags := hclsyntax.LexExpression(lined, "", hcl.Pos{Byte: 0, Line: 1, Column: 1})
	if n := len(native); n > 0 && native[n-1].Type == hclsyntax.TokenEOF {
		native = native[:n-1]
	}
	if n := len(native); n > 0 && native[n-1].Type == hclsyntax.TokenNewline && native[n-1].Range.Start.Byte == len(src) {
		native = native[:n-1]
	}
	return writerTokens(native), diags
}

// writerTokens converts tokens as hclwrite does (hclwrite/parser.go), in
// one allocation: SpacesBefore is the gap to the previous token. Unlike
// hclwrite's, the tokens' Bytes share the lexed array.
func writerTokens(native hclsyntax.Tokens) hclwrite.Tokens {
	buf := make([]hclwrite.Token, len(native))
	out := make(hclwrite.Tokens, len(native))
	last := 0
	for i, t := range native {
		buf[i] = hclwrite.Token{Type: t.Type, Bytes: t.Bytes, SpacesBefore: t.Range.Start.Byte - last}
		last = t.Range.End.Byte
		out[i] = &buf[i]
	}
	return out
}
