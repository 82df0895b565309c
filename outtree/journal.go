package outtree

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// journal is .lakerunner-iam-journal.json: the renames of one run,
// written before the first of them, so that a run killed part-way can be
// finished (or its undo finished) by the next.
type journal struct {
	// Phase is "commit" while the run moves files into place: a repair
	// rolls forward. It is "rollback" once the run undoes a failure: a
	// repair finishes the undo.
	Phase string `json:"phase"`
	// Dirs are the directories the run created, outermost first.
	Dirs  []string `json:"dirs,omitempty"`
	Steps []step   `json:"steps"`
}

// step is one file to write or remove. Paths are relative to the root.
type step struct {
	Path string `json:"path"`
	// Tmp holds the new content, complete before the journal is written;
	// "" for a removal.
	Tmp string `json:"tmp,omitempty"`
	// Backup is where the old content goes until the run is done.
	Backup  string `json:"backup"`
	Existed bool   `json:"existed"`
}

const (
	phaseCommit   = "commit"
	phaseRollback = "rollback"
)

// tempName returns a fresh name beside rel for a temporary (.tmp) or
// backup (.bak) file; the two of one step share the random part.
func tempName(rel string) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return pathJoin(dirOf(rel), ".lakerunner-iam-"+hex.EncodeToString(b[:])+".tmp")
}

func backupOf(tmp string) string { return strings.TrimSuffix(tmp, ".tmp") + ".bak" }

func dirOf(rel string) string {
	if i := strings.LastIndexByte(rel, '/'); i >= 0 {
		return rel[:i]
	}
	return ""
}

func pathJoin(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

func full(root, rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// writeJournal replaces the journal atomically: it is whole or absent.
func writeJournal(root string, j *journal) error {
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	tmp := full(root, tempName(""))
	if err := writeFile(tmp, b); err != nil {
		return err
	}
	if err := os.Rename(tmp, full(root, journalName)); err != nil {
		os.Remove(tmp)
		return err
	}
	syncDir(root)
	return nil
}

// repair finishes a run that was interrupted, as its journal says, and
// removes temporary and backup files that runs without a journal (killed
// before writing it, or from an earlier version) left.
func repair(root, shown string) error {
	b, err := os.ReadFile(full(root, journalName))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	default:
		var j journal
		if err := json.Unmarshal(b, &j); err != nil || (j.Phase != phaseCommit && j.Phase != phaseRollback) {
			return fmt.Errorf("%s is not a journal gen can read (%v); an interrupted run cannot be repaired from it. Restore the output directory from version control, delete the journal, and run gen again", filepath.ToSlash(filepath.Join(shown, journalName)), err)
		}
		for _, s := range j.Steps {
			for _, p := range []string{s.Path, s.Tmp, s.Backup} {
				if p != "" && checkRel(p) != nil {
					return fmt.Errorf("%s names %q, outside the output directory; delete the journal and run gen again", filepath.ToSlash(filepath.Join(shown, journalName)), p)
				}
			}
		}
		if j.Phase == phaseCommit {
			err = rollForward(root, &j, os.Rename)
		} else {
			err = rollBack(root, &j, os.Rename)
		}
		if err != nil {
			return err
		}
	}
	return walkTree(root, func(rel string) error {
		if leftover.MatchString(filepath.Base(rel)) {
			return os.Remove(full(root, rel))
		}
		return nil
	})
}

// rollForward completes every step not yet done, then finishes. A step's
// state shows in which of its files exist: the temporary file is gone once
// it is in place, and the backup exists once the old content is aside.
func rollForward(root string, j *journal, rename func(string, string) error) error {
	for _, s := range j.Steps {
		dst, bak := full(root, s.Path), full(root, s.Backup)
		if s.Tmp != "" && !exists(full(root, s.Tmp)) {
			continue // in place
		}
		if s.Existed && exists(dst) && !exists(bak) {
			if err := rename(dst, bak); err != nil {
				return err
			}
		}
		if s.Tmp != "" {
			if err := rename(full(root, s.Tmp), dst); err != nil {
				return err
			}
		}
	}
	for _, s := range j.Steps {
		if err := os.Remove(full(root, s.Backup)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	for _, s := range j.Steps {
		if s.Tmp == "" {
			removeEmptyParents(root, filepath.Dir(full(root, s.Path)))
		}
	}
	return removeJournal(root)
}

// rollBack puts every old file back and removes what the run created.
func rollBack(root string, j *journal, rename func(string, string) error) error {
	for i := len(j.Steps) - 1; i >= 0; i-- {
		s := j.Steps[i]
		dst, bak := full(root, s.Path), full(root, s.Backup)
		switch {
		case exists(bak):
			if err := rename(bak, dst); err != nil {
				return fmt.Errorf("%w; the previous content of %s is in %s", err, s.Path, s.Backup)
			}
		case !s.Existed && s.Tmp != "" && !exists(full(root, s.Tmp)):
			if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err // a file this run created
			}
		}
		if s.Tmp != "" {
			if err := os.Remove(full(root, s.Tmp)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	for i := len(j.Dirs) - 1; i >= 0; i-- {
		os.Remove(full(root, j.Dirs[i])) // only succeeds when still empty
	}
	return removeJournal(root)
}

func removeJournal(root string) error {
	if err := os.Remove(full(root, journalName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	syncDir(root)
	return nil
}

// writeFile writes a new file and flushes it to disk, so that a journal
// written after it never names content a power cut could lose.
func writeFile(p string, data []byte) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p)
	}
	return err
}

// syncDir flushes a directory's entries (the renames in it), as far as
// the platform can: Windows cannot sync a directory, so errors are
// ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
