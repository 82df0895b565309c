package hclfmt

import (
	"slices"
	"sync"

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

// SharedExpression is LexExpression of src, lexed once per process: the
// emitters write the same constant expressions, shapes and template
// expressions again and again. Its tokens are shared, so no one may
// modify them (hclfmt formats without writing tokens). Only sources that
// lex without errors are kept; the cache grows by the distinct
// expressions a process has seen.
func SharedExpression(src string) (hclwrite.Tokens, hcl.Diagnostics) {
	if toks, ok := lexed.Load(src); ok {
		return toks.(hclwrite.Tokens), nil
	}
	toks, diags := LexExpression([]byte(src))
	if diags.HasErrors() {
		return nil, diags
	}
	lexed.Store(src, toks)
	return toks, diags
}

var lexed sync.Map // source → hclwrite.Tokens, never modified

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
