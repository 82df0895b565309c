package outtree

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// Files of the output tree's own bookkeeping, at its top.
const (
	manifestName = ".lakerunner-iam-manifest.json"
	journalName  = ".lakerunner-iam-journal.json"
	lockName     = ".lakerunner-iam.lock"
)

// leftover matches the temporary and backup files a run creates next to
// the files it writes (and those of earlier versions, which used decimal
// names); a completed run leaves none.
var leftover = regexp.MustCompile(`^\.lakerunner-iam-[0-9a-f]+\.(tmp|bak)$`)

// resolve returns dir with symbolic links resolved, so that -o through a
// link behaves as its target. A dir that does not exist yet is resolved
// through its nearest existing parent.
func resolve(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	var missing []string
	for p := abs; ; p = filepath.Dir(p) {
		real, err := filepath.EvalSymlinks(p)
		if err == nil {
			info, err := os.Stat(real)
			if err != nil {
				return "", err
			}
			if !info.IsDir() {
				return "", fmt.Errorf("%s is not a directory: pass a directory (or a new path) as --out", p)
			}
			return filepath.Join(append([]string{real}, missing...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) || filepath.Dir(p) == p {
			return "", err
		}
		missing = append([]string{filepath.Base(p)}, missing...)
	}
}

// checkRel refuses a path a File or a manifest could name that is not a
// plain path inside the tree.
func checkRel(p string) error {
	if p == "" || path.IsAbs(p) || path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, `\`) {
		return fmt.Errorf("%q is not a relative path inside the output directory", p)
	}
	return nil
}

// isOverride reports whether Terraform merges p as an override file;
// those are the user's way to customize generated code, so gen never
// writes or removes one.
func isOverride(p string) bool {
	base := path.Base(p)
	for _, suffix := range []string{".tf", ".tf.json"} {
		if name, ok := strings.CutSuffix(base, suffix); ok && (name == "override" || strings.HasSuffix(name, "_override")) {
			return true
		}
	}
	return false
}

// isProtected reports whether p is Terraform's own: state, the lock file
// or anything under .terraform/. gen never touches them.
func isProtected(p string) bool {
	for _, part := range strings.Split(p, "/") {
		if part == ".terraform" {
			return true
		}
	}
	base := path.Base(p)
	return strings.HasPrefix(base, "terraform.tfstate") || base == ".terraform.lock.hcl" || base == manifestName || base == journalName || base == lockName || leftover.MatchString(base)
}

// ErrSymlink is a symbolic link inside the output tree where gen would
// read or write.
type ErrSymlink struct {
	Path   string // as the user named the output directory
	Target string
	Out    string
}

func (e *ErrSymlink) Error() string {
	return fmt.Sprintf("%s is a symbolic link (to %s): gen does not read or write through links inside the output directory, which could change files outside %s.\n"+
		"  Replace the link with a real directory or file, or pass the link's target as --out.", e.Path, e.Target, e.Out)
}

// checker Lstats the directories on the way to the files it is asked
// about, once each.
type checker struct {
	root, shown string
	dirs        map[string]error
}

// check returns the file at rel: nil when it does not exist; an error for a
// link on the way or a directory, device or pipe where a file belongs.
func (c *checker) check(rel string) (fs.FileInfo, error) {
	if c.dirs == nil {
		c.dirs = map[string]error{}
	}
	parts := strings.Split(rel, "/")
	for i := 1; i < len(parts); i++ {
		d := strings.Join(parts[:i], "/")
		err, seen := c.dirs[d]
		if !seen {
			err = c.checkDir(d)
			c.dirs[d] = err
		}
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
	}
	full := filepath.Join(c.root, filepath.FromSlash(rel))
	info, err := os.Lstat(full)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	case info.Mode()&fs.ModeSymlink != 0:
		return nil, c.symlink(rel)
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a regular file (%v): gen writes a file there. Move it out of the way", c.shownPath(rel), info.Mode().Type())
	}
	return info, nil
}

func (c *checker) checkDir(d string) error {
	info, err := os.Lstat(filepath.Join(c.root, filepath.FromSlash(d)))
	switch {
	case err != nil:
		return err
	case info.Mode()&fs.ModeSymlink != 0:
		return c.symlink(d)
	case !info.IsDir():
		return fmt.Errorf("%s is a file where gen needs a directory. Move it out of the way", c.shownPath(d))
	}
	return nil
}

func (c *checker) symlink(rel string) error {
	target, _ := os.Readlink(filepath.Join(c.root, filepath.FromSlash(rel)))
	return &ErrSymlink{Path: c.shownPath(rel), Target: target, Out: c.shown}
}

func (c *checker) shownPath(rel string) string {
	return filepath.ToSlash(filepath.Join(c.shown, filepath.FromSlash(rel)))
}
