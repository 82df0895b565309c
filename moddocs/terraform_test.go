package moddocs_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/internal/tfenv"
	"github.com/cardinalhq/lakerunner-iam/moddocs"
)

// EnvAllModuleTests, when "1", makes TestModuleTerraformTests also run the
// module tests of every golden tree under testdata/golden, not only out/.
const EnvAllModuleTests = "LAKERUNNER_IAM_ALL_MODULE_TESTS"

// EnvAllMutants, when "1", makes TestModuleTerraformTests add a mutant of
// every run of every module, not one run per tree for each mutated policy
// document (mutantFiles).
const EnvAllMutants = "LAKERUNNER_IAM_ALL_MUTANTS"

// moduleTrees are the generated trees whose modules' tests run: out/, what
// `make gen` writes for the example spec, which has every role kind; with
// LAKERUNNER_IAM_ALL_MODULE_TESTS=1 also the golden trees of the test
// specs (extra and replaced statements, extra principals, permissions
// boundaries, no confused-deputy conditions, GovCloud).
func moduleTrees(t *testing.T) []string {
	trees := []string{"../out"}
	if os.Getenv(EnvAllModuleTests) == "1" {
		golden, err := filepath.Glob("../testdata/golden/*")
		if err != nil {
			t.Fatal(err)
		}
		trees = append(trees, golden...)
	}
	return trees
}

// moduleTests lists the test files of a tree's modules (modules/<kind>,
// and modules/irsa/<kind> or modules/pod-identity/<kind> for EKS), by tree
// and module directory.
func moduleTests(t *testing.T) map[string]map[string][]string {
	t.Helper()
	trees := map[string]map[string][]string{}
	for _, tree := range moduleTrees(t) {
		var found []string
		for _, pattern := range []string{"*", "*/*"} {
			f, err := filepath.Glob(filepath.Join(tree, "modules", pattern, moddocs.TestsDir, "*.tftest.hcl"))
			if err != nil {
				t.Fatal(err)
			}
			found = append(found, f...)
		}
		if len(found) == 0 {
			t.Fatalf("no module tests under %s/modules: run `make gen`, or `go test ./pipeline -run TestGolden -update`", tree)
		}
		files := map[string][]string{}
		for _, f := range found { // sorted by module, as Glob returns them
			dir := filepath.Dir(filepath.Dir(f))
			files[dir] = append(files[dir], f)
		}
		trees[tree] = files
	}
	return trees
}

// A mutant is a copy of a generated test file whose runs' policy documents
// are replaced (override_data) by ones the spec does not imply: the trust
// policy trusts another account, the inline policy allows everything. Its
// runs must fail, on asserts of both: proof that the generated asserts
// check the policies. One run carries both replacements, since each run
// costs a provider start.
var mutations = []struct{ data, json, want string }{
	{"assume_role",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::999999999999:root"}}]}`,
		"trust policy statement 1"},
	{"permissions",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		"inline policy"},
}

// TestModuleTerraformTests runs every generated module's test files, and
// mutants of some, with one `terraform init` and one `terraform test` per
// tree, in a copy of its modules/ (so no .terraform lands in the
// repository); trees run two at a time. It is offline: the tests' provider
// never calls AWS. Each generated run must pass, and each mutant run fail.
//
// The first module (by name) is the configuration terraform runs in, as
// README.md tells an engineer to: its own test files run in place. The
// other modules' test files are copied next to them with a run-level
// module block pointing at their module, which Terraform plans instead.
// One process instead of one per module shares Terraform's start-up, the
// provider's schema and the init; the runs and their asserts are the
// generated ones.
func TestModuleTerraformTests(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform; skipped with -short")
	}
	tools := tfenv.RequireOrSkip(t)
	trees := moduleTests(t)
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	start := time.Now()
	for tree, modules := range trees {
		mutate := mutantFiles(t, modules)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			runTreeTests(t, tools, tree, modules, mutate)
		}()
	}
	wg.Wait()
	t.Logf("terraform test in %d trees: %s", len(trees), time.Since(start).Round(time.Second))
}

// declares reports whether a module's main.tf declares the policy
// document data.
func declares(mainTF, data string) bool {
	return strings.Contains(mainTF, `data "aws_iam_policy_document" "`+data+`"`)
}

// mutantFiles picks, by module directory, the test files of one tree that
// get a mutant. A mutant proves that the asserts the generator writes for
// a policy document notice a document the spec does not imply; every
// module's asserts for a document come from the same code, so one run of
// one module per mutated document proves what a mutant of every run
// would. Modules that declare more of the mutated documents come first, so
// that one run usually covers them all. With LAKERUNNER_IAM_ALL_MUTANTS=1,
// every run of every module.
func mutantFiles(t *testing.T, modules map[string][]string) map[string][]string {
	t.Helper()
	all := os.Getenv(EnvAllMutants) == "1"
	declared := map[string][]string{}
	for dir := range modules {
		main, err := os.ReadFile(filepath.Join(dir, "main.tf"))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mutations {
			if declares(string(main), m.data) {
				declared[dir] = append(declared[dir], m.data)
			}
		}
	}
	dirs := slices.Sorted(maps.Keys(modules))
	slices.SortStableFunc(dirs, func(a, b string) int { return len(declared[b]) - len(declared[a]) })
	picked := map[string][]string{}
	covered := map[string]bool{}
	for _, dir := range dirs {
		if all {
			picked[dir] = modules[dir]
			continue
		}
		if slices.ContainsFunc(declared[dir], func(d string) bool { return !covered[d] }) {
			for _, d := range declared[dir] {
				covered[d] = true
			}
			picked[dir] = modules[dir][:1]
		}
	}
	return picked
}

// A tfTestFile is a test file written into the configuration terraform
// test runs in, and what its runs must do.
type tfTestFile struct {
	source string              // the generated file it comes from
	mutant map[string][]string // for a mutant, by run, what its failures must mention
}

// runTreeTests runs the test files of the modules of one tree (modules:
// by module directory) and a mutant of each file in mutate, with one
// `terraform init` and one `terraform test`.
func runTreeTests(t *testing.T, tools *tfenv.Tools, tree string, modules, mutate map[string][]string) {
	ctx := context.Background()
	work := t.TempDir()
	if err := os.CopyFS(work, os.DirFS(filepath.Join(tree, "modules"))); err != nil {
		t.Error(err)
		return
	}
	dirs := slices.Sorted(maps.Keys(modules))
	moduleDir := func(dir string) string { // relative to tree/modules
		rel, _ := filepath.Rel(filepath.Join(tree, "modules"), dir)
		return filepath.ToSlash(rel)
	}
	root := filepath.Join(work, moduleDir(dirs[0]))
	files := map[string]tfTestFile{} // by path relative to root, as terraform reports it
	for _, dir := range dirs {
		// A prefix for the files of this module: module directories have
		// no dots, and generated test files are named after environments,
		// which cannot start with an underscore.
		name := strings.ReplaceAll(moduleDir(dir), "/", ".")
		main, err := os.ReadFile(filepath.Join(dir, "main.tf"))
		if err != nil {
			t.Error(err)
			return
		}
		source := "" // the root module runs in place
		if dir != dirs[0] {
			rel, err := filepath.Rel(root, filepath.Join(work, moduleDir(dir)))
			if err != nil {
				t.Error(err)
				return
			}
			source = filepath.ToSlash(rel)
		}
		for _, file := range modules[dir] {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Error(err)
				return
			}
			rel := path.Join(moddocs.TestsDir, filepath.Base(file))
			if source != "" {
				rel = path.Join(moddocs.TestsDir, "_"+name+"."+filepath.Base(file))
				if src, err = rewriteTestFile(src, source, "", nil); err != nil {
					t.Errorf("%s: %v", file, err)
					return
				}
				if err := os.WriteFile(filepath.Join(root, rel), src, 0o644); err != nil {
					t.Error(err)
					return
				}
			}
			files[rel] = tfTestFile{source: file}
		}
		for _, file := range mutate[dir] {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Error(err)
				return
			}
			want := map[string][]string{}
			if src, err = rewriteTestFile(src, source, string(main), want); err != nil {
				t.Errorf("%s: %v", file, err)
				return
			}
			if len(want) == 0 {
				continue // declares no document mutations replace
			}
			rel := path.Join(moddocs.TestsDir, "_mutant."+name+"."+filepath.Base(file))
			if err := os.WriteFile(filepath.Join(root, rel), src, 0o644); err != nil {
				t.Error(err)
				return
			}
			files[rel] = tfTestFile{source: file, mutant: want}
		}
	}

	tf, err := tools.NewTerraform(root)
	if err != nil {
		t.Error(err)
		return
	}
	began := time.Now()
	if err := tf.Init(ctx, tools.InitOptions()...); err != nil {
		t.Errorf("terraform init in a copy of %s: %v", dirs[0], err)
		return
	}
	inited := time.Now()
	var out bytes.Buffer
	err = tf.Test(ctx, &out)
	res := parseTestOutput(out.Bytes())
	mutants := 0
	for _, f := range files {
		mutants += len(f.mutant)
	}
	t.Logf("%s: %d modules, %d test files, %d mutant runs: init %s, test %s", tree, len(dirs), len(files), mutants,
		inited.Sub(began).Round(100*time.Millisecond), time.Since(inited).Round(100*time.Millisecond))
	if err == nil && mutants > 0 {
		t.Errorf("terraform test of %s passed, with mutants that should fail", tree)
	}
	if err != nil && mutants == 0 {
		t.Errorf("terraform test of %s: %v", tree, err)
	}
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		f, runs := files[rel], res.runs[rel]
		if f.mutant == nil {
			if len(runs) == 0 {
				t.Errorf("terraform test ran no run of %s:\n%s", f.source, out.String())
			}
			for name, r := range runs {
				if r.status != "pass" {
					t.Errorf("%s: run %q: %s\n%s", f.source, name, r.status, strings.Join(r.diagnostics, "\n"))
				}
			}
			continue
		}
		if len(runs) != len(f.mutant) {
			t.Errorf("mutant of %s: %d runs completed, want %d", f.source, len(runs), len(f.mutant))
		}
		for name, needles := range f.mutant {
			r, ok := runs[name]
			switch {
			case !ok:
				t.Errorf("mutant of %s: run %q did not run", f.source, name)
			case r.status != "fail":
				t.Errorf("mutant of %s: run %q: %s, want fail: the asserts do not notice a policy the spec does not imply\n%s", f.source, name, r.status, strings.Join(r.diagnostics, "\n"))
			default:
				for _, needle := range needles {
					if !strings.Contains(strings.Join(r.diagnostics, "\n"), needle) {
						t.Errorf("mutant of %s: run %q failed, but no assert on the %s did:\n%s", f.source, name, needle, strings.Join(r.diagnostics, "\n"))
					}
				}
			}
		}
	}
}

// rewriteTestFile returns a generated test file whose runs plan the module
// at source (when not "", instead of the configuration terraform runs in)
// and, when want is not nil, are mutants: their policy documents that
// mainTF declares are replaced, and want gets by run what its failures
// must mention.
func rewriteTestFile(src []byte, source, mainTF string, want map[string][]string) ([]byte, error) {
	f, diags := hclwrite.ParseConfig(src, "test", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	for _, b := range f.Body().Blocks() {
		if b.Type() != "run" {
			continue
		}
		if source != "" {
			b.Body().AppendNewBlock("module", nil).Body().SetAttributeValue("source", cty.StringVal(source))
		}
		if want == nil {
			continue
		}
		name := b.Labels()[0]
		for _, m := range mutations {
			if !declares(mainTF, m.data) {
				continue // a role without an inline policy of its own
			}
			od := b.Body().AppendNewBlock("override_data", nil).Body()
			od.SetAttributeTraversal("target", hcl.Traversal{
				hcl.TraverseRoot{Name: "data"},
				hcl.TraverseAttr{Name: "aws_iam_policy_document"},
				hcl.TraverseAttr{Name: m.data},
			})
			od.SetAttributeValue("values", cty.ObjectVal(map[string]cty.Value{"json": cty.StringVal(m.json)}))
			want[name] = append(want[name], m.want)
		}
	}
	return hclwrite.Format(f.Bytes()), nil
}

// testOutput is what `terraform test -json` reported: each completed run,
// by test file and run name.
type testOutput struct {
	runs map[string]map[string]*runResult
}

type runResult struct {
	status      string // pass, fail, error, skip
	diagnostics []string
}

// parseTestOutput reads the machine-readable UI lines of `terraform test
// -json`.
func parseTestOutput(b []byte) testOutput {
	res := testOutput{runs: map[string]map[string]*runResult{}}
	run := func(file, name string) *runResult {
		if res.runs[file] == nil {
			res.runs[file] = map[string]*runResult{}
		}
		if res.runs[file][name] == nil {
			res.runs[file][name] = &runResult{}
		}
		return res.runs[file][name]
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var line struct {
			File    string `json:"@testfile"`
			Run     string `json:"@testrun"`
			TestRun *struct {
				Progress string `json:"progress"`
				Status   string `json:"status"`
			} `json:"test_run"`
			Diagnostic *struct {
				Severity string `json:"severity"`
				Summary  string `json:"summary"`
				Detail   string `json:"detail"`
			} `json:"diagnostic"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil || line.Run == "" {
			continue
		}
		switch {
		case line.TestRun != nil && line.TestRun.Progress == "complete":
			run(line.File, line.Run).status = line.TestRun.Status
		case line.Diagnostic != nil:
			r := run(line.File, line.Run)
			r.diagnostics = append(r.diagnostics, fmt.Sprintf("%s: %s: %s", line.Diagnostic.Severity, line.Diagnostic.Summary, line.Diagnostic.Detail))
		}
	}
	return res
}
