package hclfmt

import (
	"sync"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// An arena allocates a body's expression tokens, token slices and token
// text in chunks, which go back to pools once the body is formatted: the
// tokens of a test file are garbage then, and there are a thousand files
// of thousands of tokens (made one allocation each, they were most of
// the generator's garbage). Nothing made in an arena may outlive its body
// (Body.Wrap): not in a cache, not in a File.
type arena struct {
	toks []hclwrite.Token  // the free part of the current chunk
	ptrs []*hclwrite.Token // idem
	text []byte            // the current chunk, used up to len
	used []*arenaChunk     // every chunk taken, to give back
}

const (
	tokChunk  = 512  // tokens
	ptrChunk  = 2048 // token pointers
	textChunk = 8192 // bytes
)

type chunkKind int

const (
	tokKind chunkKind = iota
	ptrKind
	textKind
	numChunkKinds
)

// arenaChunk is a chunk of one kind.
type arenaChunk struct {
	kind chunkKind
	toks *[tokChunk]hclwrite.Token
	ptrs *[ptrChunk]*hclwrite.Token
	text *[textChunk]byte
}

var chunks = [numChunkKinds]sync.Pool{
	tokKind:  {New: func() any { return &arenaChunk{kind: tokKind, toks: new([tokChunk]hclwrite.Token)} }},
	ptrKind:  {New: func() any { return &arenaChunk{kind: ptrKind, ptrs: new([ptrChunk]*hclwrite.Token)} }},
	textKind: {New: func() any { return &arenaChunk{kind: textKind, text: new([textChunk]byte)} }},
}

func (a *arena) take(k chunkKind) *arenaChunk {
	c := chunks[k].Get().(*arenaChunk)
	a.used = append(a.used, c)
	return c
}

// token is a token of the given type and text; a nil arena makes it on
// the heap.
func (a *arena) token(t hclsyntax.TokenType, text []byte) *hclwrite.Token {
	if a == nil {
		return tok(t, text)
	}
	if len(a.toks) == 0 {
		a.toks = a.take(tokKind).toks[:]
	}
	tk := &a.toks[0]
	a.toks = a.toks[1:]
	tk.Type, tk.Bytes = t, text
	return tk
}

// slice is an empty slice of capacity n. Appending more than n moves it
// to the heap, as append does.
func (a *arena) slice(n int) hclwrite.Tokens {
	if n > ptrChunk/8 {
		return make(hclwrite.Tokens, 0, n)
	}
	if len(a.ptrs) < n {
		a.ptrs = a.take(ptrKind).ptrs[:]
	}
	s := a.ptrs[:0:n]
	a.ptrs = a.ptrs[n:]
	return s
}

// bytes is a copy of s.
func (a *arena) bytes(s string) []byte { return arenaCopy(a, s) }

// copy is a copy of text.
func (a *arena) copy(text []byte) []byte { return arenaCopy(a, text) }

func arenaCopy[T string | []byte](a *arena, s T) []byte {
	if a == nil || len(s) > textChunk/8 {
		return []byte(s)
	}
	if cap(a.text)-len(a.text) < len(s) {
		a.text = a.take(textKind).text[:0]
	}
	start := len(a.text)
	a.text = append(a.text, s...)
	return a.text[start:len(a.text):len(a.text)]
}

// key is Key(name).
func (a *arena) key(name string) hclwrite.Tokens {
	if a == nil {
		return Key(name)
	}
	if ValidIdentifier(name) {
		return append(a.slice(1), a.token(hclsyntax.TokenIdent, a.bytes(name)))
	}
	if name == "" || !plain(name) {
		return String(name)
	}
	return append(a.slice(3), oQuoteTok, a.token(hclsyntax.TokenQuotedLit, a.bytes(name)), cQuoteTok)
}

// release gives every chunk back, without the references it holds.
func (a *arena) release() {
	for _, c := range a.used {
		// The current chunks are used up to their free part.
		switch c.kind {
		case tokKind:
			n := tokChunk
			if len(a.toks) > 0 && &c.toks[tokChunk-1] == &a.toks[len(a.toks)-1] {
				n -= len(a.toks)
			}
			clear(c.toks[:n])
		case ptrKind:
			n := ptrChunk
			if len(a.ptrs) > 0 && &c.ptrs[ptrChunk-1] == &a.ptrs[len(a.ptrs)-1] {
				n -= len(a.ptrs)
			}
			clear(c.ptrs[:n])
		}
		chunks[c.kind].Put(c)
	}
	clear(a.used)
	*a = arena{used: a.used[:0]}
}
