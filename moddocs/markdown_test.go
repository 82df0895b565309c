package moddocs

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclwrite"
)

// TestFormatExpr holds formatExpr, which formats tokens, to what
// hclwrite.Format makes of the expression as an attribute's value.
func TestFormatExpr(t *testing.T) {
	for _, src := range []string{
		"var.a",
		`["s3:GetObject","s3:PutObject"]`,
		"[\n\"a\", # why\n  \"b\"\n]",
		"list(object({\nsid = optional(string)\neffect = optional(string, \"Allow\")\n}))",
		"[for b in var.buckets: \"arn:${var.partition}:s3:::${b}/*\" if b != \"\"]",
		"<<EOT\n  text\nEOT",
		"{\na = 1\nbbb = 2\n}",
	} {
		want := strings.TrimSpace(strings.TrimPrefix(string(hclwrite.Format([]byte("x = "+src+"\n"))), "x = "))
		if got := formatExpr([]byte(src)); got != want {
			t.Errorf("formatExpr(%q) = %q, want %q", src, got, want)
		}
	}
}

// TestAppendComment holds appendComment to strings.Fields and Join, which
// it replaces.
func TestAppendComment(t *testing.T) {
	for _, text := range []string{"", "one", "  two  words ", "line\nbreak\r\n\ttab", "no\u00a0break\u2003em space", "héllo  wörld", "bad \xff utf-8", "\xe2\x80", " \n "} {
		want := "# " + strings.Join(strings.Fields(text), " ") + "\n"
		if got := string(appendComment([]byte("x"), text)); got != "x"+want {
			t.Errorf("appendComment(%q) = %q, want %q", text, got, "x"+want)
		}
	}
}

// TestCell holds cell's fast path to strings.Fields and Join.
func TestCell(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", "a  b", " a", "a ", "a|b", "a\nb", "a\tb", "é b", "a\u00a0b", "x\x7f", "`code` and | pipe"} {
		want := strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "|", `\|`)
		if got := cell(s); got != want {
			t.Errorf("cell(%q) = %q, want %q", s, got, want)
		}
	}
}
