package importer

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil"

	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// consoleSpec describes the roles e2e makes as the console guide says.
const consoleSpec = "../e2e/testdata/adopt.hcl"

func catalog(t *testing.T) *templates.Catalog {
	t.Helper()
	cat, _, diags := LoadCatalog("console-guide", hclparse.NewParser())
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return cat
}

// model evaluates spec text as gen --adopt does.
func model(t *testing.T, cat *templates.Catalog, name string, src []byte) *generator.Environment {
	t.Helper()
	spec, diags := schema.Parse(hclparse.NewParser(), name, src)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	m, diags := generator.Build(spec, cat, generator.Options{Adopt: true})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return m.Environments[0]
}

func imports(env *generator.Environment) []string {
	var out []string
	for _, imp := range env.Imports() {
		out = append(out, imp.Address+" "+imp.ID)
	}
	return out
}

// TestRoundTrip: for an account whose roles a spec describes (made as
// that spec generates them), import writes a spec that imports exactly
// the same objects and describes every role exactly: no warning. The
// written spec is compared with testdata/<case>.golden.hcl.
func TestRoundTrip(t *testing.T) {
	cat := catalog(t)
	for name, spec := range map[string]string{
		"console":    consoleSpec,
		"variant":    "../e2e/testdata/adopt-variant.hcl",
		"customized": "testdata/customized.hcl",
		"resources":  "testdata/resources.hcl",
	} {
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(spec)
			if err != nil {
				t.Fatal(err)
			}
			want := model(t, cat, name+".hcl", src)
			account := accountOf(want)
			fake := newFake(account...)
			res, err := Import(context.Background(), fake, Options{Env: want.Spec.Name, AccountID: want.Spec.AccountID, Region: want.Spec.Region, Catalog: cat, Def: Catalogs["console-guide"]})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Warnings) > 0 {
				t.Errorf("warnings:\n%s", strings.Join(res.Warnings, "\n"))
			}
			written := hclwrite.Format(res.File().Bytes())
			got := model(t, cat, "import.hcl", written)
			if g, w := imports(got), imports(want); !slices.Equal(g, w) {
				t.Errorf("imports\n%s\nwant\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
			}
			for i, a := range accountOf(got) {
				if n := verify(got.Roles[i], account[i]); len(n) > 0 || a.Name != account[i].Name {
					t.Errorf("role %s: %v", a.Name, n)
				}
			}
			golden := filepath.Join("testdata", name+".golden.hcl")
			if *testutil.Update {
				if err := os.WriteFile(golden, written, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			wantSrc, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if string(wantSrc) != string(written) {
				t.Errorf("import wrote\n%s\nwant (%s; -update rewrites it)\n%s", written, golden, wantSrc)
			}
			// Only reads.
			for call := range fake.calls {
				if !strings.HasPrefix(call, "List") && !strings.HasPrefix(call, "Get") {
					t.Errorf("import called %s", call)
				}
			}
		})
	}
}

// TestFind: roles are found by the catalog's name, by a kind's likeness
// under another name, and roles with the prefix that match no kind are
// listed with their ARNs; roles of other applications are not read.
func TestFind(t *testing.T) {
	cat := catalog(t)
	src, err := os.ReadFile(consoleSpec)
	if err != nil {
		t.Fatal(err)
	}
	want := model(t, cat, "console.hcl", src)
	account := accountOf(want)
	for _, a := range account {
		if a.Name == "lakerunner-query-task-role" {
			a.Name, a.ARN = "lakerunner-query", "arn:aws:iam::999900001111:role/lakerunner-query"
		}
	}
	stray := &Role{Name: "lakerunner-backup", Path: "/", ARN: "arn:aws:iam::999900001111:role/lakerunner-backup",
		Trust: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"backup.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, Tags: map[string]string{}}
	other := &Role{Name: "billing-task", Path: "/", ARN: "arn:aws:iam::999900001111:role/billing-task",
		Trust: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, Tags: map[string]string{"team": "billing"}}
	tagged := &Role{Name: "x-migration", Path: "/", ARN: "arn:aws:iam::999900001111:role/x-migration",
		Trust: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, Tags: map[string]string{"app": "Lakerunner"}}
	fake := newFake(append(account, stray, other, tagged)...)
	res, err := Import(context.Background(), fake, Options{Env: "console", AccountID: "999900001111", Region: "us-east-1", Catalog: cat, Def: Catalogs["console-guide"]})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Adopted["query-task"]; got != "arn:aws:iam::999900001111:role/lakerunner-query" {
		t.Errorf("query-task adopted %q, want the renamed role", got)
	}
	written := string(hclwrite.Format(res.File().Bytes()))
	for _, s := range []string{`name        = "lakerunner-query"`, "#   " + stray.ARN, "#   " + tagged.ARN} {
		if !strings.Contains(written, s) {
			t.Errorf("the spec lacks %q:\n%s", s, written)
		}
	}
	if strings.Contains(written, "billing-task") {
		t.Errorf("the spec names a role of another application:\n%s", written)
	}
	if n := fake.calls["GetRole"]; n != len(account)+2 {
		t.Errorf("GetRole called %d times, want %d (the candidates only)", n, len(account)+2)
	}
}

// TestDifferences: what a spec cannot describe is reported, not hidden.
func TestDifferences(t *testing.T) {
	cat := catalog(t)
	src, err := os.ReadFile(consoleSpec)
	if err != nil {
		t.Fatal(err)
	}
	account := accountOf(model(t, cat, "console.hcl", src))
	var query, instance *Role
	for _, a := range account {
		switch a.Name {
		case "lakerunner-query-task-role":
			query = a
		case "lakerunner-ecs-instance-role":
			instance = a
		}
	}
	query.Inline[0].Document = `{"Version":"2012-10-17","Statement":[{"Sid":"S3ReadAccess","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	query.Attached = nil
	instance.InstanceProfiles = nil
	res, err := Import(context.Background(), newFake(account...), Options{Env: "console", AccountID: "999900001111", Region: "us-east-1", Catalog: cat, Def: Catalogs["console-guide"]})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(res.Warnings, "\n")
	for _, s := range []string{"is not in the inline policy: the plan adds it", "There is no instance profile lakerunner-ecs-instance-role"} {
		if !strings.Contains(all, s) {
			t.Errorf("warnings lack %q:\n%s", s, all)
		}
	}
	written := string(hclwrite.Format(res.File().Bytes()))
	if !strings.Contains(written, `sid       = "S3ReadAccess"`) {
		t.Errorf("the replaced statement is not a statement block with its Sid:\n%s", written)
	}
}

func TestUnknownCatalog(t *testing.T) {
	_, _, diags := LoadCatalog("nope", hclparse.NewParser())
	if !diags.HasErrors() || !strings.Contains(diags[0].Detail, "console-guide") {
		t.Errorf("diagnostics %v, want an error that lists the catalogs", diags)
	}
	if _, ok := Catalogs["console-guide"]; !ok || len(slices.Collect(maps.Keys(Catalogs))) == 0 {
		t.Errorf("no console-guide catalog")
	}
}
