package hclfmt

import (
	"math/big"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// TestConstructorsMatchHCLWrite holds each constructor to the hclwrite
// function it replaces: the same token types and bytes (spacing is
// Format's).
func TestConstructorsMatchHCLWrite(t *testing.T) {
	strs := []string{"", "plain", "a b-c_d/e:f*", `q"uote`, `back\slash`, "${interp}", "%{directive}", "$ and % alone", "line\nbreak\ttab\r",
		"héllo", "日本語", "👨‍👩‍👧", "e\u0301", "\x00\x1f\u200b", "~"}
	keys := []string{"a", "_a", "a-b", "a_1", "1a", "-a", "a.b", "a b", "", "é", "é-1", "a:b", "aws:SourceArn", "日本"}
	var values []cty.Value
	for _, s := range strs {
		values = append(values, cty.StringVal(s))
	}
	keyed := map[string]cty.Value{}
	for i, k := range keys {
		keyed[k] = cty.NumberIntVal(int64(i))
	}
	values = append(values,
		cty.True, cty.False, cty.NullVal(cty.String), cty.NumberIntVal(-42), cty.NumberFloatVal(1.5),
		cty.NumberVal(new(big.Float).SetFloat64(1e30)),
		cty.ListValEmpty(cty.String), cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal(`"b"`)}),
		cty.SetVal([]cty.Value{cty.StringVal("z"), cty.StringVal("a")}),
		cty.TupleVal([]cty.Value{cty.True, cty.NumberIntVal(1), cty.StringVal("x")}),
		cty.MapValEmpty(cty.String), cty.MapVal(keyed),
		cty.ObjectVal(map[string]cty.Value{"tags": cty.MapVal(map[string]cty.Value{"Name": cty.StringVal("x"), "a b": cty.StringVal("y")}),
			"list": cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"k": cty.NullVal(cty.Number)})})}),
	)
	for _, v := range values {
		same(t, v.GoString(), Value(v), hclwrite.TokensForValue(v))
		var b Body // x = v, in its arena
		b.AttrValue("x", v)
		toks := b.Tokens()
		same(t, "AttrValue "+v.GoString(), toks[2:len(toks)-1], hclwrite.TokensForValue(v))
	}
	for _, s := range strs {
		same(t, "String "+s, String(s), hclwrite.TokensForValue(cty.StringVal(s)))
	}
	for _, k := range keys {
		if got, want := ValidIdentifier(k), hclsyntax.ValidIdentifier(k); got != want {
			t.Errorf("ValidIdentifier(%q) = %v, hclsyntax says %v", k, got, want)
		}
	}

	same(t, "Traversal", Traversal("module", "x", "arn"), hclwrite.TokensForTraversal(hcl.Traversal{
		hcl.TraverseRoot{Name: "module"}, hcl.TraverseAttr{Name: "x"}, hcl.TraverseAttr{Name: "arn"}}))
	same(t, "Ident", Ident("var"), hclwrite.TokensForIdentifier("var"))
	args := []hclwrite.Tokens{Ident("a"), String("b"), Tuple(Ident("c"))}
	same(t, "Call", Call("f", args...), hclwrite.TokensForFunctionCall("f", args...))
	same(t, "Call()", Call("f"), hclwrite.TokensForFunctionCall("f"))
	same(t, "Tuple", Tuple(args...), hclwrite.TokensForTuple(args))
	same(t, "Tuple()", Tuple(), hclwrite.TokensForTuple(nil))
	attrs := []hclwrite.ObjectAttrTokens{{Name: Key("a"), Value: String("x")}, {Name: Key("b c"), Value: Object(nil)}}
	same(t, "Object", Object(attrs), hclwrite.TokensForObject(attrs))
	same(t, "Object()", Object(nil), hclwrite.TokensForObject(nil))
}

func same(t *testing.T, what string, got, want hclwrite.Tokens) {
	t.Helper()
	strip := func(ts hclwrite.Tokens) string {
		var b []byte
		for _, t := range ts {
			b = append(b, byte(t.Type), ' ')
			b = append(b, t.Bytes...)
			b = append(b, 0)
		}
		return string(b)
	}
	if strip(got) != strip(want) {
		t.Errorf("%s:\n got %q\nwant %q", what, strip(got), strip(want))
	}
}

// TestBodyMatchesHCLWrite holds Body to hclwrite's Body: the same
// operations make the same tokens.
func TestBodyMatchesHCLWrite(t *testing.T) {
	var got Body
	want := hclwrite.NewEmptyFile()

	got.Append(comment("# head\n"))
	want.Body().AppendUnstructuredTokens(comment("# head\n"))
	got.Newline()
	want.Body().AppendNewline()

	got.Block("resource", "aws_iam_role", `we"ird label`)
	r := want.Body().AppendNewBlock("resource", []string{"aws_iam_role", `we"ird label`}).Body()
	got.Attr("name", String("x"))
	// want gets hclwrite's own tokens: its Bytes formats them in place,
	// which must not touch the tokens hclfmt shares.
	r.SetAttributeRaw("name", hclwrite.TokensForValue(cty.StringVal("x")))
	got.Newline()
	r.AppendNewline()
	got.Block("dynamic", "statement")
	d := r.AppendNewBlock("dynamic", []string{"statement"}).Body()
	got.Block("content")
	c := d.AppendNewBlock("content", nil).Body()
	got.Attr("actions", Tuple(String("a"), Traversal("var", "b")))
	c.SetAttributeRaw("actions", hclwrite.TokensForTuple([]hclwrite.Tokens{
		hclwrite.TokensForValue(cty.StringVal("a")),
		hclwrite.TokensForTraversal(hcl.Traversal{hcl.TraverseRoot{Name: "var"}, hcl.TraverseAttr{Name: "b"}}),
	}))
	got.End()
	got.End()
	got.End()

	got.Block("locals")
	want.Body().AppendNewBlock("locals", nil)
	got.End()

	same(t, "Body", got.Tokens(), want.BuildTokens(nil))
	if g, w := got.Bytes(), want.Bytes(); string(g) != string(w) {
		t.Errorf("Bytes:\n got %q\nwant %q", g, w)
	}
}

func comment(text string) hclwrite.Tokens {
	return hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte(text)}}
}

func TestBodyUnbalanced(t *testing.T) {
	for name, write := range map[string]func(b *Body){
		"open":  func(b *Body) { b.Block("a"); b.Tokens() },
		"close": func(b *Body) { b.End() },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			write(new(Body))
		})
	}
}

// TestBodyExpressions holds the arena's constructors to the package's,
// over more tokens than a chunk holds, on a body used twice (its chunks
// recycled in between).
func TestBodyExpressions(t *testing.T) {
	strs := []string{"", "plain", `q"uote`, "${interp}", "héllo", "a:b", "1a", "a-b"}
	var b Body
	for round := range 2 {
		var want hclwrite.Tokens
		for i := range 3 * tokChunk {
			s := strs[i%len(strs)]
			lit := String(s)
			same(t, "String "+s, b.String(s), lit)
			same(t, "Key "+s, b.Key(s), Key(s))
			same(t, "Literal "+s, b.Literal(s), lit[1:len(lit)-1])
			b.Attr("a", b.String(s))
			want = append(want, Ident("a")...)
			want = append(want, tok(hclsyntax.TokenEqual, equal))
			want = append(want, lit...)
			want = append(want, tok(hclsyntax.TokenNewline, newline))
		}
		if got, w := b.Bytes(), Format(want); string(got) != string(w) {
			t.Errorf("round %d: Bytes differ from Format", round)
		}
	}
}

// TestBodyMake checks that slices from the arena do not overlap: an
// append beyond a slice's capacity moves it.
func TestBodyMake(t *testing.T) {
	var b Body
	x := append(b.Make(1), Ident("x")...)
	y := append(b.Make(1), Ident("y")...)
	x = append(x, Ident("z")...) // beyond its capacity
	same(t, "x", x, append(Ident("x"), Ident("z")...))
	same(t, "y", y, Ident("y"))
	if big := b.Make(ptrChunk + 1); cap(big) != ptrChunk+1 || len(big) != 0 {
		t.Errorf("Make(%d): len %d cap %d", ptrChunk+1, len(big), cap(big))
	}
}
