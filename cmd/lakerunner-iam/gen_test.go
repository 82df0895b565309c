package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil"

	"github.com/cardinalhq/lakerunner-iam/diag"
	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/outtree"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// repoRoot is the repository root, relative to this package.
const repoRoot = "../.."

// writeFile writes content to dir/rel, creating directories.
func writeFile(t *testing.T, dir, rel, content string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// smallSpec is a spec with a few roles; the variants below add or drop
// one, so that regeneration creates and removes files.
const smallSpec = `environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"
%s}
`

// project makes a directory holding lakerunner.hcl with the given body
// lines, and returns the spec's and the output directory's paths.
func project(t *testing.T, extra string) (spec, out string) {
	t.Helper()
	dir := t.TempDir()
	return writeFile(t, dir, "lakerunner.hcl", strings.Replace(smallSpec, "%s", extra, 1)), filepath.Join(dir, "out")
}

// generated runs gen and fails the test unless it succeeds.
func generated(t *testing.T, spec, out string, flags ...string) string {
	t.Helper()
	code, stdout, stderr := cli(t, append(append([]string{"gen", "-o", out}, flags...), spec)...)
	if code != exitOK || stderr != "" {
		t.Fatalf("gen exited %d:\n%s%s", code, stdout, stderr)
	}
	return stdout
}

// implied is what the spec, as it is now, renders to for out.
func implied(t *testing.T, spec, out string) map[string]string {
	t.Helper()
	res, diags := pipeline.Generate(spec, pipeline.Options{OutDir: out})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	files := map[string]string{}
	for _, f := range res.Files {
		files[f.Path] = string(f.Content)
	}
	return files
}

// summary is what gen prints when out goes from holding the files before
// to holding the files after: derived from the two sets, not from disk.
func summary(out string, before, after map[string]string) string {
	var lines []string
	var created, updated, removed, unchanged int
	for p, c := range after {
		switch b, ok := before[p]; {
		case !ok:
			created++
			lines = append(lines, "created "+outPath(out, p))
		case b != c:
			updated++
			lines = append(lines, "updated "+outPath(out, p))
		default:
			unchanged++
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			removed++
			lines = append(lines, "removed "+outPath(out, p))
		}
	}
	// By path, as gen lists them.
	sort.Slice(lines, func(i, j int) bool { return lines[i][len("created "):] < lines[j][len("created "):] })
	lines = append(lines, fmt.Sprintf("%s: %d created, %d updated, %d removed, %d unchanged.", out, created, updated, removed, unchanged))
	return strings.Join(lines, "\n") + "\n"
}

// withSpec rewrites the project's spec with other body lines.
func withSpec(t *testing.T, spec, extra string) {
	t.Helper()
	writeFile(t, filepath.Dir(spec), filepath.Base(spec), strings.Replace(smallSpec, "%s", extra, 1))
}

// TestBadSpecs runs every spec of testdata/badspecs through the CLI: each
// must exit 1, print exactly its .golden diagnostics, and leave an
// existing output directory exactly as it was.
func TestBadSpecs(t *testing.T) {
	t.Chdir(repoRoot) // diagnostics name the spec as a user in the repository would
	specs, err := filepath.Glob("testdata/badspecs/*.hcl*")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range specs {
		if !strings.HasSuffix(s, ".golden") {
			names = append(names, s)
		}
	}
	if len(names) < 30 {
		t.Fatalf("found %d bad specs, want at least 30", len(names))
	}
	// An output directory as gen and its users leave it.
	out := filepath.Join(t.TempDir(), "out")
	generated(t, "examples/lakerunner.hcl", out)
	writeFile(t, out, "production/roles_override.tf", "module \"data_task\" {\n  max_session_duration = 7200\n}\n")
	before := testutil.Snapshot(t, out)

	for _, spec := range names {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			code, stdout, stderr := cli(t, "gen", "-o", out, spec)
			if code != exitError {
				t.Errorf("exit code %d, want %d", code, exitError)
			}
			if stdout != "" {
				t.Errorf("stdout should be empty:\n%s", stdout)
			}
			golden := goldenPath(spec)
			if *testutil.Update {
				if err := os.WriteFile(golden, []byte(stderr), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run `go test ./cmd/lakerunner-iam -run TestBadSpecs -update` to create it)", err)
			}
			if stderr != string(want) {
				t.Errorf("stderr differs from %s (run with -update and review the diff):\n--- got\n%s--- want\n%s", golden, stderr, want)
			}
			testutil.AssertSameTree(t, before, testutil.Snapshot(t, out))
		})
	}

	goldens, _ := filepath.Glob("testdata/badspecs/*.golden")
	for _, g := range goldens {
		found := false
		for _, s := range names {
			found = found || goldenPath(s) == g
		}
		if !found {
			t.Errorf("%s has no spec", g)
		}
	}
}

// goldenPath is a bad spec's expected output: 05-x.hcl → 05-x.golden.
func goldenPath(spec string) string {
	return strings.TrimSuffix(strings.TrimSuffix(spec, ".json"), ".hcl") + ".golden"
}

func TestGenWritesThenReportsUnchanged(t *testing.T) {
	t.Parallel()
	spec, out := project(t, "")
	files := implied(t, spec, out)
	if got, want := generated(t, spec, out), summary(out, nil, files); got != want {
		t.Errorf("first gen printed %q, want %q", got, want)
	}
	for p, c := range files {
		if got := readText(t, filepath.Join(out, p)); got != c {
			t.Errorf("%s holds something else than gen rendered", p)
		}
	}
	before := testutil.Snapshot(t, out)
	if got, want := generated(t, spec, out), summary(out, files, files); got != want {
		t.Errorf("second gen printed %q, want %q", got, want)
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, out))
}

// TestGenKeepsUserFiles regenerates after the spec dropped a role: the
// role's module goes, files people wrote stay byte for byte.
func TestGenKeepsUserFiles(t *testing.T) {
	t.Parallel()
	spec, out := project(t, "  msk_access = true\n")
	generated(t, spec, out)
	withMSK := implied(t, spec, out)
	if _, err := os.Stat(filepath.Join(out, "modules/msk-access/main.tf")); err != nil {
		t.Fatal(err)
	}
	user := map[string]string{
		"production/roles_override.tf": "module \"data_task\" {\n  max_session_duration = 7200\n}\n",
		"README.md":                    "# IAM roles of Lakerunner\n\nGenerated by lakerunner-iam; see lakerunner.hcl.\n",
		"modules/msk-access/NOTES.txt": "why we use IAM auth\n",
	}
	for p, c := range user {
		writeFile(t, out, p, c)
	}
	withSpec(t, spec, "")
	if got, want := generated(t, spec, out), summary(out, withMSK, implied(t, spec, out)); got != want {
		t.Errorf("gen printed %q, want %q", got, want)
	}
	for p, c := range user {
		if got := readText(t, filepath.Join(out, p)); got != c {
			t.Errorf("%s changed to %q", p, got)
		}
	}
	for _, p := range []string{"modules/msk-access/main.tf", "modules/msk-access/variables.tf"} {
		if _, err := os.Stat(filepath.Join(out, p)); !os.IsNotExist(err) {
			t.Errorf("%s should be removed: %v", p, err)
		}
	}
	// A generated directory that empties is removed.
	withSpec(t, spec, "  lambda_migrations = true\n")
	generated(t, spec, out)
	withSpec(t, spec, "")
	generated(t, spec, out)
	if _, err := os.Stat(filepath.Join(out, "modules/migration-lambda")); !os.IsNotExist(err) {
		t.Errorf("modules/migration-lambda/ should be removed with its files: %v", err)
	}
}

func TestGenRefusesToOverwriteHandEdits(t *testing.T) {
	t.Parallel()
	spec, out := project(t, "")
	generated(t, spec, out)
	main := filepath.Join(out, "production/main.tf")
	edited := strings.Replace(readText(t, main), `name        = "lakerunner-data-task-role"`, `name        = "lakerunner-data-role"`, 1)
	if err := os.WriteFile(main, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	onDisk := implied(t, spec, out)
	onDisk["production/main.tf"] = edited
	// The spec changes too, so gen has something to write.
	withSpec(t, spec, "  msk_access = true\n")
	before := testutil.Snapshot(t, out)

	code, stdout, stderr := cli(t, "gen", "-o", out, spec)
	if code != exitError {
		t.Errorf("exit code %d, want %d", code, exitError)
	}
	if stdout != "" {
		t.Errorf("stdout: %q", stdout)
	}
	p := filepath.ToSlash(main)
	want := "lakerunner-iam gen: " + p + " was generated, then edited by hand: gen will not overwrite or remove it.\n" +
		"  To keep the change, move it to " + strings.TrimSuffix(p, ".tf") + "_override.tf (Terraform merges *_override.tf files last and gen never touches them), or into the spec (a role block such as role \"data-task\" { max_session_duration = 7200 }).\n" +
		"  `lakerunner-iam gen --diff` shows the edit; --force discards it.\n" +
		"Nothing was written.\n"
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, out))

	// --force overwrites it, and writes the rest.
	if got, want := generated(t, spec, out, "--force"), summary(out, onDisk, implied(t, spec, out)); got != want {
		t.Errorf("gen --force printed %q, want %q", got, want)
	}
	if strings.Contains(readText(t, main), "lakerunner-data-role") {
		t.Error("--force kept the hand edit")
	}
}

func TestGenNeverOverwritesFilesWithoutHeader(t *testing.T) {
	t.Parallel()
	spec, out := project(t, "")
	mine := writeFile(t, out, "production/outputs.tf", "output \"mine\" { value = 1 }\n")
	before := testutil.Snapshot(t, out)
	for _, flags := range [][]string{nil, {"--force"}} {
		code, _, stderr := cli(t, append(append([]string{"gen", "-o", out}, flags...), spec)...)
		if code != exitError {
			t.Errorf("gen %v: exit code %d, want %d", flags, code, exitError)
		}
		if want := filepath.ToSlash(mine) + " has no lakerunner-iam header, so gen did not write it and will not overwrite it."; !strings.Contains(stderr, want) {
			t.Errorf("gen %v: stderr lacks %q:\n%s", flags, want, stderr)
		}
		testutil.AssertSameTree(t, before, testutil.Snapshot(t, out))
	}
}

func TestGenCheck(t *testing.T) {
	t.Parallel()
	spec, out := project(t, "  msk_access = true\n")
	generated(t, spec, out)

	// Up to date.
	before := testutil.Snapshot(t, out)
	code, stdout, stderr := cli(t, "gen", "--check", "-o", out, spec)
	if code != exitOK || stderr != "" {
		t.Errorf("up to date: exit %d, stderr %q", code, stderr)
	}
	if want := fmt.Sprintf("%s is up to date with %s (%d files).\n", out, spec, len(implied(t, spec, out))); stdout != want {
		t.Errorf("up to date: stdout %q, want %q", stdout, want)
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, out))

	// Every kind of difference: the spec drops msk-access (extra) and
	// adds lambda migrations (missing, stale), one file was edited and
	// one replaced by a file of the user's.
	old := implied(t, spec, out)
	withSpec(t, spec, "  lambda_migrations = true\n")
	vars := filepath.Join(out, "modules/data-task/variables.tf")
	if err := os.WriteFile(vars, []byte(readText(t, vars)+"\n# edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeFile(t, out, "modules/query-task/outputs.tf", "# mine now\n")
	before = testutil.Snapshot(t, out)
	code, stdout, stderr = cli(t, "gen", "--check", "-o", out, spec)
	if code != exitIssues || stderr != "" {
		t.Errorf("out of date: exit %d, stderr %q", code, stderr)
	}
	o := filepath.ToSlash(out)
	line := func(kind outtree.ChangeKind, p string) string {
		return fmt.Sprintf("%-11s  %s/%s: %s", kind, o, p, checkDescriptions[kind])
	}
	var lines []string
	now := implied(t, spec, out)
	for p, c := range now {
		switch b, ok := old[p]; {
		case p == "modules/data-task/variables.tf":
			lines = append(lines, line(outtree.HandEdit, p))
		case p == "modules/query-task/outputs.tf":
			lines = append(lines, line(outtree.NotOurs, p))
		case !ok:
			lines = append(lines, line(outtree.Missing, p))
		case b != c:
			lines = append(lines, line(outtree.Stale, p))
		}
	}
	for p := range old {
		if _, ok := now[p]; !ok {
			lines = append(lines, line(outtree.Extra, p))
		}
	}
	for _, kind := range []outtree.ChangeKind{outtree.Missing, outtree.Stale, outtree.Extra} {
		if !strings.Contains(strings.Join(lines, "\n"), string(kind)+" ") {
			t.Fatalf("the spec change makes no %s file; the test needs one of each", kind)
		}
	}
	want := strings.Join(lines, "\n") + "\n" + fmt.Sprintf("%s is not up to date with %s: %d of its files differ. Run `lakerunner-iam gen` to update it.\n", out, spec, len(lines))
	if got := sortedLines(stdout); got != sortedLines(want) {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, out))

	// An invalid spec is reported as gen reports it.
	withSpec(t, spec, "  compute = \"lambda\"\n")
	code, stdout, stderr = cli(t, "gen", "--check", "-o", out, spec)
	if code != exitError || stdout != "" || !strings.Contains(stderr, "Error: Invalid compute type") {
		t.Errorf("invalid spec: exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, out))
}

func sortedLines(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func TestGenDiff(t *testing.T) {
	t.Parallel()
	spec, out := project(t, "")
	generated(t, spec, out)
	code, stdout, _ := cli(t, "gen", "--diff", "-o", out, spec)
	if code != exitOK || !strings.Contains(stdout, "is up to date") {
		t.Errorf("up to date: exit %d, stdout %q", code, stdout)
	}

	// A hand edit, a file gen would remove and a file gen would create.
	main := filepath.Join(out, "production/main.tf")
	orig := readText(t, main)
	edited := strings.Replace(orig, `name        = "lakerunner-query-task-role"`, `name        = "lakerunner-query-role"`, 1)
	if edited == orig {
		t.Fatal("the edit below matched nothing")
	}
	if err := os.WriteFile(main, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	outputs := filepath.Join(out, "modules/query-task/outputs.tf")
	outputsText := readText(t, outputs)
	if err := os.Remove(outputs); err != nil {
		t.Fatal(err)
	}
	before := testutil.Snapshot(t, out)
	code, stdout, stderr := cli(t, "gen", "--diff", "-o", out, spec)
	if code != exitIssues || stderr != "" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	// out is not below the working directory: headers start at its parent.
	m, o := "out/production/main.tf", "out/modules/query-task/outputs.tf"
	wantHunk := "--- a/" + m + "\n+++ b/" + m + "\n"
	if !strings.Contains(stdout, wantHunk) {
		t.Errorf("no diff header %q in:\n%s", wantHunk, stdout)
	}
	for _, line := range []string{
		`-  name        = "lakerunner-query-role"` + "\n",
		`+  name        = "lakerunner-query-task-role"` + "\n",
		"--- /dev/null\n+++ b/" + o + "\n",
	} {
		if !strings.Contains(stdout, line) {
			t.Errorf("diff lacks %q:\n%s", line, stdout)
		}
	}
	// The new file's lines are all added, in order.
	var added strings.Builder
	for _, l := range strings.SplitAfter(outputsText, "\n") {
		if l != "" {
			added.WriteString("+" + l)
		}
	}
	if !strings.Contains(stdout, added.String()) {
		t.Errorf("diff does not add %s whole:\n%s", o, stdout)
	}
	if !strings.HasSuffix(stdout, out+" is not up to date with "+spec+": 2 of its files differ. Run `lakerunner-iam gen` to update it.\n") {
		t.Errorf("no closing summary:\n%s", stdout)
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, out))
}

// TestGenDiffOfRemovedFile checks the exact diff of a file gen removes.
func TestGenDiffOfRemovedFile(t *testing.T) {
	t.Parallel()
	spec, out := project(t, "")
	generated(t, spec, out)
	extra := writeFile(t, out, "modules/old/main.tf", "# Code generated by lakerunner-iam from lakerunner.hcl. DO NOT EDIT.\n"+
		"# Change the spec and re-run `lakerunner-iam gen`, or customize in a *_override.tf file.\n"+
		"# lakerunner-iam:sha256=01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b\n"+
		"\n"+
		"\n")
	// As in a tree from before the manifest, where the files whose header
	// names the spec are gen's.
	if err := os.Remove(filepath.Join(out, ".lakerunner-iam-manifest.json")); err != nil {
		t.Fatal(err)
	}
	_, stdout, _ := cli(t, "gen", "--diff", "-o", out, spec)
	e := "out/modules/old/main.tf"
	if _, err := os.Stat(extra); err != nil {
		t.Fatal(err)
	}
	want := "--- a/" + e + "\n+++ /dev/null\n@@ -1,5 +0,0 @@\n" +
		"-# Code generated by lakerunner-iam from lakerunner.hcl. DO NOT EDIT.\n" +
		"-# Change the spec and re-run `lakerunner-iam gen`, or customize in a *_override.tf file.\n" +
		"-# lakerunner-iam:sha256=01ba4719c80b6fe911b091a7c05124b64eeece964e09c058ef8f9805daca546b\n" +
		"-\n" +
		"-\n" +
		out + " is not up to date with " + spec + ": 1 of its files differ. Run `lakerunner-iam gen` to update it.\n"
	if stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", stdout, want)
	}
}

func TestGenCheckAndDiffTogether(t *testing.T) {
	t.Parallel()
	spec, out := project(t, "")
	generated(t, spec, out)
	withSpec(t, spec, "  tags = { Team = \"platform\" }\n")
	before := testutil.Snapshot(t, out)
	code, stdout, _ := cli(t, "gen", "--check", "--diff", "-o", out, spec)
	if code != exitIssues {
		t.Errorf("exit %d", code)
	}
	for _, s := range []string{"+    Team", "stale  " + filepath.ToSlash(out) + "/production/main.tf: out of date; gen updates it\n"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("output lacks %q:\n%s", s, stdout)
		}
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, out))
}

func TestGenUsage(t *testing.T) {
	spec, out := project(t, "")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // a line it must contain
		stdout string
	}{
		{"unknown flag", []string{"gen", "--frobnicate", spec}, exitError, "lakerunner-iam gen: unknown flag: --frobnicate\nRun 'lakerunner-iam gen --help' for usage.\n", ""},
		{"too many arguments", []string{"gen", spec, spec}, exitError, "lakerunner-iam gen: takes at most one SPEC, got 2 arguments\n", ""},
		{"flag without value", []string{"gen", spec, "-o"}, exitError, "flag needs an argument: 'o' in -o", ""},
		{"missing spec file", []string{"gen", "-o", out, filepath.Join(filepath.Dir(spec), "nope.hcl")}, exitError, "Error: Cannot read spec file", ""},
		{"help", []string{"gen", "--help"}, exitOK, "", "Usage: lakerunner-iam gen [flags] [SPEC]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tt.stderr, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout lacks %q:\n%s", tt.stdout, stdout)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s was created", out)
			}
		})
	}
}

// TestGenDefaultSpec runs gen without SPEC in a directory holding
// lakerunner.hcl, as teams run it in their infra repository.
func TestGenDefaultSpec(t *testing.T) {
	spec, _ := project(t, "")
	t.Chdir(filepath.Dir(spec))
	code, stdout, stderr := cli(t, "gen")
	if code != exitOK || stderr != "" || stdout != summary("out", nil, implied(t, "lakerunner.hcl", "out")) {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if got := readText(t, "out/production/main.tf"); !strings.HasPrefix(got, "# Code generated by lakerunner-iam from lakerunner.hcl. DO NOT EDIT.\n") {
		t.Errorf("header names the spec wrongly:\n%s", got[:200])
	}
}

// TestGenQuiet: -q prints nothing when all goes well, and still the
// errors when not.
func TestGenQuiet(t *testing.T) {
	t.Parallel()
	spec, out := project(t, "")
	for _, args := range [][]string{{"gen", "-q", "-o", out, spec}, {"gen", "--quiet", "--check", "-o", out, spec}} {
		if code, stdout, stderr := cli(t, args...); code != exitOK || stdout != "" || stderr != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}
	withSpec(t, spec, "  msk_access = true\n")
	if code, stdout, _ := cli(t, "gen", "-q", "--check", "-o", out, spec); code != exitIssues || stdout != "" {
		t.Errorf("stale: exit %d, stdout %q", code, stdout)
	}
	withSpec(t, spec, "  compute = \"lambda\"\n")
	if code, stdout, stderr := cli(t, "gen", "-q", "-o", out, spec); code != exitError || stdout != "" || !strings.Contains(stderr, "Error: Invalid compute type") {
		t.Errorf("invalid: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// TestSummarize: each change on its line, by path, coloured by kind on a
// terminal; a hand-edited file that --force removes is listed as removed.
func TestSummarize(t *testing.T) {
	files := []generator.File{{Path: "b/main.tf"}, {Path: "a/main.tf"}, {Path: "c.tf"}, {Path: "d.tf"}}
	changes := []outtree.Change{
		{Path: "b/main.tf", Kind: outtree.Missing},
		{Path: "a/main.tf", Kind: outtree.Stale},
		{Path: "c.tf", Kind: outtree.HandEdit},
		{Path: "d.tf", Kind: outtree.Unchanged},
		{Path: "old.tf", Kind: outtree.HandEdit},
		{Path: "0/gone.tf", Kind: outtree.Extra},
	}
	var plain, color strings.Builder
	summarize(&plain, diag.Palette{}, "out", files, changes)
	summarize(&color, diag.Palette{Enabled: true}, "out", files, changes)
	want := "removed out/0/gone.tf\nupdated out/a/main.tf\ncreated out/b/main.tf\nupdated out/c.tf\nremoved out/old.tf\n" +
		"out: 1 created, 2 updated, 2 removed, 1 unchanged.\n"
	if plain.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", plain.String(), want)
	}
	if !strings.HasPrefix(color.String(), "\x1b[31mremoved\x1b[0m out/0/gone.tf\n\x1b[33mupdated\x1b[0m out/a/main.tf\n\x1b[32mcreated\x1b[0m") {
		t.Errorf("colours: %q", color.String())
	}
}
