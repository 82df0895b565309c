package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

func init() {
	register("gen", "Generate the Terraform modules for a spec", runGen)
}

const defaultSpec = "lakerunner.hcl"

func runGen(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("gen", "[SPEC]",
		"Generates out/modules/<role-kind>/ and one root module per environment, out/<environment>/,\nfrom SPEC (default "+defaultSpec+"). Nothing is written unless the whole spec is valid.", stderr)
	out := fs.StringP("out", "o", "out", "Output directory")
	force := fs.Bool("force", false, "Overwrite or remove generated files that were edited by hand")
	if code, done := fs.parse(args, stdout); done {
		return code
	}
	spec, ok := specArg(fs, stderr)
	if !ok {
		return exitUsage
	}

	model, parser, diags := load(spec)
	printDiags(stderr, parser, diags)
	if diags.HasErrors() {
		return exitInvalid
	}
	files := generator.Render(model, specName(spec, *out))
	changes, err := generator.WriteTree(*out, files, generator.WriteOptions{Force: *force})
	var conflicts *generator.ErrConflicts
	if errors.As(err, &conflicts) {
		fmt.Fprintf(stderr, "lakerunner-iam gen: nothing written.\n%s\n", conflicts)
		return exitInvalid
	}
	if err != nil {
		fmt.Fprintf(stderr, "lakerunner-iam gen: %s\n", err)
		return exitInvalid
	}
	summarize(stdout, *out, changes)
	return exitOK
}

// specArg returns the SPEC argument or its default.
func specArg(fs *flagSet, stderr io.Writer) (string, bool) {
	switch fs.NArg() {
	case 0:
		return defaultSpec, true
	case 1:
		return fs.Arg(0), true
	}
	fmt.Fprintf(stderr, "lakerunner-iam %s: takes at most one SPEC, got %d arguments\n", fs.Name(), fs.NArg())
	return "", false
}

// load reads the built-in catalog and the spec with one parser, so that
// diagnostics can show snippets of either, and evaluates them.
func load(specPath string) (*generator.Model, *hclparse.Parser, hcl.Diagnostics) {
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

// specName is how generated headers name the spec: relative to the output
// directory's parent (usually the repository root), so the output is the
// same whatever directory gen runs from.
func specName(spec, out string) string {
	absSpec, err1 := filepath.Abs(spec)
	absOut, err2 := filepath.Abs(out)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(filepath.Dir(absOut), absSpec); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.Base(spec)
}

func summarize(w io.Writer, out string, changes []generator.Change) {
	counts := map[generator.ChangeKind]int{}
	for _, c := range changes {
		counts[c.Kind]++
	}
	fmt.Fprintf(w, "%s: %d created, %d updated, %d removed, %d unchanged.\n", out,
		counts[generator.Missing], counts[generator.Stale]+counts[generator.HandEdit], counts[generator.Extra], counts[generator.Unchanged])
}
