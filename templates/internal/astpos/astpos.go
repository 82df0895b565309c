// Package astpos rebuilds the hcl.Ranges of a template from byte offsets,
// for the precompiled built-in catalog (templates/internal/builtinast): a range
// written as its two offsets is an eighth of its Go literal.
//
// Lines are counted at '\n' and columns in bytes, which is what hclsyntax
// counts for ASCII text; astgen writes a range whose line or column this
// rule gets wrong (non-ASCII text before it on its line) in full.
package astpos

import (
	"bytes"
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// Source is a file's name and the offsets its lines start at.
type Source struct {
	filename string
	starts   []int
}

// New indexes the lines of src.
func New(filename string, src []byte) *Source {
	s := &Source{filename: filename, starts: make([]int, 1, bytes.Count(src, []byte{'\n'})+1)}
	for i, c := range src {
		if c == '\n' {
			s.starts = append(s.starts, i+1)
		}
	}
	return s
}

// RangeFunc is Source.Range, as the generated functions take it.
type RangeFunc = func(start, end int) hcl.Range

// Range is the range of the file from byte start to byte end.
func (s *Source) Range(start, end int) hcl.Range {
	return hcl.Range{Filename: s.filename, Start: s.pos(start), End: s.pos(end)}
}

func (s *Source) pos(b int) hcl.Pos {
	line := sort.Search(len(s.starts), func(i int) bool { return s.starts[i] > b }) // first line after b
	return hcl.Pos{Line: line, Column: b - s.starts[line-1] + 1, Byte: b}
}
