package hclfmt

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// Body writes a file's body as tokens, in order: the tokens hclwrite's
// Body.AppendNewBlock, SetAttributeRaw, AppendNewline and
// AppendUnstructuredTokens make, without hclwrite's syntax tree (a node,
// a node list and an identifier per attribute and block, most of the
// emitters' time). Blocks are written in order: Block opens one, End
// closes it. TestBodyMatchesHCLWrite holds it to hclwrite.
//
// Its token slice and the arena of its expressions (Make, String, ...)
// are recycled once Bytes or Wrap has formatted it. The zero Body is
// empty and ready to use; one Body is one goroutine's.
type Body struct {
	toks  hclwrite.Tokens
	depth int // blocks open
	arena arena
}

// Shared tokens of the body's own syntax; no one modifies tokens.
var (
	oBraceTok  = tok(hclsyntax.TokenOBrace, oBrace)
	cBraceTok  = tok(hclsyntax.TokenCBrace, cBrace)
	newlineTok = tok(hclsyntax.TokenNewline, newline)
	equalTok   = tok(hclsyntax.TokenEqual, equal)
	dotTok     = tok(hclsyntax.TokenDot, dot)
	oQuoteTok  = tok(hclsyntax.TokenOQuote, quote)
	cQuoteTok  = tok(hclsyntax.TokenCQuote, quote)
)

// names caches the identifier tokens of block types, attribute names and
// traversals: the emitters' own words, the catalog's variable names and
// the modules' names, a few hundred used thousands of times.
var names sync.Map // string → *hclwrite.Token, never modified

func name(s string) *hclwrite.Token {
	if t, ok := names.Load(s); ok {
		return t.(*hclwrite.Token)
	}
	t, _ := names.LoadOrStore(s, tok(hclsyntax.TokenIdent, []byte(s)))
	return t.(*hclwrite.Token)
}

// tokenSlices recycles bodies' token slices: a file's tokens are garbage
// once it is formatted, and a generator formats thousands of files of a
// few thousand tokens.
var tokenSlices = sync.Pool{New: func() any { return new(hclwrite.Tokens) }}

// grab takes the body's slice from the pool on its first token.
func (b *Body) grab() {
	if b.toks == nil {
		b.toks = *tokenSlices.Get().(*hclwrite.Tokens)
	}
}

// release returns the body's slice to the pool, without the tokens, and
// empties the body.
func (b *Body) release() {
	if cap(b.toks) == 0 {
		return
	}
	clear(b.toks)
	toks := b.toks[:0]
	b.toks = nil
	tokenSlices.Put(&toks)
}

// Block opens a block: type "label" ... {. Its content follows, up to End.
func (b *Body) Block(typeName string, labels ...string) {
	b.grab()
	b.toks = append(b.toks, name(typeName))
	for _, l := range labels {
		b.toks = append(b.toks, b.String(l)...)
	}
	b.toks = append(b.toks, oBraceTok, newlineTok)
	b.depth++
}

// End closes the innermost open block.
func (b *Body) End() {
	if b.depth == 0 {
		panic("hclfmt: End without an open block")
	}
	b.depth--
	b.toks = append(b.toks, cBraceTok, newlineTok)
}

// Attr writes name = value.
func (b *Body) Attr(attr string, value hclwrite.Tokens) {
	b.grab()
	b.toks = append(b.toks, name(attr), equalTok)
	b.toks = append(b.toks, value...)
	b.toks = append(b.toks, newlineTok)
}

// AttrValue writes name = the literal of v (Value), its tokens made in
// the body's arena.
func (b *Body) AttrValue(attr string, v cty.Value) {
	b.grab()
	b.toks = append(b.toks, name(attr), equalTok)
	b.toks = appendValue(&b.arena, b.toks, v)
	b.toks = append(b.toks, newlineTok)
}

// Newline writes an empty line (a newline after the last item).
func (b *Body) Newline() {
	b.grab()
	b.toks = append(b.toks, newlineTok)
}

// Append writes tokens as they are: comments, or a body written by
// hclwrite.
func (b *Body) Append(toks hclwrite.Tokens) {
	b.grab()
	b.toks = append(b.toks, toks...)
}

// Tokens are the tokens written; every block must be closed. They are
// the body's until Bytes or Wrap.
func (b *Body) Tokens() hclwrite.Tokens {
	if b.depth != 0 {
		panic(fmt.Sprintf("hclfmt: %d blocks left open", b.depth))
	}
	return b.toks
}

// Bytes is the body's text, formatted (Format). It empties the body.
func (b *Body) Bytes() []byte {
	return b.Wrap(bytes.Clone)
}

// Wrap calls wrap with the body's text, formatted, and returns what wrap
// returns; the text is valid only during the call (wrap copies it, with a
// header). It empties the body.
func (b *Body) Wrap(wrap func(text []byte) []byte) []byte {
	toks := b.Tokens()
	fm := formatters.Get().(*formatter)
	defer fm.release()
	fm.out = fm.appendFormat(fm.out[:0], toks)
	out := wrap(fm.out)
	b.release()
	b.arena.release()
	return out
}

// The methods below make expression tokens in the body's arena: they are
// the body's, valid until Bytes or Wrap, and may only be written into it.

// Make is an empty slice of tokens of capacity n.
func (b *Body) Make(n int) hclwrite.Tokens {
	return b.arena.slice(n)
}

// Token is a token of the given type and text.
func (b *Body) Token(t hclsyntax.TokenType, text string) *hclwrite.Token {
	return b.arena.token(t, b.arena.bytes(text))
}

// TokenBytes is a token of the given type and a copy of text.
func (b *Body) TokenBytes(t hclsyntax.TokenType, text []byte) *hclwrite.Token {
	return b.arena.token(t, b.arena.copy(text))
}

// String is String(s).
func (b *Body) String(s string) hclwrite.Tokens {
	if s == "" || !plain(s) {
		return String(s)
	}
	return append(b.Make(3), oQuoteTok, b.Token(hclsyntax.TokenQuotedLit, s), cQuoteTok)
}

// Literal is the tokens of s inside a quoted template: String(s) without
// its quotes.
func (b *Body) Literal(s string) hclwrite.Tokens {
	if s == "" || !plain(s) {
		lit := String(s)
		return lit[1 : len(lit)-1]
	}
	return append(b.Make(1), b.Token(hclsyntax.TokenQuotedLit, s))
}

// Key is Key(name).
func (b *Body) Key(name string) hclwrite.Tokens {
	return b.arena.key(name)
}
