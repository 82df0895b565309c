package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
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

	res, diags := pipeline.Generate(spec, pipeline.Options{OutDir: *out})
	printDiags(stderr, res.Parser, diags)
	if diags.HasErrors() {
		return exitInvalid
	}
	changes, err := generator.WriteTree(*out, res.Files, generator.WriteOptions{Force: *force})
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

func summarize(w io.Writer, out string, changes []generator.Change) {
	counts := map[generator.ChangeKind]int{}
	for _, c := range changes {
		counts[c.Kind]++
	}
	fmt.Fprintf(w, "%s: %d created, %d updated, %d removed, %d unchanged.\n", out,
		counts[generator.Missing], counts[generator.Stale]+counts[generator.HandEdit], counts[generator.Extra], counts[generator.Unchanged])
}
