package moddocs

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/internal/hclfmt"
)

// doc accumulates a Markdown document.
type doc struct{ bytes.Buffer }

func (d *doc) line(format string, args ...any) {
	fmt.Fprintf(d, format, args...)
	d.WriteByte('\n')
}

func (d *doc) blank() { d.WriteByte('\n') }

// paragraph ends the previous block and writes one paragraph.
func (d *doc) paragraph(text string) {
	d.WriteString(text)
	d.WriteString("\n\n")
}

// table writes a GitHub-flavoured Markdown table; cells are escaped.
func (d *doc) table(header []string, rows [][]string) {
	d.row(header, false)
	d.WriteByte('|')
	for i := range header {
		if i > 0 {
			d.WriteByte('|')
		}
		d.WriteString("---")
	}
	d.WriteString("|\n")
	for _, r := range rows {
		d.row(r, true)
	}
	d.blank()
}

// row writes a table row, its cells escaped (cell) if escape.
func (d *doc) row(cells []string, escape bool) {
	d.WriteString("| ")
	for i, c := range cells {
		if i > 0 {
			d.WriteString(" | ")
		}
		if escape {
			c = cell(c)
		}
		d.WriteString(c)
	}
	d.WriteString(" |\n")
}

// fence writes a fenced code block.
func (d *doc) fence(lang, code string) {
	d.line("```%s", lang)
	d.WriteString(strings.TrimRight(code, "\n"))
	d.line("\n```")
	d.blank()
}

// cell makes text safe inside a table cell: no line breaks, pipes escaped
// (GitHub unescapes them inside code spans too).
func cell(s string) string {
	if !plainCell(s) {
		s = strings.Join(strings.Fields(s), " ")
	}
	return strings.ReplaceAll(s, "|", `\|`)
}

// plainCell reports whether s is printable ASCII words separated by
// single spaces, which strings.Fields and Join leave as they are.
func plainCell(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			return false
		}
	}
	return true
}

// code is an inline code span of s.
func code(s string) string {
	if s == "" {
		return ""
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if len(fence) > 1 || strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// codes is a comma-separated list of code spans.
func codes(vals []string) string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = code(v)
	}
	return strings.Join(out, ", ")
}

// exprText is an HCL expression of a template as Terraform formats it.
func exprText(attr *hcl.Attribute, sources map[string][]byte) string {
	rng := attr.Expr.Range()
	src, ok := sources[rng.Filename]
	if !ok {
		panic(fmt.Sprintf("moddocs: no source for %s", rng.Filename))
	}
	return formatExpr(rng.SliceBytes(src))
}

// formatExpr formats expression source as `terraform fmt` would inside
// an attribute, without the attribute.
func formatExpr(src []byte) string {
	if text, ok := formattedExprs.Load(string(src)); ok {
		return text.(string)
	}
	text := formatExprTokens(src)
	formattedExprs.Store(string(src), text)
	return text
}

// formattedExprs caches formatExpr: every module README lists the same
// interface variables' types, and a catalog has few expressions.
var formattedExprs sync.Map // source → formatted text

func formatExprTokens(src []byte) string {
	toks, _ := hclfmt.LexExpression(src) // as hclwrite.Format, whatever the lexer makes of it
	attr := make(hclwrite.Tokens, 0, len(toks)+3)
	attr = append(attr, &hclwrite.Token{Type: hclsyntax.TokenIdent, Bytes: []byte("x")}, &hclwrite.Token{Type: hclsyntax.TokenEqual, Bytes: []byte("=")})
	attr = append(attr, toks...)
	attr = append(attr, &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")})
	return strings.TrimSpace(strings.TrimPrefix(string(hclfmt.Format(attr)), "x = "))
}

// constantCodes is codes(constantStrings(attr)), cached by the
// expression's source text: the READMEs of a run show the same lists
// again and again. Like the other caches of source text, it only grows,
// by the distinct expressions of the catalogs a process has seen.
func constantCodes(attr *hcl.Attribute, sources map[string][]byte) (string, bool) {
	rng := attr.Expr.Range()
	src, ok := sources[rng.Filename]
	if !ok {
		panic(fmt.Sprintf("moddocs: no source for %s", rng.Filename))
	}
	key := string(rng.SliceBytes(src))
	if c, ok := constantLists.Load(key); ok {
		c := c.(constantList)
		return c.codes, c.ok
	}
	var c constantList
	if vals, ok := constantStrings(attr); ok {
		c = constantList{codes(vals), true}
	}
	constantLists.Store(key, c)
	return c.codes, c.ok
}

type constantList struct {
	codes string
	ok    bool
}

var constantLists sync.Map // source → constantList

// constantStrings evaluates an expression without variables: a literal
// list of strings (like most action lists) yields its values.
func constantStrings(attr *hcl.Attribute) ([]string, bool) {
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() {
		return nil, false
	}
	t := v.Type()
	if !(t.IsTupleType() || t.IsListType() || t.IsSetType()) {
		return nil, false
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() || e.Type() != cty.String {
			return nil, false
		}
		out = append(out, e.AsString())
	}
	return out, true
}

// oneLine writes an HCL type or value on one line, with commas where the
// multi-line form had line breaks between elements (still valid HCL).
func oneLine(src string) string {
	lines := strings.Split(strings.TrimSpace(src), "\n")
	var b strings.Builder
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if i > 0 {
			prev := lines[i-1]
			prev = strings.TrimSpace(prev)
			opens := strings.HasSuffix(prev, "(") || strings.HasSuffix(prev, "{") || strings.HasSuffix(prev, "[") || strings.HasSuffix(prev, ",")
			closes := strings.HasPrefix(l, ")") || strings.HasPrefix(l, "}") || strings.HasPrefix(l, "]")
			switch {
			case opens && closes, opens && strings.HasSuffix(prev, "("):
			case opens, closes:
				b.WriteByte(' ')
			default:
				b.WriteString(", ")
			}
		}
		b.WriteString(l)
	}
	return b.String()
}
