package pipeline_test

import (
	"testing"

	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// TestAdoptOption checks that Options.Adopt (gen --adopt) adopts in every
// environment, as adopt = true in each would, and only then.
func TestAdoptOption(t *testing.T) {
	const spec = "../testdata/specs/full.hcl" // adopt is not set
	for _, adopt := range []bool{false, true} {
		res, diags := pipeline.Generate(spec, pipeline.Options{OutDir: t.TempDir(), Adopt: adopt})
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		imports := map[string]bool{}
		for _, f := range res.Files {
			imports[f.Path] = true
		}
		for _, e := range res.Model.Environments {
			if got := imports[e.Spec.Name+"/imports.tf"]; got != adopt {
				t.Errorf("Adopt: %v: %s/imports.tf generated: %v", adopt, e.Spec.Name, got)
			}
		}
	}
}
