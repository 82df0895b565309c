package outtree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
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
	OtherSpec ChangeKind = "other-spec"  // generated from another spec that still exists
	// Interrupted marks what a gen run that was killed (or is still
	// running) left: its journal, lock, temporary or backup files. The
	// next gen repairs the tree and removes them.
	Interrupted ChangeKind = "interrupted"
	Unchanged   ChangeKind = "unchanged"
)

// Options tune Plan and WriteTree.
type Options struct {
	// Spec is the path of the spec the files come from. The manifest
	// records which files each spec generated, so that a run removes only
	// its own spec's files.
	Spec string
	// Force overwrites and removes hand-edited generated files. Files
	// without our header, override files and another spec's files are
	// never touched, even with Force.
	Force bool
	// Wait is how long WriteTree waits for another run to release the
	// output directory; 0 means DefaultWait.
	Wait time.Duration

	// beforeRename, when set, runs after the journal is written and
	// before the first rename; tests use it to inject failures.
	beforeRename func() error
	// rename replaces os.Rename for the renames of the commit; tests use
	// it to fail one part-way through.
	rename func(oldpath, newpath string) error
	// writeFile replaces writeFile for the temporary files; tests use
	// it to fail a write.
	writeFile func(path string, data []byte) error
}

// Plan compares files with what is under dir now. It reads only.
func Plan(dir string, files []File, opts Options) ([]Change, error) {
	p, err := plan(dir, files, opts)
	if err != nil {
		return nil, err
	}
	return p.changes, nil
}

// planned is a Plan and what WriteTree needs to carry it out.
type planned struct {
	root    string // dir with links resolved
	changes []Change
	want    map[string][]byte
	// owners names, for each file another spec's entry lists, that spec.
	owners map[string]string
	// manifest is the manifest after the write (nil: none); oldManifest
	// the one there now.
	manifest, oldManifest []byte
}

func plan(dir string, files []File, opts Options) (*planned, error) {
	root, err := resolve(dir)
	if err != nil {
		return nil, err
	}
	p := &planned{root: root, want: map[string][]byte{}, owners: map[string]string{}}
	for _, f := range files {
		if err := checkRel(f.Path); err != nil {
			return nil, err
		}
		if isOverride(f.Path) || isProtected(f.Path) {
			return nil, fmt.Errorf("%s is a name gen never writes (an override file, Terraform's own or gen's bookkeeping)", f.Path)
		}
		if _, dup := p.want[f.Path]; dup {
			return nil, fmt.Errorf("%s is generated twice", f.Path)
		}
		p.want[f.Path] = f.Content
		if f.Content == nil {
			p.want[f.Path] = []byte{} // nil means "remove" below
		}
	}
	m, oldManifest, err := readManifest(root, dir)
	if err != nil {
		return nil, err
	}
	p.oldManifest = oldManifest
	key, err := specKey(root, opts.Spec)
	if err != nil {
		return nil, err
	}

	var legacy []string
	err = walkTree(root, func(rel string) error {
		if leftover.MatchString(filepath.Base(rel)) || rel == journalName || rel == lockName {
			p.changes = append(p.changes, Change{rel, Interrupted})
		} else if m == nil && !isOverride(rel) && !isProtected(rel) {
			legacy = append(legacy, rel)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ours, next := p.owned(m, key, legacy)

	ck := &checker{root: root, shown: dir}
	for _, f := range files {
		kind, err := p.classify(ck, f.Path, p.want[f.Path])
		if err != nil {
			return nil, err
		}
		p.changes = append(p.changes, Change{f.Path, kind})
	}
	for _, rel := range slices.Sorted(maps.Keys(ours)) {
		if _, ok := p.want[rel]; ok || isOverride(rel) || isProtected(rel) {
			continue
		}
		if isOwned(p.owners, rel) {
			continue // another spec generates it too
		}
		kind, err := p.classify(ck, rel, nil)
		if err != nil {
			return nil, err
		}
		if kind != "" {
			p.changes = append(p.changes, Change{rel, kind})
		}
	}
	own := specFiles{Spec: key}
	for _, f := range files {
		own.Files = append(own.Files, f.Path)
	}
	next.Specs = append(next.Specs, own)
	p.manifest = next.encode()
	slices.SortFunc(p.changes, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return p, nil
}

// owned returns the existing files this run may remove: its own spec's,
// and those of a spec that is gone (renamed or moved) when it generates
// some of the same files. It fills p.owners with the files of the other
// specs and returns the manifest entries to keep for them.
func (p *planned) owned(m *manifest, key string, legacy []string) (map[string]bool, *manifest) {
	ours := map[string]bool{}
	next := &manifest{}
	if m == nil {
		// A tree from before the manifest: files whose header names a spec
		// this run also names are its own.
		names := map[string]bool{}
		for _, c := range p.want {
			if n := specNameOf(c); n != "" {
				names[n] = true
			}
		}
		for _, rel := range legacy {
			if head, err := readHead(full(p.root, rel)); err == nil && names[specNameOf(head)] {
				ours[rel] = true
			}
		}
	} else {
		for _, s := range m.Specs {
			if s.Spec == key || (specGone(p.root, s.Spec) && slices.ContainsFunc(s.Files, func(f string) bool { _, ok := p.want[f]; return ok })) {
				for _, f := range s.Files {
					ours[f] = true
				}
				continue
			}
			kept := specFiles{Spec: s.Spec}
			for _, f := range s.Files {
				if exists(full(p.root, f)) {
					kept.Files = append(kept.Files, f)
					if _, ok := p.owners[f]; !ok {
						p.owners[f] = s.Spec
					}
				}
			}
			next.Specs = append(next.Specs, kept)
		}
	}
	return ours, next
}

// classify says what writing want to rel (or removing rel, for nil) would
// do; "" when nothing, for a file to remove that is gone or no longer has
// our header.
func (p *planned) classify(ck *checker, rel string, want []byte) (ChangeKind, error) {
	info, err := ck.check(rel)
	if err != nil {
		return "", err
	}
	if info == nil {
		if want == nil {
			return "", nil
		}
		return Missing, nil
	}
	cur, err := os.ReadFile(filepath.Join(p.root, filepath.FromSlash(rel)))
	if err != nil {
		return "", err
	}
	own := Owner(cur)
	switch {
	case want != nil && sameGenerated(cur, want):
		return Unchanged, nil
	case own == NotGenerated && want == nil:
		return "", nil // replaced by a person's file: theirs now
	case own == NotGenerated:
		return NotOurs, nil
	case want != nil && isOwned(p.owners, rel):
		return OtherSpec, nil
	case own == HandEdited:
		return HandEdit, nil
	case want == nil:
		return Extra, nil
	}
	return Stale, nil
}

func isOwned(owners map[string]string, rel string) bool {
	_, ok := owners[rel]
	return ok
}

// readHead reads the start of a file, enough for its header line.
func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return buf[:n], nil
}

// walkTree calls fn with every regular file of the tree under root. It
// does not follow links and skips dot directories (.terraform, .git) and
// nested output directories, which another run owns.
func walkTree(root string, fn func(rel string) error) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return filepath.SkipDir
			}
			return err
		}
		if p == root {
			return nil
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") || isOutputDir(p) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		return fn(filepath.ToSlash(rel))
	})
}

// isOutputDir reports whether dir holds another run's bookkeeping.
func isOutputDir(dir string) bool {
	for _, n := range []string{manifestName, journalName, lockName} {
		if _, err := os.Lstat(filepath.Join(dir, n)); err == nil {
			return true
		}
	}
	return false
}

// ErrConflicts is returned by WriteTree when files a person owns or edited,
// or another spec's files, stand in the way; nothing was written.
type ErrConflicts struct {
	// Dir is the output directory as the caller named it; messages show
	// paths under it.
	Dir     string
	Changes []Change
	// Owners names the spec of each OtherSpec change, relative to Dir.
	Owners map[string]string
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
			if o, ok := overrideName(p); ok {
				fmt.Fprintf(&b, "  To keep the change, move it to %s (Terraform merges *_override.tf files last and gen never touches them), or into the spec (a role block such as role \"data-task\" { max_session_duration = 7200 }).\n", o)
			} else {
				b.WriteString("  To keep the change, make it in the spec.\n")
			}
			b.WriteString("  `lakerunner-iam gen --diff` shows the edit; --force discards it.\n")
		case NotOurs:
			fmt.Fprintf(&b, "%s has no lakerunner-iam header, so gen did not write it and will not overwrite it.\n", p)
			if o, ok := overrideName(p); ok {
				fmt.Fprintf(&b, "  Move it out of the way (if it customizes generated resources, rename it to %s), or generate into another --out directory.\n", o)
			} else {
				b.WriteString("  Move it out of the way, or generate into another --out directory.\n")
			}
		case OtherSpec:
			spec := filepath.ToSlash(filepath.Join(e.Dir, filepath.FromSlash(e.Owners[c.Path])))
			fmt.Fprintf(&b, "%s was generated from %s, another spec that generates into %s: gen will not overwrite it, even with --force.\n", p, spec, e.Dir)
			fmt.Fprintf(&b, "  Give each spec its own --out directory. If this spec replaces %s (renamed or moved), delete or move that file and run gen again.\n", spec)
		}
	}
	b.WriteString("Nothing was written.")
	return b.String()
}

// overrideName is the override file Terraform merges into the module that
// holds a .tf file: main.tf → main_override.tf. gen never treats such a
// name as its own, so following the advice is safe.
func overrideName(p string) (string, bool) {
	if !strings.HasSuffix(p, ".tf") || isOverride(p) {
		return "", false
	}
	return strings.TrimSuffix(p, ".tf") + "_override.tf", true
}

// sameBytes is bytes.Equal for the manifest, where nil means "none".
func sameBytes(a, b []byte) bool { return (a == nil) == (b == nil) && bytes.Equal(a, b) }
