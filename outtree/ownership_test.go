package outtree

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil"
)

// specFile makes an empty spec file under dir and returns its path.
func specFile(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	testutil.WriteFiles(t, dir, map[string]string{name: "# spec\n"})
	return p
}

// specGen is a generated file whose header names spec.
func specGen(spec, path, body string) File {
	return File{Path: path, Content: WithHeader(spec, []byte(body))}
}

func mustWrite(t *testing.T, dir string, files []File, opts Options) []Change {
	t.Helper()
	changes, err := WriteTree(dir, files, opts)
	if err != nil {
		t.Fatal(err)
	}
	assertNoTemps(t, dir)
	return changes
}

func assertContent(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	for p, c := range want {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		switch {
		case c == "" && !errors.Is(err, fs.ErrNotExist):
			t.Errorf("%s should be gone: %v", p, err)
		case c != "" && string(b) != c:
			t.Errorf("%s = %q, want %q", p, b, c)
		}
	}
}

// TestOverrideFilesAreNeverTouched: an override file copied from a
// generated file carries our header (edited or not); it survives gen with
// and without --force, also when the spec no longer implies the file it
// was copied from.
func TestOverrideFilesAreNeverTouched(t *testing.T) {
	main := genFile("production/main.tf", "module \"data_task\" {}\n")
	for _, tt := range []struct {
		name     string
		override string
		next     []File
		force    bool
	}{
		{"pristine copy", string(main.Content), []File{main}, false},
		{"pristine copy, force", string(main.Content), []File{main}, true},
		{"edited copy", string(main.Content) + "# mine\n", []File{main}, false},
		{"edited copy, force", string(main.Content) + "# mine\n", []File{main}, true},
		{"original no longer implied", string(main.Content), nil, false},
		{"original no longer implied, force", string(main.Content) + "# mine\n", nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			mustWrite(t, dir, []File{main}, Options{})
			tree := map[string]string{
				"production/main_override.tf":  tt.override,
				"production/override.tf":       tt.override,
				"production/roles_override.tf": "# mine\n",
			}
			testutil.WriteFiles(t, dir, tree)
			changes := mustWrite(t, dir, tt.next, Options{Force: tt.force})
			for _, c := range changes {
				if isOverride(c.Path) {
					t.Errorf("change to an override file: %v", c)
				}
			}
			assertContent(t, dir, tree)
		})
	}
}

// TestAdviceNeverNamesOurOwn follows gen's advice for a hand edit: move
// it to the suggested override file. gen then succeeds and leaves the
// override alone; the advice never names a file gen would write, remove
// or suggest again (main_override_override.tf).
func TestAdviceNeverNamesOurOwn(t *testing.T) {
	dir := t.TempDir()
	main := genFile("production/main.tf", "module \"data_task\" {}\n")
	mustWrite(t, dir, []File{main}, Options{})
	edited := string(main.Content) + "# my edit\n"
	testutil.WriteFiles(t, dir, map[string]string{"production/main.tf": edited})
	_, err := WriteTree(dir, []File{main}, Options{})
	var ce *ErrConflicts
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want conflicts", err)
	}
	suggested := filepath.Join(dir, "production/main_override.tf")
	if !strings.Contains(err.Error(), "move it to "+filepath.ToSlash(suggested)+" ") {
		t.Fatalf("advice does not name %s:\n%v", suggested, err)
	}
	// Follow it: the edit moves to the override, main.tf is gen's again.
	if err := os.Rename(filepath.Join(dir, "production/main.tf"), suggested); err != nil {
		t.Fatal(err)
	}
	for _, force := range []bool{false, true} {
		mustWrite(t, dir, []File{main}, Options{Force: force})
		assertContent(t, dir, map[string]string{"production/main_override.tf": edited, "production/main.tf": string(main.Content)})
	}
	for _, p := range []string{"main.tf", "main_override.tf", "override.tf", "x.tf.json", "README.md"} {
		if o, ok := overrideName(p); ok && (!isOverride(o) || strings.Contains(o, "_override_override")) {
			t.Errorf("overrideName(%s) = %s: gen would not leave it alone", p, o)
		}
	}
}

// TestOtherSpecsAndRunsSurvive: two specs generate into one directory,
// and a third run generates into a directory nested in it. Each run
// removes only its own spec's files; a file two specs generate alike is
// shared; one they generate differently is refused, even with --force.
func TestOtherSpecsAndRunsSurvive(t *testing.T) {
	base := t.TempDir()
	out := filepath.Join(base, "out")
	prod, staging, vendor := specFile(t, base, "prod.hcl"), specFile(t, base, "staging.hcl"), specFile(t, base, "vendor.hcl")
	module := func(spec string) File {
		return specGen(spec, "modules/data-task/main.tf", "resource \"aws_iam_role\" \"this\" {}\n")
	}
	prodFiles := []File{module("prod.hcl"), specGen("prod.hcl", "prod/main.tf", "# prod\n"), specGen("prod.hcl", "modules/msk-access/main.tf", "# msk\n")}
	stagingFiles := []File{module("staging.hcl"), specGen("staging.hcl", "staging/main.tf", "# staging\n")}
	vendorFiles := []File{specGen("vendor.hcl", "iam/main.tf", "# vendor\n")}
	mustWrite(t, out, prodFiles, Options{Spec: prod})
	mustWrite(t, filepath.Join(out, "vendor"), vendorFiles, Options{Spec: vendor})
	for _, force := range []bool{false, true} {
		mustWrite(t, out, stagingFiles, Options{Spec: staging, Force: force})
	}
	assertContent(t, out, map[string]string{
		"prod/main.tf":               string(prodFiles[1].Content),
		"modules/msk-access/main.tf": string(prodFiles[2].Content),
		"modules/data-task/main.tf":  string(prodFiles[0].Content),
		"staging/main.tf":            string(stagingFiles[1].Content),
		"vendor/iam/main.tf":         string(vendorFiles[0].Content),
	})

	// prod drops the shared module: staging still generates it, so it stays.
	mustWrite(t, out, prodFiles[1:], Options{Spec: prod, Force: true})
	assertContent(t, out, map[string]string{"modules/data-task/main.tf": string(prodFiles[0].Content)})

	// staging now wants prod's root with other content: refused.
	clash := specGen("staging.hcl", "prod/main.tf", "# staging's idea of prod\n")
	before := testutil.Snapshot(t, out)
	for _, force := range []bool{false, true} {
		_, err := WriteTree(out, append(stagingFiles, clash), Options{Spec: staging, Force: force})
		var ce *ErrConflicts
		if !errors.As(err, &ce) || !reflect.DeepEqual(ce.Changes, []Change{{"prod/main.tf", OtherSpec}}) {
			t.Fatalf("force=%v: err = %v, want an other-spec conflict on prod/main.tf", force, err)
		}
		if !strings.Contains(err.Error(), "generated from "+filepath.ToSlash(filepath.Join(out, "../prod.hcl"))) {
			t.Errorf("message does not name the other spec:\n%v", err)
		}
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, out))
}

// TestRenamedSpecIsNotStale: moving the spec changes the name in the
// headers; no file becomes stale, and the moved spec owns its files (it
// removes those it no longer generates).
func TestRenamedSpecIsNotStale(t *testing.T) {
	base := t.TempDir()
	out := filepath.Join(base, "out")
	old := specFile(t, base, "lakerunner.hcl")
	files := func(spec string, n int) []File {
		all := []File{specGen(spec, "a/main.tf", "# a\n"), specGen(spec, "b/README.md", "# b\n"), specGen(spec, "c/main.tf", "# c\n")}
		return all[:n]
	}
	mustWrite(t, out, files("lakerunner.hcl", 3), Options{Spec: old})
	moved := filepath.Join(base, "infra", "iam.hcl")
	if err := os.MkdirAll(filepath.Dir(moved), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(old, moved); err != nil {
		t.Fatal(err)
	}
	changes, err := Plan(out, files("infra/iam.hcl", 3), Options{Spec: moved})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.Kind != Unchanged {
			t.Errorf("after moving the spec, %s is %s", c.Path, c.Kind)
		}
	}
	got := mustWrite(t, out, files("infra/iam.hcl", 2), Options{Spec: moved})
	if want := []Change{{"a/main.tf", Unchanged}, {"b/README.md", Unchanged}, {"c/main.tf", Extra}}; !reflect.DeepEqual(got, want) {
		t.Errorf("changes = %v, want %v", got, want)
	}
	if m := readFile(t, filepath.Join(out, manifestName)); !strings.Contains(m, `"../infra/iam.hcl"`) || strings.Contains(m, "lakerunner.hcl") {
		t.Errorf("manifest does not name the moved spec:\n%s", m)
	}
}

// TestCRLFCheckoutIsUpToDate: a checkout with CRLF line endings is
// neither stale nor hand-edited, and gen leaves it as it is.
func TestCRLFCheckoutIsUpToDate(t *testing.T) {
	dir := t.TempDir()
	files := nextFiles()
	mustWrite(t, dir, files, Options{})
	for _, f := range files {
		testutil.WriteFiles(t, dir, map[string]string{f.Path: strings.ReplaceAll(string(f.Content), "\n", "\r\n")})
	}
	before := testutil.Snapshot(t, dir)
	for _, c := range mustWrite(t, dir, files, Options{}) {
		if c.Kind != Unchanged {
			t.Errorf("%s is %s", c.Path, c.Kind)
		}
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, dir))
}

// TestTerraformFilesAreNeverTouched: state, lock files and .terraform/
// survive even a manifest that lists them, and gen refuses to write them.
func TestTerraformFilesAreNeverTouched(t *testing.T) {
	dir := t.TempDir()
	mustWrite(t, dir, nextFiles(), Options{})
	user := map[string]string{
		"production/terraform.tfstate":        "{\"version\": 4}\n",
		"production/terraform.tfstate.backup": "{\"version\": 4}\n",
		"production/.terraform.lock.hcl":      "# lock\n",
		"production/.terraform/modules.json":  "{}\n",
	}
	testutil.WriteFiles(t, dir, user)
	m := strings.Replace(readFile(t, filepath.Join(dir, manifestName)), `"files": [`, `"files": ["production/terraform.tfstate", "production/.terraform.lock.hcl", "production/.terraform/modules.json", `, 1)
	testutil.WriteFiles(t, dir, map[string]string{manifestName: m})
	mustWrite(t, dir, nextFiles()[:1], Options{Force: true})
	assertContent(t, dir, user)
	if _, err := WriteTree(dir, []File{genFile("a.tf", "# 1\n"), genFile("a.tf", "# 2\n")}, Options{}); err == nil {
		t.Error("WriteTree accepted a path generated twice")
	}
	for _, p := range []string{"production/terraform.tfstate", "x/.terraform/a.tf", "x/.terraform.lock.hcl", manifestName, "x/main_override.tf", "../x.tf", "/abs.tf", "a/../b.tf"} {
		if _, err := WriteTree(dir, []File{genFile(p, "# x\n")}, Options{}); err == nil {
			t.Errorf("WriteTree wrote %s", p)
		}
	}
}

// TestSymlinks: -o through a link is the link's target; a link inside the
// tree where gen would read or write is refused, and nothing is written
// through it.
func TestSymlinks(t *testing.T) {
	t.Run("output directory is a link", func(t *testing.T) {
		base := t.TempDir()
		real := filepath.Join(base, "real")
		link := filepath.Join(base, "link")
		mustWrite(t, real, []File{genFile("old/main.tf", "# old\n")}, Options{})
		if err := os.Symlink(real, link); err != nil {
			t.Fatal(err)
		}
		changes, err := Plan(link, nextFiles()[:1], Options{})
		if err != nil {
			t.Fatal(err)
		}
		if want := []Change{{"modules/data-task/main.tf", Missing}, {"old/main.tf", Extra}}; !reflect.DeepEqual(changes, want) {
			t.Errorf("Plan through the link = %v, want %v", changes, want)
		}
		mustWrite(t, link, nextFiles()[:1], Options{})
		assertContent(t, real, map[string]string{"old/main.tf": "", "modules/data-task/main.tf": string(nextFiles()[0].Content)})
	})
	for _, tt := range []struct{ name, link string }{
		{"directory link", "production"},
		{"file link", "production/main.tf"},
		{"link further up", "staging/deep"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			out, outside := filepath.Join(base, "out"), filepath.Join(base, "outside")
			testutil.WriteFiles(t, outside, map[string]string{"main.tf": "# not gen's\n"})
			if err := os.MkdirAll(filepath.Dir(filepath.Join(out, tt.link)), 0o755); err != nil {
				t.Fatal(err)
			}
			target := outside
			if strings.HasSuffix(tt.link, ".tf") {
				target = filepath.Join(outside, "main.tf")
			}
			if err := os.Symlink(target, filepath.Join(out, tt.link)); err != nil {
				t.Fatal(err)
			}
			before, beforeOut := testutil.Snapshot(t, outside), testutil.Snapshot(t, out)
			for _, run := range []func() error{
				func() error { _, err := Plan(out, nextFiles(), Options{}); return err },
				func() error { _, err := WriteTree(out, nextFiles(), Options{Force: true}); return err },
			} {
				var se *ErrSymlink
				err := run()
				if !errors.As(err, &se) || se.Path != filepath.ToSlash(filepath.Join(out, tt.link)) {
					t.Fatalf("err = %v, want a symlink error for %s", err, tt.link)
				}
				if !strings.Contains(err.Error(), "Replace the link with a real directory") {
					t.Errorf("message: %v", err)
				}
			}
			testutil.AssertSameTree(t, before, testutil.Snapshot(t, outside))
			testutil.AssertSameTree(t, beforeOut, testutil.Snapshot(t, out))
		})
	}
}

// TestSpecNameCannotLeaveTheComment: whatever the spec's file name holds,
// the header stays three comment lines and the file stays Pristine.
func TestSpecNameCannotLeaveTheComment(t *testing.T) {
	for _, name := range []string{
		"a\nresource \"aws_iam_role\" \"evil\" {}\n#",
		"a\rb", "a\r\nb", "a\x1b[2Jb", "a\u2028b", "a\u0085b", "a\u202eb", "a\xffb", "a--b-->c", "ok/é/spec.hcl",
	} {
		for _, render := range []func(string, []byte) []byte{WithHeader, WithMarkdownHeader} {
			got := render(name, []byte("body\n"))
			header := strings.SplitN(string(got), "\n", 4)
			if len(header) != 4 || !strings.HasPrefix(header[0], "# Code generated") && !strings.HasPrefix(header[0], "<!-- Code generated") {
				t.Fatalf("%q: header broken:\n%s", name, got)
			}
			if strings.ContainsAny(header[0], "\r\x1b\u2028\u0085\u202e") || !strings.HasSuffix(header[0], ". DO NOT EDIT.") {
				t.Errorf("%q: first line %q holds a control character or ends early", name, header[0])
			}
			if strings.HasPrefix(header[0], "<!--") && strings.Contains(header[0][4:], "--") {
				t.Errorf("%q: first line %q closes the HTML comment", name, header[0])
			}
			if header[3] != "\nbody\n" || Owner(got) != Pristine {
				t.Errorf("%q: body or checksum broken:\n%s", name, got)
			}
		}
	}
	if got := escapeName("ok/é/spec.hcl"); got != "ok/é/spec.hcl" {
		t.Errorf("escapeName changed a printable name: %q", got)
	}
}

// TestLegacyTreeWithoutManifest: a tree from before the manifest; the
// files whose header names this run's spec are its own, others stay.
func TestLegacyTreeWithoutManifest(t *testing.T) {
	dir := t.TempDir()
	testutil.WriteFiles(t, dir, map[string]string{
		"old/main.tf":   string(specGen("lakerunner.hcl", "old/main.tf", "# old\n").Content),
		"prod/main.tf":  string(specGen("prod.hcl", "prod/main.tf", "# prod\n").Content),
		"notes/data.tf": "# mine\n",
		// Another run's output directory inside this one.
		"vendor/iam/main.tf":         string(specGen("lakerunner.hcl", "main.tf", "# vendored\n").Content),
		"vendor/iam/" + manifestName: `{"manifest": "lakerunner-iam", "version": 1, "specs": [{"spec": "../../lakerunner.hcl", "files": ["main.tf"]}]}`,
	})
	got := mustWrite(t, dir, []File{specGen("lakerunner.hcl", "new/main.tf", "# new\n")}, Options{})
	if want := []Change{{"new/main.tf", Missing}, {"old/main.tf", Extra}}; !reflect.DeepEqual(got, want) {
		t.Errorf("changes = %v, want %v", got, want)
	}
	assertContent(t, dir, map[string]string{"old/main.tf": "", "prod/main.tf": string(specGen("prod.hcl", "prod/main.tf", "# prod\n").Content), "notes/data.tf": "# mine\n", "vendor/iam/main.tf": string(specGen("lakerunner.hcl", "main.tf", "# vendored\n").Content)})
}

func TestBadManifestIsAnError(t *testing.T) {
	dir := t.TempDir()
	testutil.WriteFiles(t, dir, map[string]string{manifestName: `{"manifest": "lakerunner-iam", "version": 1, "specs": [{"spec": "", "files": ["../../etc/passwd"]}]}`})
	before := testutil.Snapshot(t, dir)
	if _, err := WriteTree(dir, nextFiles(), Options{}); err == nil || !strings.Contains(err.Error(), "is not a lakerunner-iam manifest") {
		t.Errorf("err = %v", err)
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, dir))
}
