package moddocs_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
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
// every run of every module, not one per kind of module (mutantModules).
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

// moduleTests lists the test files tree/modules/*/tests/*.tftest.hcl, by
// module directory.
func moduleTests(t *testing.T) map[string][]string {
	t.Helper()
	files := map[string][]string{}
	for _, tree := range moduleTrees(t) {
		found, err := filepath.Glob(filepath.Join(tree, "modules", "*", "tests", "*.tftest.hcl"))
		if err != nil {
			t.Fatal(err)
		}
		if len(found) == 0 {
			t.Fatalf("no module tests under %s/modules: run `make gen`, or `go test ./pipeline -run TestGolden -update`", tree)
		}
		for _, f := range found {
			dir := filepath.Dir(filepath.Dir(f))
			files[dir] = append(files[dir], f)
		}
	}
	for _, fs := range files {
		sort.Strings(fs)
	}
	return files
}

// mutantsFile is the name of the test file of mutants: environment names
// cannot start with an underscore, so it is no generated file's.
const mutantsFile = "_mutants.tftest.hcl"

// A mutant is an extra run, added for each generated run in a copy of the
// test file, whose policy documents are replaced (override_data) by ones
// the spec does not imply: the trust policy trusts another account, the
// inline policy allows everything. It must fail, on asserts of both:
// proof that the generated asserts check the policies. One run carries
// both replacements, since each run costs a provider start.
var mutations = []struct{ data, json, want string }{
	{"assume_role",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"AWS":"arn:aws:iam::999999999999:root"}}]}`,
		"trust policy statement 1"},
	{"permissions",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`,
		"inline policy"},
}

// TestModuleTerraformTests runs `terraform init` and `terraform test` in a
// copy of every generated module (so no .terraform lands in the
// repository), two at a time. It is offline: the tests' provider never
// calls AWS. Each generated run must pass, and each mutant of it fail.
func TestModuleTerraformTests(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform; skipped with -short")
	}
	tools := tfenv.RequireOrSkip(t)
	modules := moduleTests(t)
	mutate := mutantModules(t, modules)
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	start := time.Now()
	for dir, files := range modules {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			runModuleTests(t, tools, dir, files, mutate[dir])
		}()
	}
	wg.Wait()
	t.Logf("terraform test in %d modules: %s", len(modules), time.Since(start).Round(time.Second))
}

// policyDocs matches the policy documents a module declares.
var policyDocs = regexp.MustCompile(`data "aws_iam_policy_document" "([a-z_]+)"`)

// mutantModules picks, by module directory, the test files whose runs get
// a mutant. A mutant proves that the asserts the generator writes for a
// policy document notice a document the spec does not imply; modules that
// declare the same documents get asserts from the same code, so one module
// of each set of documents, and one environment of it, prove what a mutant
// of every run would. With LAKERUNNER_IAM_ALL_MUTANTS=1, every run of every
// module.
func mutantModules(t *testing.T, modules map[string][]string) map[string][]string {
	t.Helper()
	all := os.Getenv(EnvAllMutants) == "1"
	picked := map[string][]string{}
	seen := map[string]bool{}
	for _, dir := range slices.Sorted(maps.Keys(modules)) {
		main, err := os.ReadFile(filepath.Join(dir, "main.tf"))
		if err != nil {
			t.Fatal(err)
		}
		var docs []string
		for _, m := range policyDocs.FindAllStringSubmatch(string(main), -1) {
			docs = append(docs, m[1])
		}
		key := filepath.Dir(filepath.Dir(dir)) + ":" + strings.Join(docs, ",")
		switch {
		case all:
			picked[dir] = modules[dir]
		case !seen[key]:
			seen[key] = true
			picked[dir] = modules[dir][:1]
		}
	}
	return picked
}

// runModuleTests runs the test files of the module in dir, one per
// environment, and a mutant of each run of the files in mutate, in one
// `terraform test`.
func runModuleTests(t *testing.T, tools *tfenv.Tools, dir string, files, mutate []string) {
	ctx := context.Background()
	work := t.TempDir()
	if err := os.CopyFS(work, os.DirFS(dir)); err != nil {
		t.Error(err)
		return
	}
	srcs := make([][]byte, len(mutate))
	for i, file := range mutate {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Error(err)
			return
		}
		srcs[i] = src
	}
	main, err := os.ReadFile(filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Error(err)
		return
	}
	mutantFile, want, err := writeMutants(srcs, string(main))
	if err != nil {
		t.Errorf("%s: %v", dir, err)
		return
	}
	mutantPath := filepath.Join(moddocs.TestsDir, mutantsFile)
	if len(want) > 0 {
		if err := os.WriteFile(filepath.Join(work, mutantPath), mutantFile, 0o644); err != nil {
			t.Error(err)
			return
		}
	}

	tf, err := tools.NewTerraform(work)
	if err != nil {
		t.Error(err)
		return
	}
	began := time.Now()
	if err := tf.Init(ctx, tools.InitOptions()...); err != nil {
		t.Errorf("terraform init in %s: %v", dir, err)
		return
	}
	inited := time.Now()
	var out bytes.Buffer
	err = tf.Test(ctx, &out)
	res := parseTestOutput(out.Bytes())
	t.Logf("%s: init %s, test %s (%d mutant runs)", dir, inited.Sub(began).Round(100*time.Millisecond), time.Since(inited).Round(100*time.Millisecond), len(want))
	if err == nil && len(want) > 0 {
		t.Errorf("terraform test in %s passed, with mutants that should fail", dir)
	}
	if err != nil && len(want) == 0 {
		t.Errorf("terraform test in %s: %v", dir, err)
	}
	for _, file := range files {
		rel, _ := filepath.Rel(dir, file)
		generated := res.runs[filepath.ToSlash(rel)]
		if len(generated) == 0 {
			t.Errorf("terraform test in %s ran no run of %s:\n%s", dir, rel, out.String())
		}
		for name, r := range generated {
			if r.status != "pass" {
				t.Errorf("%s: run %q: %s\n%s", file, name, r.status, strings.Join(r.diagnostics, "\n"))
			}
		}
	}
	mutated := res.runs[filepath.ToSlash(mutantPath)]
	if len(mutated) != len(want) {
		t.Errorf("terraform test in %s: %d mutant runs completed, want %d", dir, len(mutated), len(want))
	}
	for name, needles := range want {
		r, ok := mutated[name]
		switch {
		case !ok:
			t.Errorf("%s: mutant run %q did not run", dir, name)
		case r.status != "fail":
			t.Errorf("%s: mutant run %q: %s, want fail: the asserts do not notice a policy the spec does not imply\n%s", dir, name, r.status, strings.Join(r.diagnostics, "\n"))
		default:
			for _, needle := range needles {
				if !strings.Contains(strings.Join(r.diagnostics, "\n"), needle) {
					t.Errorf("%s: mutant run %q failed, but no assert on the %s did:\n%s", dir, name, needle, strings.Join(r.diagnostics, "\n"))
				}
			}
		}
	}
}

// writeMutants writes a test file with the first generated file's
// provider and a mutant of each run of every file. It returns the file
// and, by mutant run, what its failures must mention.
func writeMutants(srcs [][]byte, mainTF string) ([]byte, map[string][]string, error) {
	want := map[string][]string{}
	out := hclwrite.NewEmptyFile()
	for i, src := range srcs {
		if err := addMutants(out.Body(), src, mainTF, i == 0, want); err != nil {
			return nil, nil, err
		}
	}
	return hclwrite.Format(out.Bytes()), want, nil
}

// addMutants appends a mutant of each run of a test file to out, and the
// file's provider when withProvider.
func addMutants(out *hclwrite.Body, src []byte, mainTF string, withProvider bool, want map[string][]string) error {
	f, diags := hclwrite.ParseConfig(src, "test", hcl.InitialPos)
	if diags.HasErrors() {
		return diags
	}
	for _, b := range f.Body().Blocks() {
		switch b.Type() {
		case "provider":
			if withProvider {
				out.AppendBlock(b)
			}
		case "run":
			name := b.Labels()[0] + "_mutant"
			b.SetLabels([]string{name})
			for _, m := range mutations {
				if !strings.Contains(mainTF, `data "aws_iam_policy_document" "`+m.data+`"`) {
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
			out.AppendNewline()
			out.AppendBlock(b)
		}
	}
	return nil
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
