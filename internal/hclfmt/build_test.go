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
