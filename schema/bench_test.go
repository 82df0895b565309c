package schema

import (
	"os"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
)

// BenchmarkParseExample measures reading examples/lakerunner.hcl: check
// its bounds, parse, decode, fill in defaults and validate.
func BenchmarkParseExample(b *testing.B) {
	src, err := os.ReadFile("../examples/lakerunner.hcl")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := Parse(hclparse.NewParser(), "lakerunner.hcl", src); diags.HasErrors() {
			b.Fatal(diags.Error())
		}
	}
}
