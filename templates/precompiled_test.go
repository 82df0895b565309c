package templates

import (
	"bytes"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/cardinalhq/lakerunner-iam/diag"
	"github.com/cardinalhq/lakerunner-iam/internal/testutil"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates/internal/builtinast"
)

const regenerate = "run `go generate ./templates` (or make gen) after editing a built-in template"

// builtinNames lists the embedded templates of both catalogs, as named
// in the embedded FS (tiers/ for the tiers catalog's).
func builtinNames(t *testing.T) []string {
	t.Helper()
	var names []string
	for _, pattern := range []string{"*.hcl", "tiers/*.hcl"} {
		m, err := fs.Glob(builtin, pattern)
		if err != nil || len(m) == 0 {
			t.Fatalf("%s: %d files, %v", pattern, len(m), err)
		}
		names = append(names, m...)
	}
	return names
}

// TestPrecompiledBodies: for every built-in template, the body
// internal/builtinast builds is the one hclsyntax.ParseConfig returns for its
// embedded source under the name load gives it, field for field,
// unexported ones included (reflect.DeepEqual: nothing is excluded), and
// its pointers are shared as the parser's are (a splat's Item is the
// symbol inside its Each).
func TestPrecompiledBodies(t *testing.T) {
	for _, name := range builtinNames(t) {
		t.Run(name, func(t *testing.T) {
			src, err := fs.ReadFile(builtin, name)
			if err != nil {
				t.Fatal(err)
			}
			filename := "templates/" + name // builtinOrigin's names
			want, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
			if len(diags) > 0 { // a warning too: the precompiled body would drop it
				t.Fatal(diags)
			}
			got := builtinast.Body(filename, src)
			if got == nil {
				t.Fatalf("internal/builtinast has no body for this source: %s", regenerate)
			}
			if !reflect.DeepEqual(got, want.Body) {
				t.Fatalf("the precompiled body differs from the parser's: %s", regenerate)
			}
			if g, w := testutil.PointerShape(reflect.ValueOf(got)), testutil.PointerShape(reflect.ValueOf(want.Body)); !slices.Equal(g, w) {
				t.Fatalf("the precompiled body shares pointers differently from the parser's (%d vs %d pointers): %s", len(g), len(w), regenerate)
			}
		})
	}
}

// TestLoadUsesPrecompiled: the built-in catalogs are read from their
// precompiled bodies; a built-in file whose source no longer matches its
// body (edited, not regenerated) is parsed, and loads the same; a team's
// directory is always parsed.
func TestLoadUsesPrecompiled(t *testing.T) {
	src, err := fs.ReadFile(builtin, "02-data-task.hcl")
	if err != nil {
		t.Fatal(err)
	}
	edited := append(slices.Clone(src), "\n# edited\n"...)
	for _, c := range []struct {
		name       string
		load       func(*hclparse.Parser) (*Catalog, hcl.Diagnostics)
		file       string
		precompile bool
	}{
		{"console guide", func(p *hclparse.Parser) (*Catalog, hcl.Diagnostics) { return LoadBuiltin(schema.CatalogGuide, p) }, "templates/02-data-task.hcl", true},
		{"tiers", func(p *hclparse.Parser) (*Catalog, hcl.Diagnostics) { return LoadBuiltin(schema.CatalogTiers, p) }, "templates/tiers/02-process-task.hcl", true},
		{"stale", func(p *hclparse.Parser) (*Catalog, hcl.Diagnostics) {
			return load(fstest.MapFS{"02-data-task.hcl": {Data: edited}}, builtinOrigin("templates"), p)
		}, "templates/02-data-task.hcl", false},
		{"team directory", func(p *hclparse.Parser) (*Catalog, hcl.Diagnostics) {
			return Load(fstest.MapFS{"02-data-task.hcl": {Data: src}}, p)
		}, "templates/02-data-task.hcl", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			parser := hclparse.NewParser()
			cat, diags := c.load(parser)
			if diags.HasErrors() || len(cat.Roles) == 0 {
				t.Fatalf("%d roles, %v", len(cat.Roles), diags)
			}
			f := parser.Files()[c.file]
			if f == nil {
				t.Fatalf("the parser has no %s", c.file)
			}
			if _, lazy := f.Nav.(*lazyNav); lazy != c.precompile {
				t.Errorf("%s precompiled: %v, want %v", c.file, lazy, c.precompile)
			}
		})
	}
}

// TestPrecompiledDiagnostics: a diagnostic about a built-in template
// prints exactly as when the template was parsed, with the role it is in.
func TestPrecompiledDiagnostics(t *testing.T) {
	const filename = "templates/02-data-task.hcl"
	parser := hclparse.NewParser()
	cat, diags := LoadBuiltin(schema.CatalogGuide, parser)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	role := cat.Role("data-task")
	parsed, diags := hclsyntax.ParseConfig(cat.Sources[filename], filename, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	d := hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Something", Detail: "About the policy's name.", Subject: role.Policy.Name.Expr.Range().Ptr()}}
	var got, want bytes.Buffer
	if err := diag.Write(&got, d, diag.Options{Files: parser.Files()}); err != nil {
		t.Fatal(err)
	}
	if err := diag.Write(&want, d, diag.Options{Files: map[string]*hcl.File{filename: parsed}}); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() || !strings.Contains(got.String(), `in role "data-task"`) {
		t.Errorf("printed with the precompiled body:\n%s\nwant, as parsed (with the role):\n%s", &got, &want)
	}
	if _, lazy := parser.Files()[filename].Nav.(*lazyNav); !lazy {
		t.Errorf("%s was parsed, not precompiled", filename)
	}
}
