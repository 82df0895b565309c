package main

import (
	"os"
	"strings"
	"testing"
)

// TestGenerate covers what the built-in templates do not hold today: a
// splat, whose Item pointer is also reached inside its Each and must stay
// one pointer (a variable), a range astpos cannot rebuild (after
// non-ASCII text on its line, written in full), and a template that does
// not parse, which stops the generator.
func TestGenerate(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      []string // in the output
		err       string
	}{
		{"splat", "a = b[*].c\n", []string{"p1 := &hclsyntax.AnonSymbolExpr{SrcRange: r(", "Item: p1", "Source: p1"}, ""},
		{"non-ASCII", "a = \"é\"\nb = \"é\" == c\n", []string{`hcl.Range{Filename: "templates/x.hcl", Start: hcl.Pos{Line: 2, Column: 12, Byte: 21}`}, ""},
		{"operation and number", "a = 1.5 + b\n", []string{"Op: hclsyntax.OpAdd", `cty.MustParseNumberVal("1.5")`}, ""},
		{"null and bool", "a = null\nb = true\n", []string{"cty.NullVal(cty.DynamicPseudoType)", "cty.True"}, ""},
		{"syntax error", "a = \n", nil, "Invalid expression"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			if err := os.WriteFile("x.hcl", []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := generate("x", "Package x is a test.", []string{"x.hcl"})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("want error %q, got %v", c.err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("no %q in:\n%s", w, out)
				}
			}
		})
	}
}
