package schema

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// decodeBody decodes a spec body with gohcl through decodingBody, which
// locates and explains missing arguments and keeps long lists linear.
func decodeBody(file *hcl.File, spec *Spec) hcl.Diagnostics {
	body := &decodingBody{Body: file.Body, def: file.Body.MissingItemRange()}
	return explainDecodeDiags(file, gohcl.DecodeBody(body, nil, spec))
}

// decodingBody wraps a body for gohcl. It checks required arguments itself,
// so that a missing one is reported at its block with a hint on how to
// write it (hcl's own diagnostic points at the opening brace and names the
// argument only in prose). Its attributes' values are lists where hcl gives
// tuples: cty converts a tuple to a list by unifying every pair of element
// types, which takes seconds for a list of 16,000 bucket names.
type decodingBody struct {
	hcl.Body
	def hcl.Range // the block's header, where a missing argument is reported
}

func (b *decodingBody) Content(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Diagnostics) {
	c, diags := b.Body.Content(optional(s))
	return b.wrap(c, s, diags)
}

func (b *decodingBody) PartialContent(s *hcl.BodySchema) (*hcl.BodyContent, hcl.Body, hcl.Diagnostics) {
	c, remain, diags := b.Body.PartialContent(optional(s))
	c, diags = b.wrap(c, s, diags)
	return c, &decodingBody{Body: remain, def: b.def}, diags
}

func (b *decodingBody) JustAttributes() (hcl.Attributes, hcl.Diagnostics) {
	attrs, diags := b.Body.JustAttributes()
	return wrapAttrs(attrs), diags
}

// optional is s without required attributes; wrap reports those.
func optional(s *hcl.BodySchema) *hcl.BodySchema {
	out := &hcl.BodySchema{Blocks: s.Blocks}
	for _, a := range s.Attributes {
		out.Attributes = append(out.Attributes, hcl.AttributeSchema{Name: a.Name})
	}
	return out
}

func (b *decodingBody) wrap(c *hcl.BodyContent, s *hcl.BodySchema, diags hcl.Diagnostics) (*hcl.BodyContent, hcl.Diagnostics) {
	if c == nil {
		return c, diags
	}
	for _, a := range s.Attributes {
		if _, ok := c.Attributes[a.Name]; a.Required && !ok {
			detail := fmt.Sprintf("The argument %q is required, but no definition was found.", a.Name)
			if h := requiredHints[a.Name]; h != "" {
				detail += " " + h
			}
			diags = append(diags, errorAt(b.def, "Missing required argument", detail))
		}
	}
	c.Attributes = wrapAttrs(c.Attributes)
	blocks := make(hcl.Blocks, len(c.Blocks))
	for i, blk := range c.Blocks {
		cp := *blk
		cp.Body = &decodingBody{Body: blk.Body, def: blk.DefRange}
		blocks[i] = &cp
	}
	c.Blocks = blocks
	return c, diags
}

func wrapAttrs(attrs hcl.Attributes) hcl.Attributes {
	out := make(hcl.Attributes, len(attrs))
	for name, a := range attrs {
		cp := *a
		cp.Expr = listExpr{a.Expr}
		out[name] = &cp
	}
	return out
}

// listExpr gives a tuple whose elements all have one primitive type as a
// list of that type, which gohcl then decodes in linear time.
type listExpr struct{ hcl.Expression }

func (e listExpr) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	v, diags := e.Expression.Value(ctx)
	return TupleAsList(v), diags
}

// UnwrapExpression lets hcl.ExprList and hcl.ExprMap see the expression
// as written.
func (e listExpr) UnwrapExpression() hcl.Expression { return e.Expression }

// TupleAsList returns a known tuple whose elements are all known, non-null
// values of one primitive type as a list of that type, built in linear
// time; any other value unchanged.
func TupleAsList(v cty.Value) cty.Value {
	if !v.IsKnown() || v.IsNull() || !v.Type().IsTupleType() || v.LengthInt() == 0 {
		return v
	}
	ety := v.Type().TupleElementTypes()[0]
	if !ety.IsPrimitiveType() {
		return v
	}
	elems := make([]cty.Value, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if !e.IsKnown() || e.IsNull() || !e.Type().Equals(ety) || e.IsMarked() {
			return v
		}
		elems = append(elems, e)
	}
	return cty.ListVal(elems)
}

// requiredHints complete a "Missing required argument" with what the
// argument is and how to write it.
var requiredHints = map[string]string{
	"account_id": `Add the 12-digit AWS account the environment deploys to, as a string: account_id = "123456789012".`,
	"region":     `Add the AWS region the environment runs in: region = "us-east-1".`,
	"bucket":     `Add the S3 bucket that holds the Terraform state: bucket = "acme-terraform-state".`,
	"reason":     `Say why the finding is accepted: reason = "...". Reviewers read it.`,
	"test":       `Add the condition operator: test = "StringEquals".`,
	"variable":   `Add the condition key: variable = "aws:SourceAccount".`,
	"values":     `Add the values the key is compared with: values = ["123456789012"].`,
}

// attrTypes is the Go type of every attribute of the spec, by name (a name
// has one type wherever it appears), for saying how to write its value.
var attrTypes = func() map[string]reflect.Type {
	types := map[string]reflect.Type{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, kind, _ := strings.Cut(f.Tag.Get("hcl"), ",")
			switch kind {
			case "block":
				walk(f.Type)
			case "", "optional":
				if name != "" {
					types[name] = f.Type
				}
			}
		}
	}
	walk(reflect.TypeOf(Spec{}))
	return types
}()

// explainDecodeDiags completes gohcl's diagnostics for values of the wrong
// type, which say what is wrong but not how to write it right.
func explainDecodeDiags(file *hcl.File, diags hcl.Diagnostics) hcl.Diagnostics {
	for _, d := range diags {
		if d.Summary != "Unsuitable value type" || d.Subject == nil {
			continue
		}
		problem := strings.TrimPrefix(d.Detail, "Unsuitable value: ")
		name, null := attributeAt(file, *d.Subject)
		d.Summary = "Wrong type of value"
		if name == "" {
			d.Detail = fmt.Sprintf("This value is not suitable: %s.", problem)
			continue
		}
		d.Detail = fmt.Sprintf("The value of %s is not suitable: %s.", name, problem)
		if hint := typeHint(name, null, strings.HasSuffix(d.Subject.Filename, ".json")); hint != "" {
			d.Detail += " " + hint
		}
	}
	return diags
}

// typeHint says how to write a value of the named attribute's type.
func typeHint(name string, null, json bool) string {
	if null {
		if requiredHints[name] != "" {
			return requiredHints[name]
		}
		return "Give a value, or remove the argument to use its default."
	}
	t := attrTypes[name]
	if t == nil {
		return ""
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Bool:
		return "Write true or false, without quotes."
	case t.Kind() == reflect.Int:
		return "Write a whole number without quotes, e.g. 7200."
	case t.Kind() == reflect.Slice && json:
		return `Write a JSON array of strings, e.g. ["lakerunner-data"], even for one value.`
	case t.Kind() == reflect.Slice:
		return `Write a list of strings in brackets, e.g. ["lakerunner-data"], even for one value.`
	case t.Kind() == reflect.Map && json:
		return `Write a JSON object of strings, e.g. {"Team": "platform"}.`
	case t.Kind() == reflect.Map:
		return `Write a map of strings in braces, e.g. { Team = "platform" }.`
	case t.Kind() == reflect.String:
		return `Write a quoted string.`
	}
	return ""
}

// attributeAt names the attribute whose value is at rng and says whether
// that value is null: from the syntax tree for native syntax, from the
// context path ("environment.prod.tags") and the source for JSON.
func attributeAt(file *hcl.File, rng hcl.Range) (name string, null bool) {
	if body, ok := file.Body.(*hclsyntax.Body); ok {
		_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
			if a, ok := n.(*hclsyntax.Attribute); ok && a.Expr.Range().ContainsPos(rng.Start) {
				v, diags := a.Expr.Value(nil)
				name, null = a.Name, !diags.HasErrors() && v.IsNull()
			}
			return nil
		})
		return name, null
	}
	if cs, ok := file.Nav.(interface{ ContextString(offset int) string }); ok {
		if c := cs.ContextString(rng.Start.Byte); c != "" {
			name = c[strings.LastIndex(c, ".")+1:]
		}
	}
	if rng.Start.Byte >= 0 && rng.End.Byte <= len(file.Bytes) && rng.Start.Byte <= rng.End.Byte {
		null = string(file.Bytes[rng.Start.Byte:rng.End.Byte]) == "null"
	}
	return name, null
}
