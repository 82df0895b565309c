package importer

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// TestTiersRoundTrip: tier roles made by hand (REFERENCE.md section 8)
// are recognised with --catalog tiers, and the spec import writes describes
// each exactly.
func TestTiersRoundTrip(t *testing.T) {
	cat, def, diags := LoadCatalog("tiers", hclparse.NewParser())
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	src, err := os.ReadFile("testdata/tiers.hcl")
	if err != nil {
		t.Fatal(err)
	}
	want := model(t, cat, "tiers.hcl", src)
	account := accountOf(want)
	res, err := Import(context.Background(), newFake(account...), Options{Env: "production", AccountID: "123456789012", Region: "us-east-1", Catalog: cat, Def: def})
	if err != nil {
		t.Fatal(err)
	}
	written := hclwrite.Format(res.File().Bytes())
	t.Logf("import wrote:\n%s", written)
	if len(res.Warnings) > 0 {
		t.Errorf("warnings: %v", res.Warnings)
	}
	got := model(t, cat, "import.hcl", written)
	if len(got.Roles) != len(account) {
		t.Fatalf("the imported spec generates %d roles, the account has %d", len(got.Roles), len(account))
	}
	for i := range got.Roles {
		if n := verify(got.Roles[i], account[i]); len(n) > 0 {
			t.Errorf("role %s: %v", got.Roles[i].Name, n)
		}
	}
	if g, w := imports(got), imports(want); !slices.Equal(g, w) {
		t.Errorf("imports\n%s\nwant\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
	golden := "testdata/tiers.golden.hcl"
	if *testutil.Update {
		if err := os.WriteFile(golden, written, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if wantSrc, err := os.ReadFile(golden); err != nil || string(wantSrc) != string(written) {
		t.Errorf("import wrote\n%s\nwant %s (-update rewrites it): %v", written, golden, err)
	}
}
