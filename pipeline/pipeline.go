// Package pipeline is lakerunner-iam's whole job in one call: load the role
// catalog and a spec, evaluate them, and render every output file. The CLI
// and the tests go through it, so they produce the same bytes.
package pipeline

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/kecs"
	"github.com/cardinalhq/lakerunner-iam/lint"
	"github.com/cardinalhq/lakerunner-iam/moddocs"
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

// Options tune Load and Generate.
type Options struct {
	// OutDir is where the files will go; headers name the spec relative
	// to its parent, so output is the same from any working directory.
	OutDir string
	// Adopt turns adoption on for every environment, as adopt = true in
	// each would (gen --adopt): out/<env>/imports.tf imports the roles.
	// It is an input of the model (generator.Options), not a change to it.
	Adopt bool
	// Templates is a directory of role templates (gen --templates) that
	// add role kinds or replace built-in ones; it takes the place of the
	// spec's templates_dir. Relative to the working directory.
	Templates string
}

// Load reads a spec and its role catalog and evaluates them, with the
// spec's own templates_dir (see Options.Load).
func Load(specPath string) (*generator.Model, *hclparse.Parser, hcl.Diagnostics) {
	return Options{}.Load(specPath)
}

// Load reads the spec first, for its templates_dir; then the built-in
// catalog and the custom templates (o.Templates, else templates_dir
// relative to the spec file), where a template of a built-in kind replaces
// it. One parser reads everything, so diagnostics can show snippets of the
// spec and of every template.
func (o Options) Load(specPath string) (*generator.Model, *hclparse.Parser, hcl.Diagnostics) {
	parser := hclparse.NewParser()
	src, err := schema.ReadFile(specPath, schema.MaxSpecBytes)
	if err != nil {
		return nil, parser, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read spec file",
			Detail:   fmt.Sprintf("%s. Pass the path of a Lakerunner spec, e.g. examples/lakerunner.hcl.", err),
		}}
	}
	spec, diags := schema.Parse(parser, specPath, src)
	if diags.HasErrors() {
		return nil, parser, diags
	}
	cat, d := o.catalog(parser, spec, specPath)
	diags = append(diags, d...)
	if diags.HasErrors() {
		return nil, parser, diags
	}
	model, d := generator.Build(spec, cat, generator.Options{Adopt: o.Adopt})
	return model, parser, append(diags, d...)
}

// catalog loads the built-in templates and, when a templates directory is
// set, the team's own over them.
func (o Options) catalog(parser *hclparse.Parser, spec *schema.Spec, specPath string) (*templates.Catalog, hcl.Diagnostics) {
	cat, diags := templates.LoadBuiltin(spec.Catalog, parser)
	if diags.HasErrors() {
		return nil, diags
	}
	dir, where := o.Templates, "--templates names it relative to the working directory."
	var subject *hcl.Range
	if dir == "" && spec.TemplatesDir != "" {
		dir, where = spec.TemplatesDir, "templates_dir names it relative to the spec file."
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(filepath.Dir(specPath), dir)
		}
		subject = schema.Pos{Body: spec.Body}.Attr("templates_dir").Ptr()
	}
	if dir == "" {
		return cat, diags
	}
	custom, d := templates.LoadDir(dir, parser)
	for _, diag := range d {
		if diag.Subject == nil { // about the directory itself: point at where it was named
			diag.Subject = subject
			diag.Detail += " " + where
		}
	}
	diags = append(diags, d...)
	if diags.HasErrors() {
		return nil, diags
	}
	return cat.With(custom), diags
}

// Generate loads the spec and renders every file, sorted by path. Lint
// findings of severity error (an unknown action, a role anyone may assume)
// refuse the spec as its errors do, unless the spec accepts them.
func Generate(specPath string, opts Options) (*Result, hcl.Diagnostics) {
	model, parser, diags := opts.Load(specPath)
	res := &Result{Model: model, Parser: parser}
	if diags.HasErrors() {
		return res, diags
	}
	if d := lint.Errors(model); d.HasErrors() {
		schema.SortDiagnostics(d)
		res.Model = nil
		return res, append(diags, d...)
	}
	name, err := SpecName(specPath, opts.OutDir)
	if err != nil {
		return res, append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Cannot name the spec in generated headers",
			Detail:   fmt.Sprintf("Headers name the spec relative to the output directory's parent: %s. Run from a directory that exists, with paths on one volume.", err),
		})
	}
	res.Files = Render(model, name)
	return res, diags
}

// An Emitter writes files from a model; it reads nothing else.
type Emitter func(m *generator.Model, specName string) []generator.File

// emitters are every output of the pipeline, each a kind of file.
var emitters = []Emitter{
	generator.ModuleFiles,  // modules/<kind>/*.tf
	generator.RootFiles,    // <env>/{main,variables,outputs,versions}.tf
	generator.BackendFiles, // <env>/backend.tf of environments with a backend block
	generator.ImportFiles,  // <env>/imports.tf of environments that adopt
	kecs.Render,            // <env>/kecs/ of environments with a kecs block
	generator.EKSFiles,     // <env>/helm/ or <env>/kubernetes/ of EKS environments
	moddocs.Docs,           // module and environment READMEs
	moddocs.Tests,          // modules/<kind>/tests/<kind>.tftest.hcl
}

// Render renders every emitter's files of the model, sorted by path. The
// emitters run at once: they only read the model.
func Render(m *generator.Model, specName string) []generator.File {
	sets := make([][]generator.File, len(emitters))
	var wg sync.WaitGroup
	for i, emit := range emitters {
		wg.Go(func() { sets[i] = emit(m, specName) })
	}
	wg.Wait()
	files := slices.Concat(sets...)
	slices.SortFunc(files, func(a, b generator.File) int { return strings.Compare(a.Path, b.Path) })
	return files
}

// SpecName is how generated headers name the spec: relative to the output
// directory's parent (usually the repository root). It fails rather than
// fall back to another name: headers that named the spec differently from
// one run to the next would make gen --check report stale files.
func SpecName(spec, out string) (string, error) {
	if out == "" {
		out = "out"
	}
	absSpec, err := filepath.Abs(spec)
	if err != nil {
		return "", err
	}
	absOut, err := filepath.Abs(out)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(filepath.Dir(absOut), absSpec)
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(rel), nil
}
