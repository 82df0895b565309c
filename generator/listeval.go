package generator

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// forStrings evaluates the catalog's usual list of ARNs,
//
//	[for b in var.s3_buckets : "arn:${var.partition}:s3:::${b}"]
//	flatten([for b in var.s3_buckets : ["arn:…:${b}", "arn:…:${b}/*"]])
//
// without hcl's cost per element (a child context, a template, traversals
// and a number for each element, then a tuple to convert): the parts that
// do not name the element are evaluated once by hcl, the rest with the
// same cty functions and string values hcl would use. ok is false for
// anything else, and whenever hcl would report a problem or give an
// unknown, null or marked value: the caller then evaluates with hcl, so
// results and diagnostics are hcl's in every case.
func forStrings(expr hcl.Expression, ctx *hcl.EvalContext) (out []string, ok bool) {
	flat := false
	if call, isCall := expr.(*hclsyntax.FunctionCallExpr); isCall {
		if call.Name != "flatten" || len(call.Args) != 1 || call.ExpandFinal || !sameFunction(ctx.Functions["flatten"], stdlib.FlattenFunc) {
			return nil, false
		}
		expr, flat = call.Args[0], true
	}
	fe, isFor := expr.(*hclsyntax.ForExpr)
	if !isFor || fe.KeyVar != "" || fe.KeyExpr != nil || fe.CondExpr != nil || fe.Group {
		return nil, false
	}
	coll, diags := fe.CollExpr.Value(ctx)
	if diags.HasErrors() {
		return nil, false
	}
	elems, ok := plainStrings(coll)
	if !ok || len(elems) == 0 {
		return nil, false
	}
	// A tuple body makes a list of lists, which only flatten makes a list
	// of strings.
	bodies := []hclsyntax.Expression{fe.ValExpr}
	if tup, isTuple := fe.ValExpr.(*hclsyntax.TupleConsExpr); isTuple && flat {
		bodies = tup.Exprs
	}
	parts := make([]elemFunc, len(bodies))
	for i, b := range bodies {
		if parts[i], ok = compileElem(b, fe.ValVar, ctx); !ok {
			return nil, false
		}
	}
	out = make([]string, 0, len(elems)*len(parts))
	for _, elem := range elems {
		for _, part := range parts {
			v, ok := part(elem)
			if !ok || !plainString(v) {
				return nil, false
			}
			out = append(out, v.AsString())
		}
	}
	return out, true
}

// elemFunc is a compiled expression: its value for one element.
type elemFunc func(elem cty.Value) (cty.Value, bool)

// compileElem compiles expr, in which name is the element, or reports
// that it cannot.
func compileElem(expr hclsyntax.Expression, name string, ctx *hcl.EvalContext) (elemFunc, bool) {
	if !namesVar(expr, name) {
		v, diags := expr.Value(ctx)
		if diags.HasErrors() || !v.IsWhollyKnown() || v.IsMarked() {
			return nil, false
		}
		return func(cty.Value) (cty.Value, bool) { return v, true }, true
	}
	switch e := expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if len(e.Traversal) != 1 {
			return nil, false
		}
		return func(elem cty.Value) (cty.Value, bool) { return elem, true }, true
	case *hclsyntax.TemplateWrapExpr:
		return compileElem(e.Wrapped, name, ctx)
	case *hclsyntax.TemplateExpr:
		return compileTemplate(e, name, ctx)
	case *hclsyntax.FunctionCallExpr:
		return compileCall(e, name, ctx)
	}
	return nil, false
}

// compileTemplate joins the parts as hcl's TemplateExpr does; each part
// must be a plain string (hcl converts other types, which this leaves to
// hcl), and cty.StringVal normalizes the result as it does there.
func compileTemplate(e *hclsyntax.TemplateExpr, name string, ctx *hcl.EvalContext) (elemFunc, bool) {
	parts := make([]elemFunc, len(e.Parts))
	for i, p := range e.Parts {
		var ok bool
		if parts[i], ok = compileElem(p, name, ctx); !ok {
			return nil, false
		}
	}
	return func(elem cty.Value) (cty.Value, bool) {
		strs := make([]string, len(parts))
		for i, p := range parts {
			v, ok := p(elem)
			if !ok || !plainString(v) {
				return cty.NilVal, false
			}
			strs[i] = v.AsString()
		}
		return cty.StringVal(strings.Join(strs, "")), true
	}, true
}

// compileCall calls a function whose parameters are all strings (so hcl
// converts nothing) with the arguments' values, as hcl's FunctionCallExpr
// does.
func compileCall(e *hclsyntax.FunctionCallExpr, name string, ctx *hcl.EvalContext) (elemFunc, bool) {
	f, exists := ctx.Functions[e.Name]
	if !exists || e.ExpandFinal || f.VarParam() != nil || len(f.Params()) != len(e.Args) {
		return nil, false
	}
	for _, p := range f.Params() {
		if !p.Type.Equals(cty.String) {
			return nil, false
		}
	}
	args := make([]elemFunc, len(e.Args))
	for i, a := range e.Args {
		var ok bool
		if args[i], ok = compileElem(a, name, ctx); !ok {
			return nil, false
		}
	}
	return func(elem cty.Value) (cty.Value, bool) {
		vals := make([]cty.Value, len(args))
		for i, a := range args {
			v, ok := a(elem)
			if !ok || !plainString(v) {
				return cty.NilVal, false
			}
			vals[i] = v
		}
		v, err := f.Call(vals)
		return v, err == nil
	}, true
}

// namesVar reports whether expr reads the variable name.
func namesVar(expr hclsyntax.Expression, name string) bool {
	for _, t := range hclsyntax.Variables(expr) {
		if t.RootName() == name {
			return true
		}
	}
	return false
}

// plainStrings returns the elements of v if it is a known, unmarked list
// or tuple of known, unmarked, non-null strings.
func plainStrings(v cty.Value) ([]cty.Value, bool) {
	if !v.IsKnown() || v.IsNull() || v.IsMarked() || !(v.Type().IsListType() || v.Type().IsTupleType()) {
		return nil, false
	}
	elems := make([]cty.Value, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if !plainString(e) {
			return nil, false
		}
		elems = append(elems, e)
	}
	return elems, true
}

// plainString reports whether v is a known, unmarked, non-null string.
func plainString(v cty.Value) bool {
	return v.Type().Equals(cty.String) && v.IsKnown() && !v.IsNull() && !v.IsMarked()
}

// sameFunction reports whether f is g: function.Function is a pointer to
// its spec, so equal values are the same function.
func sameFunction(f, g function.Function) bool {
	return f == g
}
