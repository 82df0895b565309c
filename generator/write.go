package generator

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Change is what writing the files would do to one path.
type Change struct {
	Path string
	Kind ChangeKind
}

// ChangeKind classifies a Change.
type ChangeKind string

const (
	Missing   ChangeKind = "missing"     // to be created
	Stale     ChangeKind = "stale"       // generated, out of date
	Extra     ChangeKind = "extra"       // generated, no longer implied by the spec
	HandEdit  ChangeKind = "hand-edited" // generated, then edited by a person
	NotOurs   ChangeKind = "not-ours"    // a file without our header where we would write
	Unchanged ChangeKind = "unchanged"
)

// Plan compares files with what is under dir now. It reads only.
func Plan(dir string, files []File) ([]Change, error) {
	want := map[string][]byte{}
	for _, f := range files {
		want[f.Path] = f.Content
	}
	var changes []Change
	existing, err := generatedFiles(dir)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		cur, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			changes = append(changes, Change{f.Path, Missing})
		case err != nil:
			return nil, err
		case bytes.Equal(cur, f.Content):
			changes = append(changes, Change{f.Path, Unchanged})
		default:
			switch Owner(cur) {
			case NotGenerated:
				changes = append(changes, Change{f.Path, NotOurs})
			case HandEdited:
				changes = append(changes, Change{f.Path, HandEdit})
			default:
				changes = append(changes, Change{f.Path, Stale})
			}
		}
	}
	for p, own := range existing {
		if _, ok := want[p]; ok {
			continue
		}
		if own == HandEdited {
			changes = append(changes, Change{p, HandEdit})
		} else {
			changes = append(changes, Change{p, Extra})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes, nil
}

// generatedFiles finds the files under dir that carry our header.
func generatedFiles(dir string) (map[string]Ownership, error) {
	out := map[string]Ownership{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && p != dir {
				return filepath.SkipDir // .terraform and the like
			}
			return nil
		}
		if !d.Type().IsRegular() || (!strings.HasSuffix(p, ".tf") && !strings.HasSuffix(p, ".md") && !strings.HasSuffix(p, ".hcl") && !strings.HasSuffix(p, ".yaml")) {
			return nil
		}
		content, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if own := Owner(content); own != NotGenerated {
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = own
		}
		return nil
	})
	return out, err
}

// ErrConflicts is returned by WriteTree when files a person owns or edited
// stand in the way; nothing was written.
type ErrConflicts struct {
	// Dir is the output directory as the caller named it; messages show
	// paths under it.
	Dir     string
	Changes []Change
}

func (e *ErrConflicts) Error() string {
	var b strings.Builder
	for i, c := range e.Changes {
		if i > 0 {
			b.WriteString("\n")
		}
		p := filepath.ToSlash(filepath.Join(e.Dir, filepath.FromSlash(c.Path)))
		switch c.Kind {
		case HandEdit:
			fmt.Fprintf(&b, "%s was generated, then edited by hand: gen will not overwrite or remove it.\n", p)
			if strings.HasSuffix(c.Path, ".tf") {
				fmt.Fprintf(&b, "  To keep the change, move it to %s (Terraform merges *_override.tf files last and gen never touches them), or into the spec (a role block such as role \"data-task\" { max_session_duration = 7200 }).\n", overrideName(p))
			} else {
				b.WriteString("  To keep the change, make it in the spec.\n")
			}
			b.WriteString("  `lakerunner-iam gen --diff` shows the edit; --force discards it.\n")
		case NotOurs:
			fmt.Fprintf(&b, "%s has no lakerunner-iam header, so gen did not write it and will not overwrite it.\n", p)
			fmt.Fprintf(&b, "  Move it out of the way (if it customizes generated resources, rename it to %s), or generate into another --out directory.\n", overrideName(p))
		}
	}
	b.WriteString("Nothing was written.")
	return b.String()
}

// overrideName is the override file Terraform merges into the module that
// holds path: main.tf → main_override.tf.
func overrideName(p string) string {
	ext := filepath.Ext(p)
	return strings.TrimSuffix(p, ext) + "_override" + ext
}

// WriteOptions tune WriteTree.
type WriteOptions struct {
	// Force overwrites and removes hand-edited generated files. Files
	// without our header are never touched, even with Force.
	Force bool
	// beforeRename, when set, runs after every temporary file is written
	// and before the first rename; tests use it to inject failures.
	beforeRename func() error
	// rename replaces os.Rename; tests use it to fail a rename part-way
	// through the commit.
	rename func(oldpath, newpath string) error
}

// Temporary files WriteTree leaves only while it runs: new content, and
// the previous content of files it replaces or removes, kept until every
// rename has succeeded.
const (
	tempPattern   = ".lakerunner-iam-*.tmp"
	backupPattern = ".lakerunner-iam-*.bak"
)

// WriteTree makes dir hold exactly files, as far as generated files go:
// it writes new and stale files, removes generated files the spec no
// longer implies, and never touches files without our header.
//
// It is all or nothing. All content is first written to temporary files
// next to their destinations; then each destination is moved aside to a
// backup and its new content renamed into place, and each removed file is
// moved to a backup. If any step fails, every step done so far is undone,
// the temporary files and directories WriteTree created are removed, and
// dir is left as it was. Backups are deleted only once everything
// succeeded.
func WriteTree(dir string, files []File, opts WriteOptions) ([]Change, error) {
	changes, err := Plan(dir, files)
	if err != nil {
		return nil, err
	}
	var conflicts []Change
	for _, c := range changes {
		if c.Kind == NotOurs || (c.Kind == HandEdit && !opts.Force) {
			conflicts = append(conflicts, c)
		}
	}
	if len(conflicts) > 0 {
		return changes, &ErrConflicts{Dir: dir, Changes: conflicts}
	}
	rename := opts.rename
	if rename == nil {
		rename = os.Rename
	}
	content := map[string][]byte{}
	for _, f := range files {
		content[f.Path] = f.Content
	}

	// One step per path to write or remove; tmp is "" for a removal.
	type step struct {
		dst, tmp, backup string
		done             bool // dst now holds the new content, or is gone
	}
	var steps []*step
	var createdDirs []string
	// undo restores dir after a failure and returns err, with any file
	// it could not restore named so that nothing is lost silently.
	undo := func(err error) ([]Change, error) {
		var lost []string
		for i := len(steps) - 1; i >= 0; i-- {
			s := steps[i]
			switch {
			case s.backup != "":
				if rerr := rename(s.backup, s.dst); rerr != nil {
					lost = append(lost, fmt.Sprintf("%s (its previous content is in %s: %v)", s.dst, s.backup, rerr))
				}
			case s.done:
				os.Remove(s.dst) // a file this run created
			}
			if s.tmp != "" {
				os.Remove(s.tmp)
			}
		}
		for i := len(createdDirs) - 1; i >= 0; i-- {
			os.Remove(createdDirs[i]) // only succeeds when still empty
		}
		if len(lost) > 0 {
			return changes, fmt.Errorf("%w; could not restore %s", err, strings.Join(lost, ", "))
		}
		return changes, err
	}

	// Prepare: every new content in a temporary file beside its
	// destination, so the renames below stay within one file system.
	for _, c := range changes {
		data, ok := content[c.Path]
		if c.Kind == Unchanged || (!ok && c.Kind != Extra && c.Kind != HandEdit) {
			continue
		}
		dst := filepath.Join(dir, filepath.FromSlash(c.Path))
		if !ok {
			steps = append(steps, &step{dst: dst})
			continue
		}
		made, err := mkdirAll(filepath.Dir(dst))
		createdDirs = append(createdDirs, made...)
		if err != nil {
			return undo(err)
		}
		tmp, err := writeTemp(filepath.Dir(dst), data)
		if err != nil {
			return undo(err)
		}
		steps = append(steps, &step{dst: dst, tmp: tmp})
	}
	if opts.beforeRename != nil {
		if err := opts.beforeRename(); err != nil {
			return undo(err)
		}
	}

	// Commit: move each old file aside, then the new one into place.
	for _, s := range steps {
		if _, err := os.Lstat(s.dst); err == nil {
			backup, err := reserveName(filepath.Dir(s.dst), backupPattern)
			if err != nil {
				return undo(err)
			}
			if err := rename(s.dst, backup); err != nil {
				os.Remove(backup)
				return undo(err)
			}
			s.backup = backup
		} else if !errors.Is(err, fs.ErrNotExist) {
			return undo(err)
		}
		if s.tmp != "" {
			if err := rename(s.tmp, s.dst); err != nil {
				return undo(err)
			}
			s.tmp = ""
		}
		s.done = true
	}

	// Done: drop the backups, and directories that removals emptied.
	for _, s := range steps {
		if s.backup != "" {
			os.Remove(s.backup)
		}
	}
	for _, c := range changes {
		if _, ok := content[c.Path]; !ok {
			removeEmptyParents(dir, filepath.Dir(filepath.Join(dir, filepath.FromSlash(c.Path))))
		}
	}
	return changes, nil
}

func writeTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, tempPattern)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// reserveName returns a new, unused file name in dir for a backup. The
// empty file it creates is replaced by the rename that follows.
func reserveName(dir, pattern string) (string, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	name := f.Name()
	if err := f.Close(); err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
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
