// Package testutil holds the helpers that tests of several packages share:
// the one -update flag for golden files, and snapshots of directory trees
// for proving that a run wrote nothing. It depends only on the standard
// library, so any package's tests may import it.
package testutil

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// Update is the -update flag every golden test reads: `go test ./... -update`
// (make golden) rewrites the golden files instead of comparing with them.
var Update = flag.Bool("update", false, "rewrite golden files instead of comparing with them")

// Entry is what a snapshot records of one path.
type Entry struct {
	Mode    fs.FileMode
	ModTime time.Time // files only
	Content string    // a file's bytes, "-> target" for a symlink, "" for a directory
}

// Snapshot records every file, symlink and directory under dir, with the
// contents, modes and modification times of files: equal snapshots mean
// nothing under dir was written, created or removed, not even a temporary
// file. Directory times are left out: a run creates and removes its lock
// file in the output directory. A missing dir is an empty snapshot.
func Snapshot(t testing.TB, dir string) map[string]Entry {
	t.Helper()
	snap := map[string]Entry{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		e := Entry{Mode: info.Mode()}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			e.Content = "-> " + target
		case !d.IsDir():
			e.ModTime = info.ModTime()
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			e.Content = string(b)
		}
		rel, _ := filepath.Rel(dir, p)
		snap[filepath.ToSlash(rel)] = e
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	return snap
}

// AssertSameTree fails with the paths that differ between two snapshots.
func AssertSameTree(t testing.TB, before, after map[string]Entry) {
	t.Helper()
	if reflect.DeepEqual(before, after) {
		return
	}
	var diffs []string
	for p, b := range before {
		a, ok := after[p]
		switch {
		case !ok:
			diffs = append(diffs, "removed "+p)
		case a != b:
			diffs = append(diffs, "changed "+p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			diffs = append(diffs, "added "+p)
		}
	}
	slices.Sort(diffs)
	t.Errorf("tree changed:\n  %s", strings.Join(diffs, "\n  "))
}

// WriteFiles writes files (slash-separated paths relative to dir) with
// their parent directories.
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// PointerShape lists, for each pointer a walk of v reaches (maps in key
// order), the index of its first occurrence: two deep-equal values share
// their pointers alike when their shapes are equal.
func PointerShape(v reflect.Value) []int {
	var shape []int
	first := map[uintptr]int{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				return
			}
			i, seen := first[v.Pointer()]
			if !seen {
				i = len(first)
				first[v.Pointer()] = i
			}
			shape = append(shape, i)
			if !seen {
				walk(v.Elem())
			}
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			keys := v.MapKeys()
			slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
			for _, k := range keys {
				walk(v.MapIndex(k))
			}
		}
	}
	walk(v)
	return shape
}
