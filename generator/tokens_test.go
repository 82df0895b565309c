package generator

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// TestOnlyIf checks that the for_each onlyIf writes has one element
// exactly when its condition holds, for every kind of condition, as
// Terraform evaluates the written expression.
func TestOnlyIf(t *testing.T) {
	conds := []string{
		"var.a",
		"!var.a",
		"var.a && var.b",
		"var.a || var.b && var.c",
		"var.a ? var.b : var.c",
		"var.a ? var.b : var.c ? true : false",
		"(var.a ? var.b : var.c)",
		"[var.a ? var.b : var.c][0]",
		"{ x = var.a ? var.b : var.c }.x",
		`"${var.a ? "t" : "f"}" == "t"`,
		"var.a && (var.b ? var.c : false)",
	}
	for _, src := range conds {
		written := string(onlyIf(expr(src)).Bytes())
		forEach, diags := hclsyntax.ParseExpression([]byte(written), "for_each", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: onlyIf wrote %s: %s", src, written, diags.Error())
		}
		cond, _ := hclsyntax.ParseExpression([]byte(src), "cond", hcl.InitialPos)
		for i := range 8 {
			ctx := &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(map[string]cty.Value{
				"a": cty.BoolVal(i&1 != 0), "b": cty.BoolVal(i&2 != 0), "c": cty.BoolVal(i&4 != 0),
			})}}
			want, diags := cond.Value(ctx)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			got, diags := forEach.Value(ctx)
			if diags.HasErrors() || !got.CanIterateElements() {
				t.Errorf("%s with a,b,c=%03b: %s is %#v, not a list", src, i, written, got)
				continue
			}
			if (got.LengthInt() == 1) != want.True() {
				t.Errorf("%s with a,b,c=%03b is %v, but %s has %d elements", src, i, want.True(), written, got.LengthInt())
			}
		}
	}
}
