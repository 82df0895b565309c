package generator_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// TestGeneratedHCLIsFormatted checks that every HCL file generated for
// every test and example spec is canonically formatted: the emitters
// format their own tokens instead of re-lexing the text, and
// hclwrite.Format (what `terraform fmt` does) is the reference.
func TestGeneratedHCLIsFormatted(t *testing.T) {
	var specs []string
	for _, pattern := range []string{"../testdata/specs/*.hcl", "../testdata/specs/*.hcl.json", "../examples/*.hcl"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, m...)
	}
	if len(specs) < 10 {
		t.Fatalf("found only %d specs", len(specs))
	}
	for _, spec := range specs {
		t.Run(spec, func(t *testing.T) {
			t.Parallel()
			res, diags := pipeline.Generate(spec, pipeline.Options{OutDir: filepath.Join(t.TempDir(), "out")})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			checked := 0
			for _, f := range res.Files {
				if !strings.HasSuffix(f.Path, ".tf") && !strings.HasSuffix(f.Path, ".tftest.hcl") {
					continue
				}
				checked++
				if want := hclwrite.Format(f.Content); !bytes.Equal(f.Content, want) {
					t.Errorf("%s is not formatted; hclwrite.Format gives:\n%s", f.Path, want)
				}
			}
			if checked == 0 {
				t.Error("generated no HCL files")
			}
		})
	}
}
