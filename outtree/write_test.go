package outtree

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil"
)

// genFile is a generated file with our header, as Render makes them.
func genFile(path, body string) File {
	return File{Path: path, Content: WithHeader("lakerunner.hcl", []byte(body))}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// previousTree is an out/ as an earlier gen and its users left it: a
// generated file still current, one out of date, one the spec no longer
// implies (alone in its directory), and files a person wrote.
func previousTree(t *testing.T, dir string) {
	t.Helper()
	testutil.WriteFiles(t, dir, map[string]string{
		"modules/data-task/main.tf":       string(genFile("modules/data-task/main.tf", "resource \"aws_iam_role\" \"this\" {}\n").Content),
		"production/main.tf":              string(genFile("production/main.tf", "module \"data_task\" {}\n").Content),
		"modules/msk-access/main.tf":      string(genFile("modules/msk-access/main.tf", "# no longer implied\n").Content),
		"production/roles_override.tf":    "module \"data_task\" {\n  max_session_duration = 7200\n}\n",
		"README.md":                       "# Our IAM roles\n",
		"production/.terraform/lock.json": "{}\n",
	})
}

// nextFiles is what the spec implies now: one file unchanged, one
// updated, and new files in new directories.
func nextFiles() []File {
	return []File{
		genFile("modules/data-task/main.tf", "resource \"aws_iam_role\" \"this\" {}\n"),
		genFile("production/main.tf", "module \"data_task\" {\n  source = \"../modules/data-task\"\n}\n"),
		genFile("modules/query-task/main.tf", "resource \"aws_iam_role\" \"this\" {}\n"),
		genFile("staging/deep/er/main.tf", "module \"query_task\" {}\n"),
	}
}

func TestWriteTreeCreatesThenLeavesUnchanged(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	files := nextFiles()
	changes, err := WriteTree(dir, files, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.Kind != Missing {
			t.Errorf("first write: %s is %s, want %s", c.Path, c.Kind, Missing)
		}
	}
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if got := readFile(t, p); got != string(f.Content) {
			t.Errorf("%s: wrong content:\n%s", f.Path, got)
		}
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", f.Path, info.Mode().Perm())
		}
	}
	before := testutil.Snapshot(t, dir)
	changes, err = WriteTree(dir, files, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.Kind != Unchanged {
			t.Errorf("second write: %s is %s, want %s", c.Path, c.Kind, Unchanged)
		}
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, dir))
}

func TestWriteTreeUpdatesRemovesAndKeepsUserFiles(t *testing.T) {
	dir := t.TempDir()
	previousTree(t, dir)
	changes, err := WriteTree(dir, nextFiles(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{"modules/data-task/main.tf", Unchanged},
		{"modules/msk-access/main.tf", Extra},
		{"modules/query-task/main.tf", Missing},
		{"production/main.tf", Stale},
		{"staging/deep/er/main.tf", Missing},
	}
	if !reflect.DeepEqual(changes, want) {
		t.Errorf("changes = %v, want %v", changes, want)
	}
	for _, f := range nextFiles() {
		if got := readFile(t, filepath.Join(dir, filepath.FromSlash(f.Path))); got != string(f.Content) {
			t.Errorf("%s not written: %s", f.Path, got)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "modules/msk-access")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("modules/msk-access/ should be removed with its only generated file: %v", err)
	}
	for p, c := range map[string]string{
		"production/roles_override.tf":    "module \"data_task\" {\n  max_session_duration = 7200\n}\n",
		"README.md":                       "# Our IAM roles\n",
		"production/.terraform/lock.json": "{}\n",
	} {
		if got := readFile(t, filepath.Join(dir, p)); got != c {
			t.Errorf("user file %s changed: %q", p, got)
		}
	}
	assertNoTemps(t, dir)
}

func TestWriteTreeKeepsDirectoryWithUserFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := WriteTree(dir, []File{genFile("old/main.tf", "# gone\n")}, Options{}); err != nil {
		t.Fatal(err)
	}
	testutil.WriteFiles(t, dir, map[string]string{"old/notes_override.tf": "# mine\n"})
	if _, err := WriteTree(dir, nil, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "old/main.tf")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("old/main.tf should be removed: %v", err)
	}
	if got := readFile(t, filepath.Join(dir, "old/notes_override.tf")); got != "# mine\n" {
		t.Errorf("user file changed: %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, manifestName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the manifest of a tree with no generated file left should be removed: %v", err)
	}
}

// TestWriteTreeFailureChangesNothing injects a failure at each point of
// the commit and expects the previous tree back, byte for byte, with no
// temporary file and no new directory left.
func TestWriteTreeFailureChangesNothing(t *testing.T) {
	boom := errors.New("injected failure")
	failAt := func(n int) func(string, string) error {
		calls := 0
		return func(oldpath, newpath string) error {
			calls++
			if calls == n {
				return boom
			}
			return os.Rename(oldpath, newpath)
		}
	}
	tests := []struct {
		name string
		opts Options
	}{
		{"before the first rename", Options{beforeRename: func() error { return boom }}},
		{"first rename", Options{rename: failAt(1)}},
		{"second rename", Options{rename: failAt(2)}},
		{"middle rename", Options{rename: failAt(3)}},
		{"next to last rename", Options{rename: failAt(5)}},
		{"last rename", Options{rename: failAt(6)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			previousTree(t, dir)
			before := testutil.Snapshot(t, dir)
			_, err := WriteTree(dir, nextFiles(), tt.opts)
			if !errors.Is(err, boom) {
				t.Fatalf("err = %v, want the injected failure", err)
			}
			testutil.AssertSameTree(t, before, testutil.Snapshot(t, dir))
		})
	}
}

// TestWriteTreeWriteFailureChangesNothing fails the write of one
// temporary file (they are written concurrently) and expects the previous
// tree back, byte for byte: no temporary file of the writes that
// succeeded, no new directory, no journal.
func TestWriteTreeWriteFailureChangesNothing(t *testing.T) {
	boom := errors.New("injected failure")
	// nextFiles writes production/main.tf, modules/query-task/main.tf,
	// staging/deep/er/main.tf and the manifest.
	for _, failing := range []string{"production", "query-task", "er", "."} {
		t.Run(failing, func(t *testing.T) {
			dir := t.TempDir()
			previousTree(t, dir)
			before := testutil.Snapshot(t, dir)
			writes := 0
			var mu sync.Mutex
			_, err := WriteTree(dir, nextFiles(), Options{writeFile: func(p string, data []byte) error {
				if filepath.Base(filepath.Dir(p)) == failing || (failing == "." && filepath.Dir(p) == dir) {
					return boom
				}
				mu.Lock()
				writes++
				mu.Unlock()
				return writeFile(p, data)
			}})
			if !errors.Is(err, boom) {
				t.Fatalf("err = %v, want the injected failure", err)
			}
			if writes != 3 {
				t.Errorf("%d temporary files written, want the 3 that do not fail", writes)
			}
			testutil.AssertSameTree(t, before, testutil.Snapshot(t, dir))
		})
	}
}

// TestWriteTreeRenameCount pins the number of renames the previous tree
// needs, so that the failure points above stay meaningful: two backups
// (the stale file and the extra one), three new files and the new
// manifest in place.
func TestWriteTreeRenameCount(t *testing.T) {
	dir := t.TempDir()
	previousTree(t, dir)
	calls := 0
	_, err := WriteTree(dir, nextFiles(), Options{rename: func(o, n string) error {
		calls++
		return os.Rename(o, n)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 6 {
		t.Errorf("%d renames, want 6", calls)
	}
}

func TestWriteTreeFailureInEmptyDirRemovesWhatItMade(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	_, err := WriteTree(dir, nextFiles(), Options{beforeRename: func() error { return errors.New("no") }})
	if err == nil {
		t.Fatal("want the injected error")
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("left behind in %s: %v", parent, entries)
	}
}

func TestWriteTreePlanErrorChangesNothing(t *testing.T) {
	dir := t.TempDir()
	previousTree(t, dir)
	// A file where a generated directory must go.
	testutil.WriteFiles(t, dir, map[string]string{"staging": "not a directory\n"})
	before := testutil.Snapshot(t, dir)
	if _, err := WriteTree(dir, nextFiles(), Options{}); err == nil {
		t.Fatal("want an error for a file in the way of a directory")
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, dir))
}

func TestWriteTreeConflicts(t *testing.T) {
	edited := string(genFile("production/main.tf", "module \"data_task\" {}\n").Content) + "# my edit\n"
	tests := []struct {
		name      string
		tree      map[string]string
		force     bool
		conflicts []Change
		after     map[string]string // expected content after a successful write; "" means gone
	}{
		{
			name:      "hand-edited file is refused",
			tree:      map[string]string{"production/main.tf": edited},
			conflicts: []Change{{"production/main.tf", HandEdit}},
		},
		{
			name:  "hand-edited file is overwritten with force",
			tree:  map[string]string{"production/main.tf": edited},
			force: true,
			after: map[string]string{"production/main.tf": string(genFile("production/main.tf", "module \"data_task\" {\n  source = \"../modules/data-task\"\n}\n").Content)},
		},
		{
			name:      "hand-edited file the spec no longer implies is kept",
			tree:      map[string]string{"modules/msk-access/main.tf": string(genFile("modules/msk-access/main.tf", "x\n").Content) + "# edit\n"},
			conflicts: []Change{{"modules/msk-access/main.tf", HandEdit}},
		},
		{
			name:  "hand-edited file the spec no longer implies is removed with force",
			tree:  map[string]string{"modules/msk-access/main.tf": string(genFile("modules/msk-access/main.tf", "x\n").Content) + "# edit\n"},
			force: true,
			after: map[string]string{"modules/msk-access/main.tf": ""},
		},
		{
			name:      "file without header is never overwritten",
			tree:      map[string]string{"production/main.tf": "# written by hand\n"},
			conflicts: []Change{{"production/main.tf", NotOurs}},
		},
		{
			name:      "not even with force",
			tree:      map[string]string{"production/main.tf": "# written by hand\n"},
			force:     true,
			conflicts: []Change{{"production/main.tf", NotOurs}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			testutil.WriteFiles(t, dir, tt.tree)
			before := testutil.Snapshot(t, dir)
			_, err := WriteTree(dir, nextFiles(), Options{Force: tt.force})
			if tt.conflicts != nil {
				var ce *ErrConflicts
				if !errors.As(err, &ce) {
					t.Fatalf("err = %v, want conflicts", err)
				}
				if !reflect.DeepEqual(ce.Changes, tt.conflicts) {
					t.Errorf("conflicts = %v, want %v", ce.Changes, tt.conflicts)
				}
				testutil.AssertSameTree(t, before, testutil.Snapshot(t, dir))
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for p, want := range tt.after {
				b, err := os.ReadFile(filepath.Join(dir, p))
				switch {
				case want == "" && !errors.Is(err, fs.ErrNotExist):
					t.Errorf("%s should be gone: %v", p, err)
				case want != "" && string(b) != want:
					t.Errorf("%s = %q, want %q", p, b, want)
				}
			}
			assertNoTemps(t, dir)
		})
	}
}

func TestErrConflictsMessage(t *testing.T) {
	err := &ErrConflicts{Dir: "out", Changes: []Change{
		{"production/main.tf", HandEdit},
		{"production/kecs/rbac.yaml", HandEdit},
		{"staging/main.tf", NotOurs},
	}}
	want := `out/production/main.tf was generated, then edited by hand: gen will not overwrite or remove it.
  To keep the change, move it to out/production/main_override.tf (Terraform merges *_override.tf files last and gen never touches them), or into the spec (a role block such as role "data-task" { max_session_duration = 7200 }).
  ` + "`lakerunner-iam gen --diff`" + ` shows the edit; --force discards it.

out/production/kecs/rbac.yaml was generated, then edited by hand: gen will not overwrite or remove it.
  To keep the change, make it in the spec.
  ` + "`lakerunner-iam gen --diff`" + ` shows the edit; --force discards it.

out/staging/main.tf has no lakerunner-iam header, so gen did not write it and will not overwrite it.
  Move it out of the way (if it customizes generated resources, rename it to out/staging/main_override.tf), or generate into another --out directory.
Nothing was written.`
	if got := err.Error(); got != want {
		t.Errorf("message:\n%s\nwant:\n%s", got, want)
	}
}

func TestPlanClassifies(t *testing.T) {
	dir := t.TempDir()
	previousTree(t, dir)
	testutil.WriteFiles(t, dir, map[string]string{
		"staging/deep/er/main.tf": "# mine\n",
		"production/variables.tf": string(genFile("production/variables.tf", "variable \"x\" {}\n").Content) + "\n# edited\n",
	})
	before := testutil.Snapshot(t, dir)
	changes, err := Plan(dir, nextFiles(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{"modules/data-task/main.tf", Unchanged},
		{"modules/msk-access/main.tf", Extra},
		{"modules/query-task/main.tf", Missing},
		{"production/main.tf", Stale},
		{"production/variables.tf", HandEdit},
		{"staging/deep/er/main.tf", NotOurs},
	}
	if !reflect.DeepEqual(changes, want) {
		t.Errorf("changes = %v\nwant %v", changes, want)
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, dir))
}

func TestPlanOfMissingDir(t *testing.T) {
	changes, err := Plan(filepath.Join(t.TempDir(), "none"), nextFiles()[:1], Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Change{{"modules/data-task/main.tf", Missing}}; !reflect.DeepEqual(changes, want) {
		t.Errorf("changes = %v, want %v", changes, want)
	}
}

// assertNoTemps fails for any temporary, backup, journal or lock file
// under dir: a completed run leaves none.
func assertNoTemps(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && (leftover.MatchString(d.Name()) || d.Name() == journalName || d.Name() == lockName) {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}

// TestEmptyFileIsWritten: a file with no content is a file to write, not
// a removal.
func TestEmptyFileIsWritten(t *testing.T) {
	dir := t.TempDir()
	if got := mustWrite(t, dir, []File{{Path: "empty.txt"}}, Options{}); !reflect.DeepEqual(got, []Change{{"empty.txt", Missing}}) {
		t.Errorf("changes = %v", got)
	}
	if got := mustWrite(t, dir, []File{{Path: "empty.txt"}}, Options{}); !reflect.DeepEqual(got, []Change{{"empty.txt", Unchanged}}) {
		t.Errorf("second write: changes = %v", got)
	}
}
