package outtree

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exampleTree is a tree the size of the example spec's output: 9 role
// modules of 4 files and 2 environments of 9 files, 2 KB each.
func exampleTree() []File {
	body := strings.Repeat("# generated\n", 170)
	var files []File
	for m := range 9 {
		for _, name := range []string{"main.tf", "variables.tf", "outputs.tf", "README.md"} {
			files = append(files, genFile(fmt.Sprintf("modules/role-%d/%s", m, name), body))
		}
	}
	for _, env := range []string{"production", "staging"} {
		for f := range 9 {
			files = append(files, genFile(fmt.Sprintf("%s/file-%d.tf", env, f), body))
		}
	}
	return files
}

// BenchmarkWriteTree measures WriteTree of an example-sized tree into an
// empty directory (every file written, synced and renamed) and over the
// same tree (nothing to write).
func BenchmarkWriteTree(b *testing.B) {
	files := exampleTree()
	b.Run("fresh", func(b *testing.B) {
		dir := b.TempDir()
		for b.Loop() {
			b.StopTimer()
			out := filepath.Join(dir, "out")
			if err := os.RemoveAll(out); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, err := WriteTree(out, files, Options{Spec: "lakerunner.hcl"}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(files)), "files")
	})
	b.Run("rerun", func(b *testing.B) {
		out := filepath.Join(b.TempDir(), "out")
		if _, err := WriteTree(out, files, Options{Spec: "lakerunner.hcl"}); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := WriteTree(out, files, Options{Spec: "lakerunner.hcl"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
