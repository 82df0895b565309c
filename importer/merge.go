package importer

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/schema"
)

// Merge puts the environment into an existing spec: it replaces the
// environment block of the same name in place, or appends it. Everything
// else, comments included, stays as it was. The merged spec must parse as
// a spec; the diagnostics say why not.
func Merge(filename string, src []byte, res *Result) ([]byte, hcl.Diagnostics) {
	f, diags := hclwrite.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	body := f.Body()
	// The spec's catalog is every environment's: it must be the import's.
	have, rng, d := specCatalog(filename, src)
	if d.HasErrors() {
		return nil, d
	}
	want := cmp.Or(res.spec.Catalog, schema.CatalogGuide)
	if want != have && !(rng == nil && len(body.Blocks()) == 0) {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Spec of another catalog",
			Detail:   fmt.Sprintf("%s uses catalog %q, and the roles were imported with %q; every environment of a spec uses the spec's catalog. Import into another spec with -o.", filename, have, want),
			Subject:  rng,
		}}
	} else if want != schema.CatalogGuide && rng == nil {
		body.SetAttributeValue("catalog", cty.StringVal(want))
	}
	var old *hclwrite.Block
	for _, b := range body.Blocks() {
		if b.Type() == "environment" && len(b.Labels()) == 1 && b.Labels()[0] == res.spec.Name {
			old = b
		}
	}
	if old == nil {
		body.AppendNewline()
		res.spec.block(body)
	} else {
		// The new block's body in place of the old one's, so that the
		// block keeps its place among the others.
		scratch := hclwrite.NewEmptyFile()
		fresh := res.spec.block(scratch.Body())
		old.Body().Clear() // also the newline after "{"
		old.Body().AppendNewline()
		old.Body().AppendUnstructuredTokens(fresh.Body().BuildTokens(nil))
	}
	out := hclwrite.Format(f.Bytes())
	if _, diags := schema.Parse(hclparse.NewParser(), filename, out); diags.HasErrors() {
		return nil, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Merged spec is not valid",
			Detail:   fmt.Sprintf("Adding environment %q to %s would make the spec invalid (above); %s was not changed.", res.spec.Name, filename, filename),
		})
	}
	return out, nil
}

// specCatalog is the catalog a spec names (the default when it names
// none) and where, nil when it names none.
func specCatalog(filename string, src []byte) (string, *hcl.Range, hcl.Diagnostics) {
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return "", nil, diags
	}
	attrs, _ := f.Body.JustAttributes()
	a := attrs["catalog"]
	if a == nil {
		return schema.CatalogGuide, nil, nil
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return "", nil, diags
	}
	if v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return "", nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid catalog",
			Detail: fmt.Sprintf("catalog is one of %s, as a string.", strings.Join(schema.Catalogs, ", ")), Subject: a.Expr.Range().Ptr()}}
	}
	return v.AsString(), a.Expr.Range().Ptr(), nil
}
