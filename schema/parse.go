package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Parse decodes, defaults and validates spec source. The file is HCL
// native syntax, or HCL's JSON form when its name ends in ".json"; the
// parser keeps the source for printing diagnostics with snippets.
// Diagnostics come sorted by file, line and column.
func Parse(parser *hclparse.Parser, filename string, src []byte) (*Spec, hcl.Diagnostics) {
	spec, diags := parseSpec(parser, filename, src)
	SortDiagnostics(diags)
	return spec, diags
}

func parseSpec(parser *hclparse.Parser, filename string, src []byte) (*Spec, hcl.Diagnostics) {
	json := strings.HasSuffix(filename, ".json")
	// Bounds first: the parser recurses once per level of nesting and would
	// overflow the stack on hostile input, and a huge value would be
	// printed in every diagnostic about it.
	if d := CheckSource(filename, src, json, MaxSpecBytes); d.HasErrors() {
		return nil, d
	}
	var file *hcl.File
	var diags hcl.Diagnostics
	if json {
		file, diags = parser.ParseJSON(src, filename)
	} else {
		file, diags = parser.ParseHCL(src, filename)
	}
	if diags.HasErrors() {
		return nil, firstSyntaxErrors(diags)
	}
	if d := checkNumbers(file, src); d.HasErrors() {
		return nil, d
	}
	spec := &Spec{Filename: filename, Src: src}
	diags = append(diags, decodeBody(file, spec)...)
	if diags.HasErrors() {
		return nil, diags
	}
	if len(spec.Environments) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No environment in spec",
			Detail:   `A spec needs at least one environment block, e.g. environment "prod" { account_id = "123456789012" region = "us-east-1" }.`,
			Subject:  file.Body.MissingItemRange().Ptr(),
		})
		return nil, diags
	}
	applySpecDefaults(spec)
	diags = append(diags, validate(spec)...)
	if diags.HasErrors() {
		return nil, diags
	}
	return spec, diags
}

// firstSyntaxErrors keeps, of a file's syntax errors, those at the first
// position: one mistake (an unterminated string) makes the parser report
// errors all the way down, which only the first explains.
func firstSyntaxErrors(diags hcl.Diagnostics) hcl.Diagnostics {
	var first *hcl.Range
	for _, d := range diags {
		if d.Severity == hcl.DiagError && d.Subject != nil && (first == nil || d.Subject.Start.Byte < first.Start.Byte) {
			first = d.Subject
		}
	}
	if first == nil {
		return diags
	}
	var kept hcl.Diagnostics
	for _, d := range diags {
		if d.Severity != hcl.DiagError || d.Subject == nil || d.Subject.Start.Byte == first.Start.Byte {
			kept = append(kept, d)
		}
	}
	if dropped := len(diags) - len(kept); dropped > 0 {
		last := *kept[len(kept)-1]
		note := "1 later syntax error, which may follow from this one, is not shown"
		if dropped > 1 {
			note = fmt.Sprintf("%d later syntax errors, which may follow from this one, are not shown", dropped)
		}
		last.Detail += " (" + note + ": fix this and run again.)"
		kept[len(kept)-1] = &last
	}
	return kept
}

// maxNumberExp bounds the binary exponent of a number in a spec (about
// 10^±1200). Decoding converts numbers to strings digit by digit, so a
// literal such as 1e99999999 would take minutes and gigabytes; no value of
// a spec is anywhere near this.
const maxNumberExp = 4000

// checkNumbers rejects number literals too large or too small to decode:
// in native syntax from the syntax tree, in JSON from its tokens and the
// templates in its strings.
func checkNumbers(file *hcl.File, src []byte) hcl.Diagnostics {
	var diags hcl.Diagnostics
	bad := func(v cty.Value, rng hcl.Range) {
		if v.Type() != cty.Number || v.IsNull() || !v.IsKnown() {
			return
		}
		if exp := v.AsBigFloat().MantExp(nil); exp > maxNumberExp || exp < -maxNumberExp {
			diags = append(diags, errorAt(rng, "Number out of range",
				"This number is too large or too small for a spec: its values are durations, counts and IDs such as 7200. Write an AWS account ID as a quoted string of 12 digits."))
		}
	}
	visit := func(n hclsyntax.Node) hcl.Diagnostics {
		if lit, ok := n.(*hclsyntax.LiteralValueExpr); ok {
			bad(lit.Val, lit.SrcRange)
		}
		return nil
	}
	if body, ok := file.Body.(*hclsyntax.Body); ok {
		_ = hclsyntax.VisitAll(body, visit)
		return diags
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	filename := file.Body.MissingItemRange().Filename
	for {
		prev := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return diags // io.EOF, or JSON that HCL's parser accepted and this one does not
		}
		// The token starts after the white space and separators that
		// follow the previous one.
		start := prev + len(src[prev:]) - len(bytes.TrimLeft(src[prev:], " \t\r\n:,"))
		rng := hcl.Range{Filename: filename, Start: posAt(src, start), End: posAt(src, int(dec.InputOffset()))}
		switch tok := tok.(type) {
		case json.Number:
			f, _, err := big.ParseFloat(string(tok), 10, 64, big.ToNearestEven)
			if err == nil {
				bad(cty.NumberVal(f), rng)
			}
		case string:
			if strings.Contains(tok, "${") || strings.Contains(tok, "%{") {
				if expr, d := hclsyntax.ParseTemplate([]byte(tok), rng.Filename, rng.Start); !d.HasErrors() {
					_ = hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
						if lit, ok := n.(*hclsyntax.LiteralValueExpr); ok {
							bad(lit.Val, rng)
						}
						return nil
					})
				}
			}
		}
	}
}

// posAt is the position of a byte offset in src.
func posAt(src []byte, off int) hcl.Pos {
	off = min(max(off, 0), len(src))
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	col := 1 + utf8.RuneCount(src[bytes.LastIndexByte(src[:off], '\n')+1:off])
	return hcl.Pos{Line: line, Column: col, Byte: off}
}
