package outtree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// DefaultWait is how long WriteTree waits for another run to finish with
// the same output directory.
const DefaultWait = 5 * time.Second

// WriteTree makes dir hold exactly files, as far as this spec's generated
// files go: it writes new and stale files, removes the files the spec
// generated earlier and no longer implies, and never touches files without
// our header, override files, Terraform's files or another spec's files.
//
// It is all or nothing, even when the process is killed (see the package
// documentation): on an error every step done so far is undone; after a
// kill, the next WriteTree finishes the run. One run at a time writes
// into dir; WriteTree waits opts.Wait for another, then returns ErrLocked.
func WriteTree(dir string, files []File, opts Options) ([]Change, error) {
	root, err := resolve(dir)
	if err != nil {
		return nil, err
	}
	made, err := mkdirAll(root)
	// Removed again unless something was written into it (LIFO: after
	// the lock file is gone).
	defer removeDirs(made)
	if err != nil {
		return nil, err
	}
	wait := opts.Wait
	if wait == 0 {
		wait = DefaultWait
	}
	lk, err := lock(root, dir, wait)
	if err != nil {
		return nil, err
	}
	defer lk.unlock()
	if err := repair(root, dir); err != nil {
		return nil, fmt.Errorf("an earlier gen run into %s was interrupted and could not be repaired: %w", dir, err)
	}
	p, err := plan(dir, files, opts)
	if err != nil {
		return nil, err
	}
	var changes, conflicts []Change
	owners := map[string]string{}
	for _, c := range p.changes {
		switch {
		case c.Kind == Interrupted:
			continue // our own lock; repair removed the rest
		case c.Kind == NotOurs || c.Kind == OtherSpec || (c.Kind == HandEdit && !opts.Force):
			conflicts = append(conflicts, c)
			if c.Kind == OtherSpec {
				owners[c.Path] = p.owners[c.Path]
			}
		}
		changes = append(changes, c)
	}
	if len(conflicts) > 0 {
		return changes, &ErrConflicts{Dir: dir, Changes: conflicts, Owners: owners}
	}
	rename := opts.rename
	if rename == nil {
		rename = os.Rename
	}

	// Prepare: every new content in a temporary file beside its
	// destination, so the renames below stay within one file system.
	j := &journal{Phase: phaseCommit}
	fail := func(err error) ([]Change, error) {
		j.Phase = phaseRollback
		if werr := writeJournal(root, j); werr != nil {
			return changes, fmt.Errorf("%w; and undoing it failed: %v (the next gen repairs %s)", err, werr, dir)
		}
		if rerr := rollBack(root, j, os.Rename); rerr != nil {
			return changes, fmt.Errorf("%w; and undoing it failed: %v (the next gen repairs %s)", err, rerr, dir)
		}
		return changes, err
	}
	// The files are written once every step is known, concurrently
	// (writeTemps).
	var steps []step
	var temps []temp
	add := func(rel string, data []byte, existed bool) error {
		s := step{Path: rel, Existed: existed}
		tmp := tempName(rel)
		s.Backup = backupOf(tmp)
		if data != nil {
			dirs, err := mkdirAll(filepath.Dir(full(root, rel)))
			for _, d := range dirs {
				r, _ := filepath.Rel(root, d)
				j.Dirs = append(j.Dirs, filepath.ToSlash(r))
			}
			if err != nil {
				return err
			}
			s.Tmp = tmp
			temps = append(temps, temp{step: len(steps), path: full(root, tmp), data: data})
		}
		steps = append(steps, s)
		return nil
	}
	for _, c := range changes {
		data, ok := p.want[c.Path]
		if c.Kind == Unchanged || (!ok && c.Kind != Extra && c.Kind != HandEdit) {
			continue
		}
		if err := add(c.Path, data, c.Kind != Missing); err != nil {
			return fail(err)
		}
	}
	if !sameBytes(p.manifest, p.oldManifest) {
		if err := add(manifestName, p.manifest, p.oldManifest != nil); err != nil {
			return fail(err)
		}
	}
	if len(steps) == 0 {
		return changes, nil
	}
	// The journal may only name temporary files that a power cut cannot
	// take back: their content is synced, and so are their entries in
	// their directories (writeTemps). A step whose file could not be
	// written is left out of the undo, as it never began.
	write := opts.writeFile
	if write == nil {
		write = writeFile
	}
	failed := writeTemps(temps, write)
	for i, s := range steps {
		if failed[i] == nil {
			j.Steps = append(j.Steps, s)
		}
	}
	for _, t := range temps {
		if err := failed[t.step]; err != nil {
			return fail(err)
		}
	}
	if err := writeJournal(root, j); err != nil {
		return fail(err)
	}
	if opts.beforeRename != nil {
		if err := opts.beforeRename(); err != nil {
			return fail(err)
		}
	}

	// Commit: move each old file aside, then the new one into place.
	for _, s := range j.Steps {
		if s.Existed {
			if err := rename(full(root, s.Path), full(root, s.Backup)); err != nil {
				return fail(err)
			}
		}
		if s.Tmp != "" {
			if err := rename(full(root, s.Tmp), full(root, s.Path)); err != nil {
				return fail(err)
			}
		}
	}
	// Done: drop the backups, directories that removals emptied, and the
	// journal.
	if err := rollForward(root, j, rename); err != nil {
		return changes, fmt.Errorf("%w (the next gen finishes the run)", err)
	}
	return changes, nil
}

// temp is the new content of the step'th step, for its temporary file.
type temp struct {
	step int
	path string
	data []byte
}

// writers bounds how many temporary files are written at once. Syncing
// them concurrently lets the file system commit many in one journal
// transaction, where one after another each waits for its own.
const writers = 16

// writeTemps writes and syncs each temporary file, writers at a time, and
// syncs each directory once its last file is written. It returns the
// error of each step whose file failed; a failed file is removed again.
func writeTemps(temps []temp, writeFile func(string, []byte) error) map[int]error {
	left := map[string]int{} // files of each directory not yet written
	for _, t := range temps {
		left[filepath.Dir(t.path)]++
	}
	failed := map[int]error{}
	var mu sync.Mutex
	each(len(temps), func(i int) {
		t := temps[i]
		err := writeFile(t.path, t.data)
		mu.Lock()
		dir := filepath.Dir(t.path)
		left[dir]--
		last := left[dir] == 0
		if err != nil {
			failed[t.step] = err
		}
		mu.Unlock()
		if last {
			syncDir(dir)
		}
	})
	return failed
}

// each calls f(0) to f(n-1), at most writers at a time.
func each(n int, f func(int)) {
	var g errgroup.Group
	g.SetLimit(writers)
	for i := range n {
		g.Go(func() error { f(i); return nil })
	}
	_ = g.Wait() // f reports its own errors
}

// mkdirAll is os.MkdirAll that reports the directories it created, so a
// failed write can remove them again.
func mkdirAll(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append([]string{d}, missing...)
		if filepath.Dir(d) == d {
			break
		}
	}
	var made []string
	for _, d := range missing {
		if err := os.Mkdir(d, 0o755); err != nil {
			if errors.Is(err, fs.ErrExist) {
				continue // made by someone else meanwhile: not ours to remove
			}
			return made, err
		}
		made = append(made, d)
	}
	return made, nil
}

// removeDirs removes dirs, innermost first, as far as they are empty.
func removeDirs(dirs []string) {
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i])
	}
}

// removeEmptyParents removes dir and its parents up to, not including,
// root, as long as they are empty.
func removeEmptyParents(root, dir string) {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		rel, err := filepath.Rel(root, d)
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return
		}
		if os.Remove(d) != nil {
			return
		}
	}
}
