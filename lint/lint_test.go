package lint_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil"
	"github.com/cardinalhq/lakerunner-iam/internal/testutil/testspec"

	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/lint"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// check loads spec text and lints it.
func check(t *testing.T, text string) *lint.Report {
	t.Helper()
	return lint.Check(testspec.LoadText(t, text))
}

// checkWithTemplates lints spec text against the built-in catalog with
// some template files replaced or added (what templates_dir is for): the
// only way to produce trust policies the built-in catalog never does.
func checkWithTemplates(t *testing.T, text string, files map[string]string) *lint.Report {
	t.Helper()
	mfs := fstest.MapFS{}
	builtin := templates.BuiltinFS()
	names, err := fs.Glob(builtin, "*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(builtin, n)
		if err != nil {
			t.Fatal(err)
		}
		mfs[n] = &fstest.MapFile{Data: b}
	}
	for n, src := range files {
		mfs[n] = &fstest.MapFile{Data: []byte(src)}
	}
	parser := hclparse.NewParser()
	cat, diags := templates.Load(mfs, parser)
	if diags.HasErrors() {
		t.Fatalf("templates do not load: %s", diags.Error())
	}
	path := testspec.Write(t, text)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	spec, diags := schema.Parse(parser, path, src)
	if diags.HasErrors() {
		t.Fatalf("spec does not load: %s\n%s", diags.Error(), text)
	}
	m, diags := generator.Build(spec, cat, generator.Options{})
	if diags.HasErrors() {
		t.Fatalf("spec does not build: %s\n%s", diags.Error(), text)
	}
	return lint.Check(m)
}

// builtinTemplate returns a built-in template file's text.
func builtinTemplate(t *testing.T, name string) string {
	t.Helper()
	b, err := fs.ReadFile(templates.BuiltinFS(), name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// render renders a report in all three formats.
func render(t *testing.T, r *lint.Report) (text, js, sarif []byte) {
	t.Helper()
	var a, b, c bytes.Buffer
	if err := lint.WriteText(&a, r, lint.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := lint.WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if err := lint.WriteSARIF(&c, r, lint.SARIFOptions{}); err != nil {
		t.Fatal(err)
	}
	return a.Bytes(), b.Bytes(), c.Bytes()
}

// TestGoldenExample checks the findings of the guide's own policies, as
// generated from examples/lakerunner.hcl, in every output format against
// lint/testdata/example.{txt,json,sarif}. Regenerate with
// `go test ./lint -update` and review the diff as a security reviewer
// would: every finding must be deserved.
func TestGoldenExample(t *testing.T) {
	t.Chdir("..") // the repository root: the spec is named as users name it
	m, _, diags := pipeline.Load("examples/lakerunner.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	text, js, sarif := render(t, lint.Check(m))
	for name, got := range map[string][]byte{"example.txt": text, "example.json": js, "example.sarif": sarif} {
		path := filepath.Join("lint", "testdata", name)
		if *testutil.Update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s (run `go test ./lint -update` to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the output; run `go test ./lint -update` and review the diff.\ngot:\n%s", path, got)
		}
	}
}

// TestExampleFindings pins what a security review of the guide's policies
// expects, independently of wording: each finding by role, statement and
// code, and nothing else.
func TestExampleFindings(t *testing.T) {
	m, _, diags := pipeline.Load("../examples/lakerunner.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	type key struct{ kind, sid, code string }
	want := []key{
		{"ecs-execution", "ECRAccess", "LR003"},           // BatchGetImage & co. could be scoped to repositories
		{"data-task", "CloudWatchLogs", "LR004"},          // every log group of the account
		{"query-task", "AutoScaling", "LR003"},            // Put/Register on any scalable target
		{"query-task", "CloudWatchAccess", "LR003"},       // logs actions on "*": the example
		{"migration-lambda", "", "LR010"},                 // Lambda trust without source conditions (advisory)
		{"migration-lambda", "ECSTaskExecution", "LR003"}, // RunTask/StopTask in any cluster
		{"migration-lambda", "PassRole", "LR006"},         // no iam:PassedToService
		{"msk-access", "MSKTopicAccess", "LR013"},         // kafka-cluster:*Topic includes DeleteTopic
	}
	var got []key
	for _, f := range lint.Check(m).Findings {
		got = append(got, key{f.RoleKind, f.Sid, f.Code})
	}
	if len(got) != len(want) {
		t.Fatalf("got %d findings %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("finding %d = %v, want %v", i, got[i], want[i])
		}
	}
}

// TestCleanSpec shows that every finding of the guide's policies can be
// fixed (or, for the one the catalog leaves no fix for, accepted) from the
// spec alone.
func TestCleanSpec(t *testing.T) {
	m, _, diags := pipeline.Load("testdata/clean.hcl")
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	r := lint.Check(m)
	if failing := r.Failing(lint.Info); len(failing) > 0 {
		for _, f := range failing {
			t.Errorf("unexpected finding %s %s/%s: %s", f.Code, f.RoleKind, f.Statement(), f.Message)
		}
	}
	if c := r.Counts(); c.Accepted != 1 {
		t.Errorf("accepted = %d, want 1 (the migration Lambda's trust)", c.Accepted)
	}
}
