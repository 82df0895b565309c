package generator

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

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
// results and diagnostics are hcl's in every case. A list already in
// cache, made by the same steps from the same values, is not made again.
func forStrings(expr hcl.Expression, ctx *hcl.EvalContext, cache *listCache) (out []string, ok bool) {
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
	elems, names, ok := cache.elements(fe.CollExpr, ctx)
	if !ok || len(elems) == 0 {
		return nil, false
	}
	// A tuple body makes a list of lists, which only flatten makes a list
	// of strings.
	bodies := []hclsyntax.Expression{fe.ValExpr}
	if tup, isTuple := fe.ValExpr.(*hclsyntax.TupleConsExpr); isTuple && flat {
		bodies = tup.Exprs
	}
	var sig strings.Builder // the steps, with the values of the parts that do not name the element
	sig.WriteString("list")
	if flat {
		sig.WriteString(" flatten")
	}
	parts := make([]elemFunc, len(bodies))
	for i, b := range bodies {
		if parts[i], ok = compileElem(b, fe.ValVar, ctx, &sig); !ok {
			return nil, false
		}
	}
	if out, ok := cache.get(sig.String(), names); ok {
		return out, true
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
	cache.put(sig.String(), names, out)
	return out, true
}

// listCache holds the lists forStrings made for one environment, by the
// steps that made them and the elements they were made of: the roles'
// templates write the same lists (the buckets' ARNs in data-task's and
// query-task's statements and expectations) of the same inputs. It also
// holds the elements of each role's lists (var.s3_buckets), which every
// statement and expectation of the role iterates over. A nil *listCache
// holds nothing.
type listCache struct {
	lists map[string][]cachedList
	colls map[collKey]cachedColl
}

type cachedList struct {
	elems, out []string
}

// collKey is a traversal such as var.s3_buckets in a role's context, which
// is not changed once made: it has one value.
type collKey struct {
	ctx  *hcl.EvalContext
	path string
}

type cachedColl struct {
	elems []cty.Value
	names []string
	ok    bool
}

// elements evaluates the collection of a for expression, which must be a
// list or tuple of plain strings, into its elements as values and as
// strings.
func (c *listCache) elements(expr hclsyntax.Expression, ctx *hcl.EvalContext) ([]cty.Value, []string, bool) {
	var key collKey
	if t, isTraversal := expr.(*hclsyntax.ScopeTraversalExpr); isTraversal && c != nil {
		key = collKey{ctx, traversalPath(t.Traversal)}
		if got, hit := c.colls[key]; hit && key.path != "" {
			return got.elems, got.names, got.ok
		}
	}
	v, diags := expr.Value(ctx)
	var got cachedColl
	if !diags.HasErrors() {
		got.elems, got.ok = plainStrings(v)
	}
	if got.ok {
		got.names = make([]string, len(got.elems))
		for i, e := range got.elems {
			got.names[i] = e.AsString()
		}
	}
	if key.path != "" {
		if c.colls == nil {
			c.colls = map[collKey]cachedColl{}
		}
		c.colls[key] = got
	}
	return got.elems, got.names, got.ok
}

// traversalPath is t as written, if it is only names (var.s3_buckets), or
// "".
func traversalPath(t hcl.Traversal) string {
	var b strings.Builder
	for _, step := range t {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString(".")
			b.WriteString(s.Name)
		default:
			return ""
		}
	}
	return b.String()
}

// get returns a copy, which its reader may change.
func (c *listCache) get(sig string, elems []string) ([]string, bool) {
	if c == nil {
		return nil, false
	}
	for _, l := range c.lists[sig] {
		if slices.Equal(l.elems, elems) {
			return slices.Clone(l.out), true
		}
	}
	return nil, false
}

func (c *listCache) put(sig string, elems, out []string) {
	if c == nil {
		return
	}
	if c.lists == nil {
		c.lists = map[string][]cachedList{}
	}
	c.lists[sig] = append(c.lists[sig], cachedList{elems, slices.Clone(out)})
}

// elemFunc is a compiled expression: its value for one element.
type elemFunc func(elem cty.Value) (cty.Value, bool)

// compileElem compiles expr, in which name is the element, or reports
// that it cannot.
// Each step is written to sig, and each value the element does not
// change, as Go syntax.
func compileElem(expr hclsyntax.Expression, name string, ctx *hcl.EvalContext, sig *strings.Builder) (elemFunc, bool) {
	if !namesVar(expr, name) {
		// Only strings: hcl would convert anything else in a template or
		// as an argument (all parameters are strings).
		v, diags := expr.Value(ctx)
		if diags.HasErrors() || !plainString(v) {
			return nil, false
		}
		sig.WriteString(" ")
		sig.WriteString(strconv.Quote(v.AsString()))
		return func(cty.Value) (cty.Value, bool) { return v, true }, true
	}
	switch e := expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if len(e.Traversal) != 1 {
			return nil, false
		}
		sig.WriteString(" element")
		return func(elem cty.Value) (cty.Value, bool) { return elem, true }, true
	case *hclsyntax.TemplateWrapExpr:
		return compileElem(e.Wrapped, name, ctx, sig)
	case *hclsyntax.TemplateExpr:
		return compileTemplate(e, name, ctx, sig)
	case *hclsyntax.FunctionCallExpr:
		return compileCall(e, name, ctx, sig)
	}
	return nil, false
}

// compileTemplate joins the parts as hcl's TemplateExpr does; each part
// must be a plain string (hcl converts other types, which this leaves to
// hcl), and cty.StringVal normalizes the result as it does there.
func compileTemplate(e *hclsyntax.TemplateExpr, name string, ctx *hcl.EvalContext, sig *strings.Builder) (elemFunc, bool) {
	sig.WriteString(" template(")
	parts := make([]elemFunc, len(e.Parts))
	for i, p := range e.Parts {
		var ok bool
		if parts[i], ok = compileElem(p, name, ctx, sig); !ok {
			return nil, false
		}
	}
	sig.WriteString(" )")
	var buf []byte // reused: string(buf) copies
	return func(elem cty.Value) (cty.Value, bool) {
		buf = buf[:0]
		for _, p := range parts {
			v, ok := p(elem)
			if !ok || !plainString(v) {
				return cty.NilVal, false
			}
			buf = append(buf, v.AsString()...)
		}
		return cty.StringVal(string(buf)), true
	}, true
}

// compileCall calls a function whose parameters are all strings (so hcl
// converts nothing) with the arguments' values, as hcl's FunctionCallExpr
// does.
func compileCall(e *hclsyntax.FunctionCallExpr, name string, ctx *hcl.EvalContext, sig *strings.Builder) (elemFunc, bool) {
	f, exists := ctx.Functions[e.Name]
	if !exists || e.ExpandFinal || f.VarParam() != nil || len(f.Params()) != len(e.Args) {
		return nil, false
	}
	for _, p := range f.Params() {
		if !p.Type.Equals(cty.String) {
			return nil, false
		}
	}
	// The function itself, not only its name, is part of the steps: two
	// contexts sharing a cache may bind a name to different functions.
	sig.WriteString(" call ")
	sig.WriteString(e.Name)
	sig.WriteString("#")
	sig.WriteString(strconv.Itoa(functionID(f)))
	sig.WriteString("(")
	args := make([]elemFunc, len(e.Args))
	for i, a := range e.Args {
		var ok bool
		if args[i], ok = compileElem(a, name, ctx, sig); !ok {
			return nil, false
		}
	}
	sig.WriteString(" )")
	vals := make([]cty.Value, len(args)) // reused: functions of strings returning a string keep no argument
	return func(elem cty.Value) (cty.Value, bool) {
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

// namesVar reports whether expr reads the variable name; it walks the
// expressions forStrings compiles itself, as hclsyntax.Variables allocates.
func namesVar(expr hclsyntax.Expression, name string) bool {
	switch e := expr.(type) {
	case *hclsyntax.LiteralValueExpr:
		return false
	case *hclsyntax.ScopeTraversalExpr:
		return e.Traversal.RootName() == name
	case *hclsyntax.TemplateWrapExpr:
		return namesVar(e.Wrapped, name)
	case *hclsyntax.TemplateExpr:
		return slices.ContainsFunc(e.Parts, func(p hclsyntax.Expression) bool { return namesVar(p, name) })
	case *hclsyntax.FunctionCallExpr:
		return slices.ContainsFunc(e.Args, func(a hclsyntax.Expression) bool { return namesVar(a, name) })
	}
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

// functionIDs numbers each function compileCall has seen, for the
// lists' cache keys: function.Function is comparable (a pointer to its
// spec), so equal values are the same function.
var (
	functionIDs   sync.Map // function.Function → int
	functionCount atomic.Int64
)

func functionID(f function.Function) int {
	if id, ok := functionIDs.Load(f); ok {
		return id.(int)
	}
	id, _ := functionIDs.LoadOrStore(f, int(functionCount.Add(1)))
	return id.(int)
}

// sameFunction reports whether f is g: function.Function is a pointer to
// its spec, so equal values are the same function.
func sameFunction(f, g function.Function) bool {
	return f == g
}
