package generator

import (
	"path"
	"sort"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/cardinalhq/lakerunner-iam/outtree"
)

// File is one generated file; the output tree (package outtree) owns the
// type, its headers and how files are written.
type File = outtree.File

// Render produces every file of the model, sorted by path, formatted as
// `terraform fmt` does. specName is how headers name the spec.
func Render(m *Model, specName string) []File {
	var files []File
	add := func(dir string, set map[string]*hclwrite.File) {
		names := make([]string, 0, len(set))
		for n := range set {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			files = append(files, File{Path: path.Join(dir, n), Content: outtree.WithHeader(specName, hclwrite.Format(set[n].Bytes()))})
		}
	}
	for _, mod := range m.Modules {
		add(mod.Dir(), mod.files(m.Spec.Terraform))
	}
	for _, e := range m.Environments {
		// Team state (generator/backend.go): backend.tf, and a root that
		// locks with a lock file requires a Terraform that can.
		add(e.Spec.Name, rootFiles(e, rootVersions(e.Spec, m.Spec.Terraform)))
		add(e.Spec.Name, backendFiles(e.Spec))
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files
}
