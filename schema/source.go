package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Bounds of the input. A real spec is a few kilobytes and nests a handful
// of levels; these are far above that and far below what exhausts time,
// memory or the parser's stack.
const (
	MaxSpecBytes     = 2 << 20
	MaxTemplateBytes = 1 << 20
	// MaxValueBytes bounds one string, number or name: no IAM value comes
	// near it (a role's inline policies together are 10,240 characters).
	MaxValueBytes = 16 << 10
	// MaxNesting bounds brackets, braces, parentheses, templates and
	// operators nested in one another (hcl's parser and evaluator recurse
	// once per level).
	MaxNesting = 64
)

// ReadFile reads a spec or template file, refusing anything but a regular
// file of at most limit bytes: a device, FIFO or directory (also behind a
// symlink) would never end or is no source.
func ReadFile(path string, limit int64) ([]byte, error) {
	return readRegular(path, os.Stat, func(p string) (fs.File, error) { return os.Open(p) }, limit)
}

// ReadFS is ReadFile for a file of fsys.
func ReadFS(fsys fs.FS, name string, limit int64) ([]byte, error) {
	return readRegular(name, func(n string) (fs.FileInfo, error) { return fs.Stat(fsys, n) }, fsys.Open, limit)
}

func readRegular(name string, stat func(string) (fs.FileInfo, error), open func(string) (fs.File, error), limit int64) ([]byte, error) {
	info, err := stat(name)
	if err != nil {
		return nil, err
	}
	if err := regular(name, info, limit); err != nil {
		return nil, err
	}
	f, err := open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file may have been replaced between the two looks.
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := regular(name, info, limit); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(b)) > limit {
		err = tooLarge(name, limit)
	}
	return b, err
}

func regular(name string, info fs.FileInfo, limit int64) error {
	switch {
	case info.IsDir():
		return fmt.Errorf("%s is a directory, not a file", name)
	case !info.Mode().IsRegular():
		return fmt.Errorf("%s is %s, not a regular file; it is not read", name, fileKind(info.Mode()))
	case info.Size() > limit:
		return tooLarge(name, limit)
	}
	return nil
}

// fileKind names what a file that is not regular is.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}

func tooLarge(name string, limit int64) error {
	return fmt.Errorf("%s is larger than %d bytes, far more than any spec or template needs", name, limit)
}

// CheckSource refuses source that would take the parser too deep or that
// holds a value too long to be real, before the parser sees it. Its
// diagnostics point into the source, which is not given to the parser,
// so that a diagnostic never prints a megabyte-long line.
func CheckSource(filename string, src []byte, isJSON bool, limit int) hcl.Diagnostics {
	if len(src) > limit {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "File too large",
			Detail:  fmt.Sprintf("%s has %d bytes; at most %d are read. A spec is a few kilobytes: check that this is the file you meant.", filename, len(src), limit),
			Subject: &hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}}}
	}
	var s scan
	if isJSON {
		s.json(filename, src)
	} else {
		toks, _ := hclsyntax.LexConfig(src, filename, hcl.InitialPos) // lexing errors are the parser's to report
		s.tokens(toks)
	}
	return s.diags
}

// scan follows the nesting of a source's tokens.
type scan struct {
	frames []frame
	depth  int // len(frames) plus every frame's chain
	diags  hcl.Diagnostics
}

// frame is one open bracket, brace, parenthesis, quote or template
// sequence; chain counts the operators, index brackets and template
// directives since the frame's last separator, which the parser and the
// evaluator nest as deeply as brackets.
type frame struct {
	open  hclsyntax.Token
	chain int
}

func (s *scan) fail(rng hcl.Range, summary, detail string) {
	rng.End = rng.Start // the token itself may be megabytes long
	s.diags = append(s.diags, errorAt(rng, summary, detail))
}

func (s *scan) tooDeep(rng hcl.Range) bool {
	if s.depth <= MaxNesting {
		return false
	}
	s.fail(rng, "Nesting too deep",
		fmt.Sprintf("The expression here nests more than %d levels of brackets, braces, quotes or operators; a spec needs a handful. Write the value out flat.", MaxNesting))
	return true
}

func (s *scan) valueTooLong(rng hcl.Range, n int) bool {
	if n <= MaxValueBytes {
		return false
	}
	s.fail(rng, "Value too long",
		fmt.Sprintf("The value starting here has %d bytes; at most %d are allowed, more than IAM stores in any name, ARN or policy. Check that the value is what you meant.", n, MaxValueBytes))
	return true
}

func (s *scan) top() *frame {
	if len(s.frames) == 0 {
		return nil
	}
	return &s.frames[len(s.frames)-1]
}

func (s *scan) chain(n int) {
	if f := s.top(); f != nil {
		f.chain += n
	} else {
		// The body itself: its chain lives in a frame of its own.
		s.frames = append(s.frames, frame{open: hclsyntax.Token{Type: hclsyntax.TokenNil}, chain: n})
		s.depth++
	}
	s.depth += n
}

func (s *scan) reset() {
	if f := s.top(); f != nil {
		s.depth -= f.chain
		f.chain = 0
	}
}

// tokens scans native syntax. It stops at the first problem.
func (s *scan) tokens(toks hclsyntax.Tokens) {
	for i, t := range toks {
		switch t.Type {
		case hclsyntax.TokenOBrack:
			if i > 0 && operand(toks[i-1].Type) {
				s.chain(1) // a[b][c]… nests like operators
			}
			s.push(t)
		case hclsyntax.TokenOParen, hclsyntax.TokenOBrace, hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			s.push(t)
		case hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			s.push(t)
		case hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCBrace, hclsyntax.TokenTemplateSeqEnd:
			s.pop(t)
		case hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			if f := s.top(); f != nil && s.valueTooLong(f.open.Range, t.Range.End.Byte-f.open.Range.Start.Byte) {
				return
			}
			s.pop(t)
		case hclsyntax.TokenIdent:
			if i > 0 && toks[i-1].Type == hclsyntax.TokenTemplateControl && len(s.frames) >= 2 {
				// %{if}…%{endif} and %{for}…%{endfor} nest in the
				// template around them.
				outer := &s.frames[len(s.frames)-2]
				switch string(t.Bytes) {
				case "if", "for":
					outer.chain++
					s.depth++
				case "endif", "endfor":
					if outer.chain > 0 {
						outer.chain--
						s.depth--
					}
				}
			}
			if s.valueTooLong(t.Range, len(t.Bytes)) {
				return
			}
		case hclsyntax.TokenNumberLit, hclsyntax.TokenQuotedLit, hclsyntax.TokenStringLit:
			if s.valueTooLong(t.Range, len(t.Bytes)) {
				return
			}
		case hclsyntax.TokenComma:
			s.reset()
		case hclsyntax.TokenNewline:
			if f := s.top(); f == nil || f.open.Type == hclsyntax.TokenOBrace || f.open.Type == hclsyntax.TokenNil {
				s.reset() // a newline ends an attribute or object item
			}
		case hclsyntax.TokenPlus, hclsyntax.TokenMinus, hclsyntax.TokenStar, hclsyntax.TokenSlash, hclsyntax.TokenPercent,
			hclsyntax.TokenAnd, hclsyntax.TokenOr, hclsyntax.TokenBang, hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual,
			hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq, hclsyntax.TokenGreaterThan, hclsyntax.TokenGreaterThanEq,
			hclsyntax.TokenQuestion:
			s.chain(1)
		}
		if s.tooDeep(t.Range) {
			return
		}
	}
}

// operand reports whether a token can end an operand, so that a bracket
// after it is an index rather than a list.
func operand(t hclsyntax.TokenType) bool {
	switch t {
	case hclsyntax.TokenIdent, hclsyntax.TokenNumberLit, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
		hclsyntax.TokenCBrace, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
		return true
	}
	return false
}

func (s *scan) push(t hclsyntax.Token) {
	s.frames = append(s.frames, frame{open: t})
	s.depth++
}

// closers are the tokens that close each opening token.
var closers = map[hclsyntax.TokenType]hclsyntax.TokenType{
	hclsyntax.TokenOBrack:          hclsyntax.TokenCBrack,
	hclsyntax.TokenOParen:          hclsyntax.TokenCParen,
	hclsyntax.TokenOBrace:          hclsyntax.TokenCBrace,
	hclsyntax.TokenTemplateInterp:  hclsyntax.TokenTemplateSeqEnd,
	hclsyntax.TokenTemplateControl: hclsyntax.TokenTemplateSeqEnd,
	hclsyntax.TokenOQuote:          hclsyntax.TokenCQuote,
	hclsyntax.TokenOHeredoc:        hclsyntax.TokenCHeredoc,
}

// pop closes the innermost frame when t closes it. A stray closer closes
// nothing, so unbalanced source cannot hide depth; it is the parser's to
// report.
func (s *scan) pop(t hclsyntax.Token) {
	if f := s.top(); f != nil && closers[f.open.Type] == t.Type {
		s.depth -= 1 + f.chain
		s.frames = s.frames[:len(s.frames)-1]
	}
}

// json scans HCL's JSON form: the nesting of arrays and objects, the
// length of strings, and the templates inside strings.
func (s *scan) json(filename string, src []byte) {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	depth := 0
	for {
		start := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return // io.EOF, or a syntax error for the parser to report
		}
		// The token starts after the white space and separators that
		// follow the previous one.
		start += len(src[start:]) - len(bytes.TrimLeft(src[start:], " \t\r\n:,"))
		rng := hcl.Range{Filename: filename, Start: posAt(src, start)}
		switch tok := tok.(type) {
		case json.Delim:
			if tok == '[' || tok == '{' {
				depth++
			} else {
				depth--
			}
			s.depth = depth
			if s.tooDeep(rng) {
				return
			}
		case json.Number:
			if s.valueTooLong(rng, len(tok)) {
				return
			}
		case string:
			if s.valueTooLong(rng, len(tok)) {
				return
			}
			if strings.Contains(tok, "${") || strings.Contains(tok, "%{") {
				inner := scan{depth: depth}
				toks, _ := hclsyntax.LexTemplate([]byte(tok), filename, rng.Start)
				inner.tokens(toks)
				if len(inner.diags) > 0 {
					s.diags = inner.diags
					return
				}
			}
		}
	}
}
