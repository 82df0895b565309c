package schema_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// badSpecs lists testdata/badspecs/*.hcl and *.hcl.json.
func badSpecs(t testing.TB) []string {
	t.Helper()
	hcl, err := filepath.Glob("../testdata/badspecs/*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	json, err := filepath.Glob("../testdata/badspecs/*.hcl.json")
	if err != nil {
		t.Fatal(err)
	}
	return append(hcl, json...)
}

// TestBadSpecDiagnosticsPointIntoTheSpec checks what the CLI's golden
// files cannot: every error of every bad spec, whichever stage finds it
// (parsing, decoding, validation or the generator's IAM limits), names a
// place in the spec itself, with a summary and a detail that says what
// to do. The CLI test (cmd/lakerunner-iam TestBadSpecs) pins the text.
func TestBadSpecDiagnosticsPointIntoTheSpec(t *testing.T) {
	specs := badSpecs(t)
	if len(specs) < 80 {
		t.Fatalf("found %d bad specs, want at least 80", len(specs))
	}
	for _, spec := range specs {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			// Generate, not Load: gen also refuses lint errors.
			res, diags := pipeline.Generate(spec, pipeline.Options{})
			model, parser := res.Model, res.Parser
			if !diags.HasErrors() {
				t.Fatalf("no error; the spec is meant to be invalid")
			}
			if model != nil {
				t.Error("a model was built from an invalid spec")
			}
			// Source refused before parsing (too deep, a value too long)
			// is not in the parser, so that no snippet prints it whole:
			// its diagnostics are checked against the file itself.
			files := map[string][]byte{}
			for _, d := range diags {
				if d.Subject == nil {
					continue
				}
				if f := parser.Files()[d.Subject.Filename]; f != nil {
					files[d.Subject.Filename] = f.Bytes
				} else if b, err := os.ReadFile(d.Subject.Filename); err == nil {
					files[d.Subject.Filename] = b
				}
			}
			// A diagnostic points into the spec, or into a template of
			// the spec's own templates_dir beside it.
			inSpec := func(name string) bool {
				rel, err := filepath.Rel(filepath.Dir(spec), name)
				return name == spec || err == nil && strings.HasPrefix(rel, "templates-")
			}
			for _, d := range diags {
				if d.Severity != hcl.DiagError {
					continue
				}
				if d.Summary == "" || len(strings.Fields(d.Detail)) < 5 {
					t.Errorf("%q: summary or detail missing or too short: %q", d.Summary, d.Detail)
				}
				switch {
				case d.Subject == nil:
					t.Errorf("%q has no source position", d.Summary)
				case !inSpec(d.Subject.Filename):
					t.Errorf("%q points into %s, not the spec", d.Summary, d.Subject.Filename)
				default:
					src := files[d.Subject.Filename]
					lines := bytes.Count(src, []byte("\n")) + 1
					if d.Subject.Start.Line < 1 || d.Subject.Start.Line > lines || d.Subject.Start.Column < 1 ||
						d.Subject.End.Byte < d.Subject.Start.Byte || d.Subject.End.Byte > len(src) {
						t.Errorf("%q points outside %s: %s", d.Summary, d.Subject.Filename, d.Subject)
					}
				}
			}
		})
	}
}
