// Package pipeline is lakerunner-iam's whole job in one call: load the role
// catalog and a spec, evaluate them, and render every output file. The CLI
// and the tests go through it, so they produce the same bytes.
package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// Result is a loaded spec and everything it renders to.
type Result struct {
	Model *generator.Model
	Files []generator.File
	// Parser holds every source read (spec and templates), for printing
	// diagnostics with snippets.
	Parser *hclparse.Parser
}

// Options tune Generate.
type Options struct {
	// OutDir is where the files will go; headers name the spec relative
	// to its parent, so output is the same from any working directory.
	OutDir string
	// Adopt turns adoption on for every environment, as adopt = true in
	// each would (gen --adopt): out/<env>/imports.tf imports the roles.
	Adopt bool
}

// Load reads the built-in catalog and the spec with one parser, so that
// diagnostics can show snippets of either, and evaluates them.
func Load(specPath string) (*generator.Model, *hclparse.Parser, hcl.Diagnostics) {
	parser := hclparse.NewParser()
	cat, diags := templates.Load(templates.BuiltinFS(), parser)
	if diags.HasErrors() {
		return nil, parser, diags
	}
	src, err := os.ReadFile(specPath)
	if err != nil {
		return nil, parser, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Cannot read spec file",
			Detail:   fmt.Sprintf("%s. Pass the path of a Lakerunner spec, e.g. examples/lakerunner.hcl.", err),
		})
	}
	spec, d := schema.Parse(parser, specPath, src)
	diags = append(diags, d...)
	if diags.HasErrors() {
		return nil, parser, diags
	}
	model, d := generator.Build(spec, cat)
	return model, parser, append(diags, d...)
}

// Generate loads the spec and renders every file, sorted by path.
func Generate(specPath string, opts Options) (*Result, hcl.Diagnostics) {
	model, parser, diags := Load(specPath)
	res := &Result{Model: model, Parser: parser}
	if diags.HasErrors() {
		return res, diags
	}
	if opts.Adopt {
		for _, e := range model.Environments {
			e.Spec.Adopt = true
		}
	}
	res.Files = Render(model, SpecName(specPath, opts.OutDir))
	return res, diags
}

// Renderer adds files for a model; see Render.
type Renderer func(m *generator.Model, specName string) []generator.File

// renderers run after the Terraform generator, in order.
var renderers []Renderer

// Register adds a renderer; packages that produce more output (Kubernetes
// manifests, module docs) register themselves from init.
func Register(r Renderer) { renderers = append(renderers, r) }

// Render renders the model's Terraform and every registered renderer's
// files, sorted by path.
func Render(m *generator.Model, specName string) []generator.File {
	files := generator.Render(m, specName)
	for _, r := range renderers {
		files = append(files, r(m, specName)...)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files
}

// SpecName is how generated headers name the spec: relative to the output
// directory's parent (usually the repository root).
func SpecName(spec, out string) string {
	if out == "" {
		out = "out"
	}
	absSpec, err1 := filepath.Abs(spec)
	absOut, err2 := filepath.Abs(out)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(filepath.Dir(absOut), absSpec); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.Base(spec)
}
