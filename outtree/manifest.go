package outtree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// manifest is .lakerunner-iam-manifest.json: which files each spec
// generated into the directory (see the package documentation).
type manifest struct {
	Manifest string      `json:"manifest"`
	Version  int         `json:"version"`
	Specs    []specFiles `json:"specs"`
}

type specFiles struct {
	// Spec is the spec's path relative to the output directory; "" when
	// the caller named none.
	Spec  string   `json:"spec"`
	Files []string `json:"files"`
}

const (
	manifestKind    = "lakerunner-iam"
	manifestVersion = 1
)

// readManifest returns the manifest under root and its bytes, or nil
// when there is none.
func readManifest(root, shown string) (*manifest, []byte, error) {
	b, err := os.ReadFile(filepath.Join(root, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var m manifest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err = dec.Decode(&m)
	if err == nil && (m.Manifest != manifestKind || m.Version != manifestVersion) {
		err = fmt.Errorf("want manifest %q version %d", manifestKind, manifestVersion)
	}
	for _, s := range m.Specs {
		for _, f := range s.Files {
			if err == nil {
				err = checkRel(f)
			}
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s is not a lakerunner-iam manifest (%v). It records which files gen generated there; restore it from version control, or delete it and gen treats the files whose header names the spec as its own", filepath.ToSlash(filepath.Join(shown, manifestName)), err)
	}
	return &m, b, nil
}

// encode is the manifest as written: sorted, so that it is the same bytes
// for the same files and can be committed with them; nil when no spec
// owns anything (the manifest is then removed).
func (m *manifest) encode() []byte {
	var specs []specFiles
	for _, s := range m.Specs {
		if len(s.Files) > 0 {
			files := slices.Clone(s.Files)
			slices.Sort(files)
			specs = append(specs, specFiles{s.Spec, slices.Compact(files)})
		}
	}
	if len(specs) == 0 {
		return nil
	}
	slices.SortFunc(specs, func(a, b specFiles) int { return strings.Compare(a.Spec, b.Spec) })
	b, err := json.MarshalIndent(manifest{manifestKind, manifestVersion, specs}, "", "  ")
	if err != nil {
		panic(err) // strings and ints only
	}
	return append(b, '\n')
}

// specKey names a spec in the manifest: its path relative to the output
// directory, links resolved, so the same spec has the same key however
// the command line spelled it.
func specKey(root, spec string) (string, error) {
	if spec == "" {
		return "", nil
	}
	abs, err := filepath.Abs(spec)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(rel), nil
}

// specGone reports whether the spec a manifest entry names no longer
// exists: it was renamed, moved or deleted, and its files are free to be
// taken over.
func specGone(root, key string) bool {
	if key == "" {
		return false
	}
	_, err := os.Stat(filepath.Join(root, filepath.FromSlash(key)))
	return errors.Is(err, fs.ErrNotExist)
}
