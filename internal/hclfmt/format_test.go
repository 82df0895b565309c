package hclfmt

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// formatCases are sources whose formatting exercises every rule of the
// formatter; hclwrite.Format is the reference for each.
var formatCases = map[string]string{
	"empty":               "",
	"no final newline":    "a=1",
	"trailing spaces":     "a = 1   \n   ",
	"only comments":       "# one\n// two\n/* three */\n",
	"misaligned":          "a=1\nbbbb   =   2\n\n  cc = 3\n",
	"nested blocks":       "resource \"a\" \"b\" {\nx=1\nnested {\nyy = 2\ndeeper { z = [1,2] }\n}\n}\n",
	"empty block":         "a {\n}\nb {}\n",
	"one-line block":      "a { b = 1 }\n",
	"trailing comments":   "a = 1 # one\nbbb = 2 // two\n\nc = 3 # alone\n",
	"block comment":       "a = 1 /* inline */\n/* multi\n   line */\nb = 2\n",
	"comment in object":   "a = {\n  # about b\n  b = 1 # trailing\n  cc = 2\n}\n",
	"multi-line object":   "tags = {\nName = \"x\"\n\"with space\" = \"y\"\nk=v\n}\n",
	"list of objects":     "l = [\n{ a = 1, b = 2 },\n{\na = 3\n},\n]\n",
	"nested collections":  "x = [[1, 2], {a = [3]}, (4)]\n",
	"heredoc":             "a = <<EOT\n  keep   this\n${x}\nEOT\nb = 1\n",
	"indented heredoc":    "blk {\na = <<-EOT\n    text\n    EOT\n}\n",
	"heredoc in call":     "a = trimspace(<<EOT\nx\nEOT\n)\n",
	"templates":           "a = \"${x}${y} and %{ if z }w%{ endif }\"\nb = \"${ {a=1} }\"\n",
	"escapes":             "a = \"quote \\\" and $${literal} and \\n\"\n",
	"unicode strings":     "\"héllo\" = 1\nx = 2\n\"e\u0301e\u0301\" = 3\n\"日本語\" = 4\n\"👨‍👩‍👧\" = 5\n\"ok\" = 6 # c\n\"é\" = 7 # c\n",
	"for expressions":     "a = [for x in [1, 2]: x*2 if x>0]\nb = {for k,v in m: k=>v...}\n",
	"operators":           "a = -1\nb = x - -y\nc = !d && e || f\ng = h==i ? j : k\nl = (m+n)*o/p%q\nr = s>=t\n",
	"traversals":          "a = b.c[0].d[*].e\nf = g.*.h\ni = j[\"k\"]\n",
	"calls":               "a = f(x, y...)\nb = provider::aws::arn_parse(c)\nd = f()\n",
	"crlf":                "a = 1\r\nbb = 2\r\nc {\r\nd = 3\r\n}\r\n",
	"tabs":                "a\t=\t1\n\tb = 2\n",
	"unbalanced open":     "a = [1,\n2\nb = 3\n",
	"unbalanced close":    "}\n]\na = 1\n)\n",
	"attribute then open": "a = [\n1,\n]\nb = {\n}\n",
	"ellipsis and in":     "a = [for x in [y]: x]\n",
}

// lexConfig lexes a whole file as hclwrite.Format does, EOF included.
func lexConfig(t testing.TB, src []byte) hclwrite.Tokens {
	native, _ := hclsyntax.LexConfig(src, "", hcl.Pos{Byte: 0, Line: 1, Column: 1})
	return writerTokens(native)
}

func TestFormatMatchesHCLWrite(t *testing.T) {
	for name, src := range formatCases {
		t.Run(name, func(t *testing.T) {
			checkFormat(t, []byte(src))
		})
	}
}

// checkFormat compares Format with hclwrite on src: lexed, with
// hclwrite.Format; parsed (when it parses), with File.Bytes.
func checkFormat(t *testing.T, src []byte) {
	toks := lexConfig(t, src)
	before := snapshot(toks)
	if got, want := Format(toks), hclwrite.Format(src); !bytes.Equal(got, want) {
		t.Errorf("Format of %q:\n got %q\nwant %q", src, got, want)
	}
	if after := snapshot(toks); after != before {
		t.Errorf("Format modified the tokens of %q", src)
	}
	f, diags := hclwrite.ParseConfig(src, "", hcl.InitialPos)
	if diags.HasErrors() {
		return
	}
	if got, want := Format(f.BuildTokens(nil)), f.Bytes(); !bytes.Equal(got, want) {
		t.Errorf("Format of the parsed %q:\n got %q\nwant %q", src, got, want)
	}
}

func snapshot(toks hclwrite.Tokens) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(strings.Repeat(" ", t.SpacesBefore))
		b.Write(t.Bytes)
		b.WriteByte(byte(t.Type))
	}
	return b.String()
}

func FuzzFormat(f *testing.F) {
	for _, src := range formatCases {
		f.Add([]byte(src))
	}
	f.Fuzz(checkFormat)
}

func TestLexExpression(t *testing.T) {
	for _, src := range []string{
		"var.a",
		"length(var.x) > 0 ? [1] : []",
		"[\n  \"a\", # why\n  \"b\",\n]",
		"\"arn:${var.partition}:iam::aws:policy/x\"",
		"<<EOT\nline\nEOT",
	} {
		t.Run(src, func(t *testing.T) {
			toks, diags := LexExpression([]byte(src))
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			f, diags := hclwrite.ParseConfig([]byte("x = "+src+"\n"), "", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			want := f.Body().GetAttribute("x").Expr().BuildTokens(nil)
			first := *want[0]
			first.SpacesBefore = 0 // after "x =" in the file
			want[0] = &first
			if got := snapshot(toks); got != snapshot(want) {
				t.Errorf("tokens:\n got %q\nwant %q", got, snapshot(want))
			}
		})
	}
	if _, diags := LexExpression([]byte("a \x00 b")); !diags.HasErrors() {
		t.Error("no error for an invalid character")
	}
}
