// Copyright IBM Corp. 2014, 2025
// SPDX-License-Identifier: MPL-2.0
//
// This file is a port of hclwrite/format.go of github.com/hashicorp/hcl/v2
// v2.25.0, under the Mozilla Public License 2.0
// (https://mozilla.org/MPL/2.0/). Changes by lakerunner-iam: the passes
// compute each token's spaces in a slice instead of setting SpacesBefore
// on the tokens, so that tokens shared between files or goroutines are
// never written; and the width of a token of ASCII bytes is its length,
// without a grapheme scanner.

package hclfmt

import (
	"slices"
	"sync"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Format is the tokens' text with the spaces before each token set as
// hclwrite's formatter sets them: indentation by nesting, one space or
// none between tokens, and the `=` of consecutive one-line attributes and
// trailing comments aligned. The tokens' own SpacesBefore only count
// where the formatter keeps them (a token after EOF).
func Format(tokens hclwrite.Tokens) []byte {
	fm := formatters.Get().(*formatter)
	defer fm.release()
	return fm.format(tokens)
}

// formatter holds one formatting's scratch space, reused through
// formatters: a generator formats thousands of files.
type formatter struct {
	tokens hclwrite.Tokens
	spaces []int // spaces before each token
	cols   []int // a width per line
	lines  []line
	out    []byte // Body.Wrap's text
}

var formatters = sync.Pool{New: func() any { return new(formatter) }}

// release returns f to the pool without the tokens, which the garbage
// collector may then free.
func (f *formatter) release() {
	f.tokens = nil
	formatters.Put(f)
}

func (f *formatter) format(tokens hclwrite.Tokens) []byte {
	return f.appendFormat(nil, tokens)
}

// appendFormat appends the formatted text of the tokens to dst.
func (f *formatter) appendFormat(dst []byte, tokens hclwrite.Tokens) []byte {
	f.tokens = tokens
	f.spaces = slices.Grow(f.spaces[:0], len(tokens))[:len(tokens)]
	size := 0
	for i, t := range tokens {
		f.spaces[i] = t.SpacesBefore
		size += len(t.Bytes)
	}
	lines := f.split()
	f.indent(lines)
	f.spaceOut(lines)
	f.align(lines)

	for _, n := range f.spaces {
		size += n
	}
	dst = slices.Grow(dst, size)
	for i, t := range tokens {
		for range f.spaces[i] {
			dst = append(dst, ' ')
		}
		dst = append(dst, t.Bytes...)
	}
	return dst
}

// span is the tokens [start, end); a cell of a line.
type span struct{ start, end int }

func (s span) empty() bool { return s.end <= s.start }

// line is a line split into cells, as hclwrite's formatLine: lead is
// everything up to assign (from an attribute's `=`) or comment (a
// trailing comment); the first tokens of assign and comment are aligned
// across consecutive lines.
type line struct {
	lead, assign, comment span
}

// split splits the tokens into lines and cells, as hclwrite's
// linesForFormat.
func (f *formatter) split() []line {
	tokens := f.tokens
	if len(tokens) == 0 {
		return nil
	}
	count := 1 // if there are zero newlines then there is one line
	for _, tok := range tokens {
		if isNewline(tok) {
			count++
		}
	}

	// Everything in lead first; assign and comment are split off below.
	f.lines = slices.Grow(f.lines[:0], count)[:count]
	clear(f.lines)
	lines := f.lines
	li, lineStart := 0, 0
	for i, tok := range tokens {
		if tok.Type == hclsyntax.TokenEOF {
			// EOF belongs to no line and ends the sequence.
			lines[li].lead = span{lineStart, i}
			break
		}
		if isNewline(tok) {
			lines[li].lead = span{lineStart, i + 1}
			lineStart = i + 1
			li++
		}
	}
	// Tokens that end without EOF (or with tokens after it) leave a line
	// pending.
	if lineStart < len(tokens) {
		lines[li].lead = span{lineStart, len(tokens)}
		if tokens[len(tokens)-1].Type == hclsyntax.TokenEOF {
			lines[li].lead.end--
		}
	}

	for i := range lines {
		l := &lines[i]
		if l.lead.empty() {
			continue // only the last line can be empty
		}
		if l.lead.end-l.lead.start > 1 && tokens[l.lead.end-1].Type == hclsyntax.TokenComment {
			l.comment = span{l.lead.end - 1, l.lead.end}
			l.lead.end--
		}
		for j := l.lead.start + 1; j < l.lead.end; j++ {
			if tokens[j].Type != hclsyntax.TokenEqual {
				continue
			}
			// The rest is the attribute's value only when its brackets
			// balance: a net opener starts a multi-line expression.
			net := 0
			for k := j; k < l.lead.end; k++ {
				net += bracketChange(tokens[k])
			}
			if net == 0 {
				l.assign = span{j, l.lead.end}
				l.lead.end = j
			}
			break
		}
	}
	return lines
}

// indent sets the indentation of each line: two spaces per level of
// brackets opened on earlier lines and not yet closed.
func (f *formatter) indent(lines []line) {
	indents := make([]int, 0, 10)
	for _, l := range lines {
		if l.lead.empty() {
			continue
		}
		first := l.lead.start
		if f.tokens[first].Type == hclsyntax.TokenNewline {
			f.spaces[first] = 0 // never spaces before a newline
			continue
		}

		net := 0
		for _, tok := range f.tokens[l.lead.start:l.lead.end] {
			net += bracketChange(tok)
			if tok.Type == hclsyntax.TokenOHeredoc {
				break
			}
		}
		for _, tok := range f.tokens[l.assign.start:l.assign.end] {
			net += bracketChange(tok)
		}

		switch {
		case net > 0:
			f.spaces[first] = 2 * len(indents)
			indents = append(indents, net)
		case net < 0:
			closed := -net
			for closed > 0 && len(indents) > 0 {
				switch top := indents[len(indents)-1]; {
				case closed > top:
					closed -= top
					indents = indents[:len(indents)-1]
				case closed < top:
					indents[len(indents)-1] -= closed
					closed = 0
				default:
					indents = indents[:len(indents)-1]
					closed = 0
				}
			}
			f.spaces[first] = 2 * len(indents)
		default:
			f.spaces[first] = 2 * len(indents)
		}
	}
}

// nilToken stands for "no token before" at the start of a cell.
var nilToken = &hclwrite.Token{Type: hclsyntax.TokenNil, Bytes: []byte{}}

// spaceOut sets the spaces between the tokens within each cell.
func (f *formatter) spaceOut(lines []line) {
	for _, l := range lines {
		f.spaceCell(l.lead)
		if !l.assign.empty() {
			// One space between the equals sign and what precedes it.
			f.spaces[l.assign.start] = 1
			f.spaceCell(l.assign)
		}
	}
}

func (f *formatter) spaceCell(c span) {
	for i := c.start; i < c.end-1; i++ {
		before := nilToken
		if i > c.start {
			before = f.tokens[i-1]
		}
		if spaceAfterToken(f.tokens[i], before, f.tokens[i+1]) {
			f.spaces[i+1] = 1
		} else {
			f.spaces[i+1] = 0
		}
	}
}

// align lines up the `=` of consecutive lines with an assign cell, then
// the comments of consecutive lines with a trailing comment.
func (f *formatter) align(lines []line) {
	// Assign cells first: moving them moves the comments too.
	f.cols = slices.Grow(f.cols[:0], len(lines))[:len(lines)]
	leadCols := f.cols
	chainStart, maxCols := -1, 0
	closeAssignChain := func(i int) {
		for j := chainStart; j < i; j++ {
			f.spaces[lines[j].assign.start] = maxCols - leadCols[j] + 1
		}
		chainStart, maxCols = -1, 0
	}
	for i, l := range lines {
		if l.assign.empty() {
			if chainStart != -1 {
				closeAssignChain(i)
			}
			continue
		}
		if chainStart == -1 {
			chainStart = i
		}
		leadCols[i] = f.columns(l.lead)
		maxCols = max(maxCols, leadCols[i])
	}
	if chainStart != -1 {
		closeAssignChain(len(lines))
	}

	cols := leadCols // reused: lead and assign columns of lines with a comment
	closeCommentChain := func(i int) {
		for j := chainStart; j < i; j++ {
			f.spaces[lines[j].comment.start] = maxCols - cols[j] + 1
		}
		chainStart, maxCols = -1, 0
	}
	for i, l := range lines {
		if l.comment.empty() {
			if chainStart != -1 {
				closeCommentChain(i)
			}
			continue
		}
		if chainStart == -1 {
			chainStart = i
		}
		cols[i] = f.columns(l.lead) + f.columns(l.assign)
		maxCols = max(maxCols, cols[i])
	}
	if chainStart != -1 {
		closeCommentChain(len(lines))
	}
}

// columns is the width of a cell: its spaces and the grapheme clusters of
// its tokens, as hclwrite.Tokens.Columns counts them.
func (f *formatter) columns(c span) int {
	n := 0
	for i := c.start; i < c.end; i++ {
		n += f.spaces[i] + width(f.tokens[i].Bytes)
	}
	return n
}

// width is the number of grapheme clusters of b. In ASCII text without
// CR (which joins the LF after it) every byte is one cluster; anything
// else is counted by hclwrite itself.
func width(b []byte) int {
	for _, c := range b {
		if c >= 0x80 || c == '\r' {
			return hclwrite.Tokens{{Bytes: b}}.Columns()
		}
	}
	return len(b)
}

// spaceAfterToken decides whether a particular subject token should have a
// space after it when surrounded by the given before and after tokens.
// "before" can be TokenNil, if the subject token is at the start of a sequence.
func spaceAfterToken(subject, before, after *hclwrite.Token) bool {
	switch {

	case after.Type == hclsyntax.TokenNewline || after.Type == hclsyntax.TokenNil:
		// Never add spaces before a newline
		return false

	case subject.Type == hclsyntax.TokenIdent && after.Type == hclsyntax.TokenOParen:
		// Don't split a function name from open paren in a call
		return false

	case (subject.Type == hclsyntax.TokenIdent && after.Type == hclsyntax.TokenDoubleColon) ||
		(subject.Type == hclsyntax.TokenDoubleColon && after.Type == hclsyntax.TokenIdent):
		// Don't split namespace segments in a function call
		return false

	case subject.Type == hclsyntax.TokenDot || after.Type == hclsyntax.TokenDot:
		// Don't use spaces around attribute access dots
		return false

	case after.Type == hclsyntax.TokenComma || after.Type == hclsyntax.TokenEllipsis:
		// No space right before a comma or ... in an argument list
		return false

	case subject.Type == hclsyntax.TokenComma:
		// Always a space after a comma
		return true

	case subject.Type == hclsyntax.TokenQuotedLit || subject.Type == hclsyntax.TokenStringLit || subject.Type == hclsyntax.TokenOQuote || subject.Type == hclsyntax.TokenOHeredoc || after.Type == hclsyntax.TokenQuotedLit || after.Type == hclsyntax.TokenStringLit || after.Type == hclsyntax.TokenCQuote || after.Type == hclsyntax.TokenCHeredoc:
		// No extra spaces within templates
		return false

	case subject.Type == hclsyntax.TokenIdent && string(subject.Bytes) == "in" && before.Type == hclsyntax.TokenIdent:
		// This is a special case for inside for expressions where a user
		// might want to use a literal tuple constructor:
		// [for x in [foo]: x]
		// ... in that case, we would normally produce in[foo] thinking that
		// in is a reference, but we'll recognize it as a keyword here instead
		// to make the result less confusing.
		return true

	case after.Type == hclsyntax.TokenOBrack && (subject.Type == hclsyntax.TokenIdent || subject.Type == hclsyntax.TokenNumberLit || bracketChange(subject) < 0):
		return false

	case subject.Type == hclsyntax.TokenBang:
		// No space after a bang
		return false

	case subject.Type == hclsyntax.TokenMinus:
		// Since a minus can either be subtraction or negation, and the latter
		// should _not_ have a space after it, we need to use some heuristics
		// to decide which case this is.
		// We guess that we have a negation if the token before doesn't look
		// like it could be the end of an expression.

		switch before.Type {

		case hclsyntax.TokenNil:
			// Minus at the start of input must be a negation
			return false

		case hclsyntax.TokenOParen, hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenEqual, hclsyntax.TokenColon, hclsyntax.TokenComma, hclsyntax.TokenQuestion:
			// Minus immediately after an opening bracket or separator must be a negation.
			return false

		case hclsyntax.TokenPlus, hclsyntax.TokenStar, hclsyntax.TokenSlash, hclsyntax.TokenPercent, hclsyntax.TokenMinus:
			// Minus immediately after another arithmetic operator must be negation.
			return false

		case hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual, hclsyntax.TokenGreaterThan, hclsyntax.TokenGreaterThanEq, hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq:
			// Minus immediately after another comparison operator must be negation.
			return false

		case hclsyntax.TokenAnd, hclsyntax.TokenOr, hclsyntax.TokenBang:
			// Minus immediately after logical operator doesn't make sense but probably intended as negation.
			return false

		default:
			return true
		}

	case subject.Type == hclsyntax.TokenOBrace || after.Type == hclsyntax.TokenCBrace:
		// Unlike other bracket types, braces have spaces on both sides of them,
		// both in single-line nested blocks foo { bar = baz } and in object
		// constructor expressions foo = { bar = baz }.
		if subject.Type == hclsyntax.TokenOBrace && after.Type == hclsyntax.TokenCBrace {
			// An open brace followed by a close brace is an exception, however.
			// e.g. foo {} rather than foo { }
			return false
		}
		return true

	// In the unlikely event that an interpolation expression is just
	// a single object constructor, we'll put a space between the ${ and
	// the following { to make this more obvious, and then the same
	// thing for the two braces at the end.
	case (subject.Type == hclsyntax.TokenTemplateInterp || subject.Type == hclsyntax.TokenTemplateControl) && after.Type == hclsyntax.TokenOBrace:
		return true
	case subject.Type == hclsyntax.TokenCBrace && after.Type == hclsyntax.TokenTemplateSeqEnd:
		return true

	// Don't add spaces between interpolated items
	case subject.Type == hclsyntax.TokenTemplateSeqEnd && (after.Type == hclsyntax.TokenTemplateInterp || after.Type == hclsyntax.TokenTemplateControl):
		return false

	case bracketChange(subject) > 0:
		// No spaces after open brackets
		return false

	case bracketChange(after) < 0:
		// No spaces before close brackets
		return false

	default:
		// Most tokens are space-separated
		return true

	}
}

func isNewline(tok *hclwrite.Token) bool {
	switch tok.Type {
	case hclsyntax.TokenNewline:
		return true
	case hclsyntax.TokenComment:
		// Single line tokens (# and //) consume their terminating newline,
		// so we need to treat them as newline tokens as well.
		if len(tok.Bytes) > 0 && tok.Bytes[len(tok.Bytes)-1] == '\n' {
			return true
		}
	}
	return false
}

func bracketChange(tok *hclwrite.Token) int {
	switch tok.Type {
	case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenTemplateControl, hclsyntax.TokenTemplateInterp:
		return 1
	case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
		return -1
	default:
		return 0
	}
}
