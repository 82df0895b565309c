package main

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil"
	"github.com/cardinalhq/lakerunner-iam/templates/internal/astgen/shapes"
)

// TestShapes proves the generator on syntax the built-in templates do not
// hold (shapes/shapes.hcl: splats, every operator, numbers, null, for
// expressions, template directives, heredocs, non-ASCII text, nested
// labelled blocks): the committed shapes/shapes_ast.go is what the
// generator writes today (-update rewrites it), and the body it builds is
// deep-equal to the parser's and shares its pointers alike.
func TestShapes(t *testing.T) {
	src, err := os.ReadFile("shapes/shapes.hcl")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("shapes")
	code, err := generate("shapes", "Package shapes is astgen's output for shapes.hcl, which TestShapes compares with the parser's; go test ./templates/internal/astgen -update writes it.", []string{"shapes.hcl"})
	if err != nil {
		t.Fatal(err)
	}
	const generated = "shapes_ast.go"
	if *testutil.Update {
		if err := os.WriteFile(generated, code, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	committed, err := os.ReadFile(generated)
	if err != nil {
		t.Fatal(err)
	}
	if string(committed) != string(code) {
		t.Fatalf("%s is not what the generator writes today: run go test ./templates/internal/astgen -update", filepath.Join("shapes", generated))
	}

	const filename = "templates/shapes.hcl"
	want, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	got := shapes.Body(filename, src)
	if got == nil {
		t.Fatal("no body for shapes.hcl: run go test ./templates/internal/astgen -update")
	}
	if !reflect.DeepEqual(got, want.Body) {
		t.Fatal("the generated body differs from the parser's")
	}
	if g, w := testutil.PointerShape(reflect.ValueOf(got)), testutil.PointerShape(reflect.ValueOf(want.Body)); !slices.Equal(g, w) {
		t.Fatalf("the generated body shares pointers differently from the parser's (%d vs %d pointers)", len(g), len(w))
	}
	if shapes.Body(filename, append(slices.Clone(src), '\n')) != nil {
		t.Error("a source edited since it was generated still gets the generated body")
	}
}
