package generator_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil/testspec"
)

// bucketSpec is a spec whose environment scopes the roles to n buckets.
func bucketSpec(n int) string {
	buckets := make([]string, n)
	for i := range buckets {
		buckets[i] = fmt.Sprintf("%q", fmt.Sprintf("bucket-%05d", i))
	}
	return `environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  resources {
    s3_buckets = [` + strings.Join(buckets, ", ") + `]
  }
}
`
}

// BenchmarkBuild16kBuckets parses and builds a spec with 16,384 buckets:
// the time must grow linearly with the list (it was quadratic, 20 s);
// BenchmarkBuild4kBuckets is the same with a quarter of the buckets.
// The policies are then far over IAM's quota, which Build reports.
func BenchmarkBuild16kBuckets(b *testing.B) { benchmarkBuildBuckets(b, 16384) }

func BenchmarkBuild4kBuckets(b *testing.B) { benchmarkBuildBuckets(b, 4096) }

func benchmarkBuildBuckets(b *testing.B, n int) {
	b.ReportAllocs()
	src := bucketSpec(n)
	for b.Loop() {
		if _, diags := testspec.Eval(b, src); !strings.Contains(diags.Error(), "Inline policy too large") {
			b.Fatalf("want the inline policy quota error, got %v", diags)
		}
	}
}
