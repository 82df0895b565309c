package outtree

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil"
)

// contents is every file under dir by path, without modes or times.
func contents(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for p, e := range testutil.Snapshot(t, dir) {
		if !e.Mode.IsDir() {
			out[p] = e.Content
		}
	}
	return out
}

// crashAt runs WriteTree and stops it dead at its n-th rename, as a kill
// would: no undo runs (deferred calls do, as the kernel drops a dead
// process's lock). It reports whether the run reached that rename.
func crashAt(t *testing.T, dir string, files []File, n int) bool {
	t.Helper()
	done := make(chan bool)
	go func() {
		crashed := true
		defer func() { done <- crashed }()
		calls := 0
		_, err := WriteTree(dir, files, Options{
			beforeRename: func() error {
				if n == 0 {
					runtime.Goexit()
				}
				return nil
			},
			rename: func(oldpath, newpath string) error {
				if calls++; calls == n {
					runtime.Goexit()
				}
				return os.Rename(oldpath, newpath)
			},
		})
		crashed = false
		if err != nil {
			t.Error(err)
		}
	}()
	return <-done
}

func hasInterrupted(changes []Change) bool {
	return slices.ContainsFunc(changes, func(c Change) bool { return c.Kind == Interrupted })
}

// TestCrashAtEveryRename kills a write at each of its renames (and
// before the first): Plan then reports the interrupted run; the next
// WriteTree finishes it and leaves exactly what an uninterrupted run
// leaves; or, when the journal says the run was undoing a failure, the
// repair gives back the previous tree exactly.
func TestCrashAtEveryRename(t *testing.T) {
	ref := t.TempDir()
	previousTree(t, ref)
	prev := contents(t, ref)
	mustWrite(t, ref, nextFiles(), Options{})
	want := contents(t, ref)

	for n := 0; ; n++ {
		dir := t.TempDir()
		previousTree(t, dir)
		if !crashAt(t, dir, nextFiles(), n) {
			if n <= 6 { // TestWriteTreeRenameCount
				t.Fatalf("only %d renames", n-1)
			}
			break
		}
		changes, err := Plan(dir, nextFiles(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !hasInterrupted(changes) {
			t.Errorf("crash at rename %d: Plan reports no interrupted run: %v", n, changes)
		}
		back := t.TempDir()
		if err := os.CopyFS(back, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}

		mustWrite(t, dir, nextFiles(), Options{})
		if got := contents(t, dir); !reflect.DeepEqual(got, want) {
			t.Errorf("crash at rename %d, then gen: tree differs from an uninterrupted run:\n got %v\nwant %v", n, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
		}

		// The same crash, recorded as an undo in progress, is undone.
		j := readFile(t, filepath.Join(back, journalName))
		testutil.WriteFiles(t, back, map[string]string{journalName: strings.Replace(j, `"phase": "commit"`, `"phase": "rollback"`, 1)})
		if err := repair(back, back); err != nil {
			t.Fatal(err)
		}
		if got := contents(t, back); !reflect.DeepEqual(got, prev) {
			t.Errorf("crash at rename %d, undo repaired: tree differs from the previous one:\n got %v\nwant %v", n, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(prev)))
		}
	}
}

// TestOneRunAtATime: a run waits for the holder of the lock, then gives
// up with a message naming it, having written nothing; a lock left by a
// dead process is taken over.
func TestOneRunAtATime(t *testing.T) {
	dir := t.TempDir()
	previousTree(t, dir)
	held, err := lock(dir, dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	before := testutil.Snapshot(t, dir)
	start := time.Now()
	_, err = WriteTree(dir, nextFiles(), Options{Wait: 300 * time.Millisecond})
	var le *ErrLocked
	if !errors.As(err, &le) || le.PID != os.Getpid() {
		t.Fatalf("err = %v, want ErrLocked naming pid %d", err, os.Getpid())
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Errorf("gave up after %v, before the wait", waited)
	}
	if !strings.Contains(err.Error(), "Run gen again when it has finished") {
		t.Errorf("message: %v", err)
	}
	testutil.AssertSameTree(t, before, testutil.Snapshot(t, dir))

	// Released while the second run waits: it goes ahead.
	go func() {
		time.Sleep(100 * time.Millisecond)
		held.unlock()
	}()
	mustWrite(t, dir, nextFiles(), Options{Wait: 5 * time.Second})

	// A lock file from a process that is gone.
	testutil.WriteFiles(t, dir, map[string]string{lockName: "999999999\n"})
	mustWrite(t, dir, nextFiles()[:1], Options{Wait: time.Millisecond})
}

// TestLockFileLinkIsNotFollowed: a link planted as the lock file does not
// make gen truncate what it points to.
func TestLockFileLinkIsNotFollowed(t *testing.T) {
	dir, outside := t.TempDir(), filepath.Join(t.TempDir(), "precious")
	testutil.WriteFiles(t, filepath.Dir(outside), map[string]string{"precious": "keep me\n"})
	if err := os.Symlink(outside, filepath.Join(dir, lockName)); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteTree(dir, nextFiles(), Options{}); err == nil {
		t.Error("WriteTree locked through a link")
	}
	if got := readFile(t, outside); got != "keep me\n" {
		t.Errorf("the link's target changed: %q", got)
	}
}

// TestLockInNewDirectoryIsCleanedUp: a run that writes nothing into a new
// output directory leaves no directory behind.
func TestLockInNewDirectoryIsCleanedUp(t *testing.T) {
	parent := t.TempDir()
	if _, err := WriteTree(filepath.Join(parent, "a", "out"), nil, Options{}); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
