//go:build unix

// The benchmarks report CPU time from getrusage(2), which Windows lacks.

package pipeline_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/lint"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// BenchmarkGenerateExample measures gen for examples/lakerunner.hcl: load
// the catalog and spec, evaluate every policy, render every file.
func BenchmarkGenerateExample(b *testing.B) {
	benchmarkGenerate(b, "../examples/lakerunner.hcl")
}

// BenchmarkGenerate100Environments measures gen for a spec of 100
// environments, each with every optional role.
func BenchmarkGenerate100Environments(b *testing.B) {
	benchmarkGenerate(b, writeEnvSpec(b, 100))
}

// BenchmarkGenerate125Environments is 1,000 roles (eight per environment):
// the target size.
func BenchmarkGenerate125Environments(b *testing.B) {
	benchmarkGenerate(b, writeEnvSpec(b, 125))
}

// BenchmarkGenerate400Environments shows whether gen grows linearly: its
// time over the 100-environment one's should stay near 4.
func BenchmarkGenerate400Environments(b *testing.B) {
	benchmarkGenerate(b, writeEnvSpec(b, 400))
}

// BenchmarkLintExample measures lint for examples/lakerunner.hcl: load and
// evaluate as gen does, then every lint rule on every role.
func BenchmarkLintExample(b *testing.B) {
	benchmarkLint(b, "../examples/lakerunner.hcl")
}

// BenchmarkLint100Environments measures lint for 100 environments.
func BenchmarkLint100Environments(b *testing.B) {
	benchmarkLint(b, writeEnvSpec(b, 100))
}

// writeEnvSpec writes a spec of n environments, each with every optional
// role, and returns its path.
func writeEnvSpec(b *testing.B, n int) string {
	var spec strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&spec, `environment "env%03d" {
  account_id        = "%012d"
  region            = "us-east-1"
  compute           = "ec2"
  lambda_migrations = true
  msk_access        = true
  cross_account {
    trusted_account_ids = ["210987654321"]
    external_id         = "external-%d"
  }
}
`, i, 100000000000+i, i)
	}
	path := filepath.Join(b.TempDir(), "lakerunner.hcl")
	if err := os.WriteFile(path, []byte(spec.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

func benchmarkGenerate(b *testing.B, spec string) {
	b.ReportAllocs()
	files := 0
	cpu := cpuTime(b)
	for i := 0; i < b.N; i++ {
		res, diags := pipeline.Generate(spec, pipeline.Options{OutDir: "out"})
		if diags.HasErrors() {
			b.Fatal(diags.Error())
		}
		files = len(res.Files)
	}
	b.ReportMetric(float64(cpuTime(b)-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(files), "files")
}

// cpuTime is the CPU time (user and system) the process has used, in
// nanoseconds. On a shared machine wall time per op mostly measures the
// other processes; CPU time includes the garbage collector and the
// emitters' parallel work, and little of anyone else's.
func cpuTime(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func benchmarkLint(b *testing.B, spec string) {
	b.ReportAllocs()
	findings := 0
	for i := 0; i < b.N; i++ {
		model, _, diags := pipeline.Load(spec)
		if diags.HasErrors() {
			b.Fatal(diags.Error())
		}
		findings = len(lint.Check(model).Findings)
	}
	b.ReportMetric(float64(findings), "findings")
}

// BenchmarkRenderExample measures the emitters alone (pipeline.Render)
// on the example spec's model: half of gen's time is rendering.
func BenchmarkRenderExample(b *testing.B) {
	benchmarkRender(b, "../examples/lakerunner.hcl")
}

// BenchmarkRender125Environments measures the emitters on 1,000 roles.
func BenchmarkRender125Environments(b *testing.B) {
	benchmarkRender(b, writeEnvSpec(b, 125))
}

func benchmarkRender(b *testing.B, spec string) {
	model, _, diags := pipeline.Load(spec)
	if diags.HasErrors() {
		b.Fatal(diags.Error())
	}
	b.ReportAllocs()
	files := 0
	cpu := cpuTime(b)
	for b.Loop() {
		files = len(pipeline.Render(model, "lakerunner.hcl"))
	}
	b.ReportMetric(float64(cpuTime(b)-cpu)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(files), "files")
}
