package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

const exampleSpec = "../../examples/lakerunner.hcl"

// BenchmarkLoadExample measures what every command does before its own
// work: read the spec and its catalog and build the model.
func BenchmarkLoadExample(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, diags := pipeline.Load(exampleSpec); diags.HasErrors() {
			b.Fatal(diags.Error())
		}
	}
}

// BenchmarkGenExample measures gen of the example spec in-process, into an
// empty directory (every file written and synced) and over its own output
// (nothing to write).
func BenchmarkGenExample(b *testing.B) {
	b.Run("fresh", func(b *testing.B) {
		b.ReportAllocs()
		dir := b.TempDir()
		for b.Loop() {
			b.StopTimer()
			out := filepath.Join(dir, "out")
			if err := os.RemoveAll(out); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			benchCLI(b, "gen", "-q", "-o", out, exampleSpec)
		}
	})
	b.Run("rerun", func(b *testing.B) {
		out := filepath.Join(b.TempDir(), "out")
		benchCLI(b, "gen", "-q", "-o", out, exampleSpec)
		b.ReportAllocs()
		for b.Loop() {
			benchCLI(b, "gen", "-q", "-o", out, exampleSpec)
		}
	})
}

// BenchmarkLintExample measures lint of the example spec in-process.
func BenchmarkLintExample(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchCLI(b, "lint", exampleSpec)
	}
}

func benchCLI(b *testing.B, args ...string) {
	b.Helper()
	if code, stdout, stderr := runCLI(nil, args...); code != exitOK {
		b.Fatalf("lakerunner-iam %v: exit %d\n%s%s", args, code, stdout, stderr)
	}
}
