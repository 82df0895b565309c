package generator

import (
	"maps"
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// TestForStrings evaluates each expression with forStrings and with hcl
// (decode): where forStrings answers, it must give hcl's strings; where
// it must not (hcl converts, reports or would give something else), it
// leaves the expression to hcl. All share one cache, twice over, so a list
// taken from it for another expression would show.
func TestForStrings(t *testing.T) {
	vars := map[string]cty.Value{
		"partition":  cty.StringVal("aws"),
		"account_id": cty.StringVal("123456789012"),
		"region":     cty.StringVal("us-east-1"),
		"port":       cty.NumberIntVal(443),
		"nothing":    cty.NullVal(cty.String),
		"buckets":    cty.ListVal([]cty.Value{cty.StringVal("lakerunner-*"), cty.StringVal("b1"), cty.StringVal("caf\u00e9")}),
		"tuple":      cty.TupleVal([]cty.Value{cty.StringVal("t1"), cty.StringVal("t2")}),
		"accents":    cty.ListVal([]cty.Value{cty.StringVal("\u0301x")}), // a combining accent: "e" + it is "é" in NFC
		"empty":      cty.ListValEmpty(cty.String),
		"nulls":      cty.ListVal([]cty.Value{cty.StringVal("a"), cty.NullVal(cty.String)}),
		"unknowns":   cty.ListVal([]cty.Value{cty.StringVal("a"), cty.UnknownVal(cty.String)}),
		"marked":     cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("s").Mark("sensitive")}),
		"numbers":    cty.ListVal([]cty.Value{cty.NumberIntVal(1)}),
		"dups":       cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("a")}),
		"set":        cty.SetVal([]cty.Value{cty.StringVal("s2"), cty.StringVal("s1")}),
	}
	ctx := moduleContext(vars)
	lists := &listCache{}
	cases := []struct {
		expr string
		fast bool // forStrings answers
	}{
		{`[for b in var.buckets : "arn:${var.partition}:s3:::${b}"]`, true},
		{`[for b in var.buckets : b]`, true},
		{`[for b in var.buckets : "${b}"]`, true},
		{`flatten([for b in var.buckets : ["arn:${var.partition}:s3:::${b}", "arn:${var.partition}:s3:::${b}/*"]])`, true},
		{`flatten([for b in var.buckets : "arn:${b}"])`, true},
		{`[for b in var.buckets : "arn:${var.partition}:s3:::${replace(b, "*", "${var.account_id}-${var.region}")}/expect/object"]`, true},
		{`[for b in var.buckets : upper(trimprefix(b, "lake"))]`, true},
		{`[for b in var.tuple : "x-${b}"]`, true},
		{`[for b in var.buckets : "x-${b}"]`, true},                                // as above, another list
		{`[for b in var.buckets : "arn:${var.region}:s3:::${b}"]`, true},           // as the first, another value
		{`[for b in var.buckets : "arn:${var.partition}:s3:::${upper(b)}"]`, true}, // as the first, another step
		{`[for b in var.accents : "e${b}"]`, true},
		{`[for b in ["x", "y"] : "${var.region}/${b}"]`, true},
		{`[for b in var.dups : "x${b}"]`, true}, // duplicates stay
		{`[for b in var.dups : upper(b)]`, true},

		{`[for b in var.buckets : "${b}:${var.port}"]`, false},                // hcl converts the number
		{`[for b in var.buckets : "${b}:${var.nothing}"]`, false},             // hcl reports the null
		{`[for b in var.buckets : "${b}:${var.missing}"]`, false},             // hcl reports the attribute
		{`[for b in var.buckets : format("%s-%s", b, "x")]`, false},           // variadic
		{`[for b in var.buckets : replace(b, "*", var.port)]`, false},         // hcl converts the number
		{`[for b in var.buckets : nosuch(b)]`, false},                         // hcl reports the function
		{`[for b in var.buckets : length(b)]`, false},                         // not a string parameter
		{`[for b in var.buckets : b if b != "b1"]`, false},                    // a condition
		{`[for i, b in var.buckets : "${i}-${b}"]`, false},                    // an index
		{`[for b in var.buckets : [b, b]]`, false},                            // a list of lists
		{`[for b in var.buckets : b.x]`, false},                               // hcl reports the attribute
		{`[for b in var.empty : b]`, false},                                   // hcl's empty list
		{`[for b in var.nulls : "x${b}"]`, false},                             // hcl reports the null
		{`[for b in var.unknowns : "x${b}"]`, false},                          // unknown
		{`[for b in var.marked : "x${b}"]`, false},                            // marked
		{`[for b in var.numbers : "x${b}"]`, false},                           // hcl converts the number
		{`[for b in var.buckets : [for c in var.tuple : "${b}${c}"]]`, false}, // nested
		{`[for b in var.set : "x${b}"]`, false},                               // a set: hcl orders it
		{`concat([for b in var.buckets : b])`, false},
		{`["a", "b"]`, false},
	}
	for _, tc := range append(cases, cases...) {
		t.Run(tc.expr, func(t *testing.T) {
			expr, diags := hclsyntax.ParseExpression([]byte(tc.expr), "test.hcl", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			got, ok := forStrings(expr, ctx, lists)
			if ok != tc.fast {
				t.Fatalf("forStrings answered: %v, want %v", ok, tc.fast)
			}
			if !ok {
				return
			}
			var want []string
			if diags := decode(&hcl.Attribute{Name: "resources", Expr: expr}, ctx, &want); diags.HasErrors() {
				t.Fatalf("hcl: %v", diags)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("forStrings gives %q, hcl %q", got, want)
			}
		})
	}
}

// TestForStringsSharedCache gives one cache two contexts that bind a
// function name to different functions: each must get hcl's answer in its
// own context, not the list the other made.
func TestForStringsSharedCache(t *testing.T) {
	vars := map[string]cty.Value{
		"dups": cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("B")}),
	}
	upper := moduleContext(vars)
	lower := &hcl.EvalContext{Variables: upper.Variables, Functions: maps.Clone(upper.Functions)}
	lower.Functions["upper"] = stdlib.LowerFunc
	lists := &listCache{}
	expr, diags := hclsyntax.ParseExpression([]byte(`[for b in var.dups : upper(b)]`), "test.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, tc := range []struct {
		ctx  *hcl.EvalContext
		want []string
	}{{upper, []string{"A", "B"}}, {lower, []string{"a", "b"}}, {upper, []string{"A", "B"}}} {
		got, ok := forStrings(expr, tc.ctx, lists)
		if !ok {
			t.Fatal("forStrings did not answer")
		}
		var hclGot []string
		if diags := decode(&hcl.Attribute{Name: "resources", Expr: expr}, tc.ctx, &hclGot); diags.HasErrors() {
			t.Fatalf("hcl: %v", diags)
		}
		if !reflect.DeepEqual(got, tc.want) || !reflect.DeepEqual(hclGot, tc.want) {
			t.Errorf("forStrings gives %q, hcl %q, want %q", got, hclGot, tc.want)
		}
	}
}
