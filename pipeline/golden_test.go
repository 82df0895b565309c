package pipeline_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/internal/tfenv"
	"github.com/cardinalhq/lakerunner-iam/outtree"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

const (
	specsDir  = "../testdata/specs"
	goldenDir = "../testdata/golden"
)

// testSpecs lists the test specs by name.
func testSpecs(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(specsDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".hcl") {
			names = append(names, e.Name())
		}
	}
	if len(names) < 4 {
		t.Fatalf("found %d test specs in %s", len(names), specsDir)
	}
	return names
}

func generate(t testing.TB, spec, out string) []generator.File {
	t.Helper()
	res, diags := pipeline.Generate(spec, pipeline.Options{OutDir: out})
	if diags.HasErrors() {
		t.Fatalf("%s: %s", spec, diags.Error())
	}
	return res.Files
}

// assertTree fails unless dir holds exactly files (as far as generated
// files go), naming each file that differs.
// assertTree fails for every file of dir that differs from files, planned
// as the spec that wrote them, so a difference reads "stale" or "missing".
func assertTree(t *testing.T, spec, dir string, files []generator.File, fix string) {
	t.Helper()
	changes, err := outtree.Plan(dir, files, outtree.Options{Spec: spec})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.Kind != outtree.Unchanged {
			t.Errorf("%s/%s is %s; %s", dir, c.Path, c.Kind, fix)
		}
	}
}

// TestGolden compares every generated file of every test spec with its
// golden copy under testdata/golden/<spec>/.
func TestGolden(t *testing.T) {
	for _, name := range testSpecs(t) {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(goldenDir, strings.TrimSuffix(name, ".hcl"))
			spec := filepath.Join(specsDir, name)
			files := generate(t, spec, dir)
			if *testutil.Update {
				if _, err := outtree.WriteTree(dir, files, outtree.Options{Spec: spec, Force: true}); err != nil {
					t.Fatal(err)
				}
			}
			assertTree(t, spec, dir, files, "run `make golden` and review the diff")
		})
	}
}

// TestCommittedOutput fails when out/ differs from what `make gen` writes
// for the example spec.
func TestCommittedOutput(t *testing.T) {
	files := generate(t, "../examples/lakerunner.hcl", "../out")
	assertTree(t, "../examples/lakerunner.hcl", "../out", files, "run `make gen` and commit out/")
}

// TestDeterministic generates each spec twice and expects the same bytes.
func TestDeterministic(t *testing.T) {
	specs := append(testSpecs(t), "../../examples/lakerunner.hcl")
	for _, name := range specs {
		spec := filepath.Join(specsDir, name)
		a := generate(t, spec, "out")
		b := generate(t, spec, "out")
		if len(a) != len(b) {
			t.Fatalf("%s: %d files, then %d", name, len(a), len(b))
		}
		for i := range a {
			if a[i].Path != b[i].Path || !bytes.Equal(a[i].Content, b[i].Content) {
				t.Errorf("%s: %s differs between two runs", name, a[i].Path)
			}
		}
	}
}

// TestJSONForm checks that the JSON form of a spec generates what its HCL
// form does; only the header line naming the spec differs.
func TestJSONForm(t *testing.T) {
	hcl := generate(t, filepath.Join(specsDir, "fargate-minimal.hcl"), "out")
	json := generate(t, filepath.Join(specsDir, "fargate-minimal.hcl.json"), "out")
	if len(hcl) != len(json) {
		t.Fatalf("HCL form gives %d files, JSON form %d", len(hcl), len(json))
	}
	body := func(b []byte) []byte { return b[bytes.IndexByte(b, '\n'):] }
	for i := range hcl {
		if hcl[i].Path != json[i].Path || !bytes.Equal(body(hcl[i].Content), body(json[i].Content)) {
			t.Errorf("%s differs between the HCL and the JSON form", hcl[i].Path)
		}
	}
}

// TestTerraformFmt runs `terraform fmt -check` over out/ and every golden
// tree. Validity is the e2e suite's: it plans (which validates, and fails
// on any warning) the roots of the example, whose output is out/ (TestGolden
// compares them), and of the test specs.
func TestTerraformFmt(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform; skipped with -short")
	}
	tools := tfenv.RequireOrSkip(t)
	ctx := context.Background()
	// One fmt over testdata/golden, which holds exactly the trees of the
	// test specs and of exampleGoldens (TestGolden and TestGoldenExamples
	// compare them), instead of one terraform start per tree.
	for _, dir := range []string{"../out", goldenDir} {
		tf, err := tools.NewTerraform(dir)
		if err != nil {
			t.Fatal(err)
		}
		ok, unformatted, err := tf.FormatCheck(ctx, tfexec.Recursive(true))
		if err != nil {
			t.Fatalf("terraform fmt -check in %s: %v", dir, err)
		}
		if !ok {
			t.Errorf("terraform fmt would change in %s: %v", dir, unformatted)
		}
	}
}
