package templates

import (
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/cardinalhq/lakerunner-iam/schema"
)

// BenchmarkLoadBuiltin measures reading each built-in catalog, as every
// gen, lint and test run does once: read, parse, decode and check its
// templates.
func BenchmarkLoadBuiltin(b *testing.B) {
	for _, catalog := range schema.Catalogs {
		b.Run(catalog, func(b *testing.B) {
			b.ReportAllocs()
			roles := 0
			for b.Loop() {
				cat, diags := LoadBuiltin(catalog, hclparse.NewParser())
				if diags.HasErrors() {
					b.Fatal(diags.Error())
				}
				roles = len(cat.Roles)
			}
			b.ReportMetric(float64(roles), "roles")
		})
	}
}
