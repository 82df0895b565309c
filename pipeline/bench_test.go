package pipeline_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	var spec strings.Builder
	for i := 0; i < 100; i++ {
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
	benchmarkGenerate(b, path)
}

func benchmarkGenerate(b *testing.B, spec string) {
	b.ReportAllocs()
	files := 0
	for i := 0; i < b.N; i++ {
		res, diags := pipeline.Generate(spec, pipeline.Options{OutDir: "out"})
		if diags.HasErrors() {
			b.Fatal(diags.Error())
		}
		files = len(res.Files)
	}
	b.ReportMetric(float64(files), "files")
}
