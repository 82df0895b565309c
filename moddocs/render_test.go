package moddocs_test

import (
	"bytes"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil/testspec"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/moddocs"
	"github.com/cardinalhq/lakerunner-iam/outtree"
)

// specs are the example spec and every test spec.
func specs(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob("../testdata/specs/*.hcl")
	if err != nil || len(names) == 0 {
		t.Fatalf("no test specs: %v", err)
	}
	return append([]string{"../examples/lakerunner.hcl"}, names...)
}

func byPath(files []generator.File) map[string][]byte {
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Path] = f.Content
	}
	return out
}

// TestRenderFiles checks what moddocs adds for each spec: the files, their
// headers, and that rendering twice gives the same bytes.
func TestRenderFiles(t *testing.T) {
	for _, spec := range specs(t) {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			m := testspec.Load(t, spec)
			files := render(m)
			got := byPath(files)
			var want []string
			for _, mod := range m.Modules {
				want = append(want, path.Join(mod.Dir(), "README.md"))
				for _, u := range moddocs.Uses(m, mod) {
					want = append(want, moddocs.TestFile(mod, u.Env.Spec.Name))
				}
			}
			for _, e := range m.Environments {
				want = append(want, path.Join(e.Spec.Name, "README.md"))
			}
			if len(got) != len(want) {
				t.Errorf("rendered %d files, want %d: %v", len(got), len(want), want)
			}
			for _, p := range want {
				content, ok := got[p]
				if !ok {
					t.Errorf("%s not rendered", p)
					continue
				}
				if own := outtree.Owner(content); own != outtree.Pristine {
					t.Errorf("%s: Owner = %v, want Pristine: gen would not recognize it as its own", p, own)
				}
				if strings.HasSuffix(p, ".md") && !bytes.HasPrefix(content, []byte("<!-- ")) {
					t.Errorf("%s: a Markdown file needs the HTML-comment header, not a heading", p)
				}
			}
			again := render(m)
			for i := range files {
				if files[i].Path != again[i].Path || !bytes.Equal(files[i].Content, again[i].Content) {
					t.Errorf("%s differs between two renders", files[i].Path)
				}
			}
		})
	}
}

var mermaidFence = regexp.MustCompile("(?s)```mermaid\n(.*?)```")

// TestEnvironmentDiagram parses each environment's diagram structurally
// and checks that it shows every role, service, principal and managed
// policy, and an edge for every trust, service and policy relation.
func TestEnvironmentDiagram(t *testing.T) {
	for _, spec := range specs(t) {
		m := testspec.Load(t, spec)
		files := byPath(render(m))
		for _, e := range m.Environments {
			readme := string(files[path.Join(e.Spec.Name, "README.md")])
			found := mermaidFence.FindAllStringSubmatch(readme, -1)
			if len(found) != 1 {
				t.Errorf("%s/%s: %d Mermaid diagrams, want 1", spec, e.Spec.Name, len(found))
				continue
			}
			diagram := found[0][1]
			if err := moddocs.CheckMermaid(diagram); err != nil {
				t.Errorf("%s/%s: %v\n%s", spec, e.Spec.Name, err, diagram)
			}
			labels := map[string]bool{}
			for _, m := range regexp.MustCompile(`"([^"]*)"`).FindAllStringSubmatch(diagram, -1) {
				labels[m[1]] = true
			}
			for _, r := range e.Roles {
				if !labels[r.Name] {
					t.Errorf("%s/%s: role %s is not in the diagram", spec, e.Spec.Name, r.Name)
				}
				for _, mp := range r.ManagedPolicies {
					if !labels[mp.Key] {
						t.Errorf("%s/%s: managed policy %s of %s is not in the diagram", spec, e.Spec.Name, mp.Key, r.Name)
					}
				}
				for _, st := range r.Trust.Statements {
					for _, p := range st.Principals {
						if p.Type == "Service" {
							for _, id := range p.Identifiers {
								if !labels[id] {
									t.Errorf("%s/%s: principal %s of %s is not in the diagram", spec, e.Spec.Name, id, r.Name)
								}
							}
						}
					}
				}
				if r.Permissions != nil {
					for _, st := range r.Permissions.Statements {
						if st.Sid != "" && !strings.Contains(diagram, st.Sid) {
							t.Errorf("%s/%s: statement %s of %s labels no edge", spec, e.Spec.Name, st.Sid, r.Name)
						}
					}
				}
			}
			for _, s := range e.Services {
				if !labels[s.Name] {
					t.Errorf("%s/%s: service %s is not in the diagram", spec, e.Spec.Name, s.Name)
				}
			}
			edges := strings.Count(diagram, "-->") + strings.Count(diagram, "-.->") + strings.Count(diagram, "--x")
			if edges < 2*len(e.Services)+len(e.Roles) {
				t.Errorf("%s/%s: %d edges, fewer than the services' and trusts' alone", spec, e.Spec.Name, edges)
			}
			for _, r := range e.Roles {
				if !strings.Contains(readme, "`"+r.ARN()+"`") {
					t.Errorf("%s/%s: the roles table lacks %s", spec, e.Spec.Name, r.ARN())
				}
			}
		}
	}
}

// TestModuleReadme checks that each module README documents every input,
// every output and every statement of its template.
func TestModuleReadme(t *testing.T) {
	m := testspec.Load(t, "../examples/lakerunner.hcl")
	files := byPath(render(m))
	for _, mod := range m.Modules {
		readme := string(files[path.Join(mod.Dir(), "README.md")])
		if !strings.Contains(readme, mod.Template.Summary) {
			t.Errorf("%s: README lacks the template's summary", mod.Dir())
		}
		for _, v := range mod.Variables {
			row := regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(v.Name) + "` \\| `[^\n]*` \\| [^|]* \\| (yes|no) \\| ")
			if !row.MatchString(readme) {
				t.Errorf("%s: the inputs table has no row for %s", mod.Dir(), v.Name)
			}
		}
		for _, o := range []string{"arn", "name", "unique_id"} {
			if !strings.Contains(readme, "| `"+o+"` |") {
				t.Errorf("%s: the outputs table has no row for %s", mod.Dir(), o)
			}
		}
		if mod.Template.Policy != nil {
			for _, s := range mod.Template.Policy.Statements {
				if !strings.Contains(readme, "### `"+s.Sid+"`") {
					t.Errorf("%s: README lacks statement %s", mod.Dir(), s.Sid)
				}
			}
		}
		if strings.Contains(readme, "\n\n\n") {
			t.Errorf("%s: README has runs of blank lines", mod.Dir())
		}
	}
}

// testFile is the part of a .tftest.hcl file this test reads.
type testFile struct {
	Providers []struct {
		Name   string   `hcl:"name,label"`
		Remain hcl.Body `hcl:",remain"`
	} `hcl:"provider,block"`
	Runs []struct {
		Name      string         `hcl:"name,label"`
		Command   hcl.Expression `hcl:"command"`
		Variables *struct {
			Remain hcl.Body `hcl:",remain"`
		} `hcl:"variables,block"`
		Asserts []struct {
			Condition    hcl.Expression `hcl:"condition"`
			ErrorMessage hcl.Expression `hcl:"error_message"`
		} `hcl:"assert,block"`
	} `hcl:"run,block"`
}

// TestModuleTestFiles decodes each test file: one per environment that
// uses the module, each with a real aws provider and one plan run with the
// root's arguments and asserts on the role, its trust and its policies.
func TestModuleTestFiles(t *testing.T) {
	for _, spec := range specs(t) {
		m := testspec.Load(t, spec)
		files := byPath(render(m))
		for _, mod := range m.Modules {
			for _, u := range moddocs.Uses(m, mod) {
				p := moddocs.TestFile(mod, u.Env.Spec.Name)
				f, diags := hclparse.NewParser().ParseHCL(files[p], p)
				if diags.HasErrors() {
					t.Errorf("%s: %s", p, diags.Error())
					continue
				}
				var tf testFile
				if diags := gohcl.DecodeBody(f.Body, nil, &tf); diags.HasErrors() {
					t.Errorf("%s: %s", p, diags.Error())
					continue
				}
				if len(tf.Providers) != 1 || tf.Providers[0].Name != "aws" {
					t.Errorf("%s: want one provider \"aws\" block", p)
				}
				if len(tf.Runs) != 1 {
					t.Errorf("%s: %d runs, want one", p, len(tf.Runs))
					continue
				}
				for _, run := range tf.Runs {
					if kw := hcl.ExprAsKeyword(run.Command); kw != "plan" {
						t.Errorf("%s: run %s: command = %q, want plan", p, run.Name, kw)
					}
					if run.Variables == nil {
						t.Errorf("%s: run %s has no variables", p, run.Name)
					} else {
						attrs, _ := run.Variables.Remain.JustAttributes()
						if _, ok := attrs["name"]; !ok {
							t.Errorf("%s: run %s does not set the role's name", p, run.Name)
						}
					}
					r := u.Role
					want := 0
					for _, st := range r.Trust.Statements {
						want += 2 + len(st.Principals)
					}
					if len(run.Asserts) < want {
						t.Errorf("%s: run %s has %d asserts, fewer than its trust policy alone needs", p, run.Name, len(run.Asserts))
					}
					src := string(files[p])
					for _, needle := range []string{
						"aws_iam_role.this.name == \"" + r.Name + "\"",
						"data.aws_iam_policy_document.assume_role.json",
					} {
						if !strings.Contains(src, needle) {
							t.Errorf("%s: no assert on %s", p, needle)
						}
					}
					if r.Permissions != nil {
						for _, st := range r.Permissions.Statements {
							if st.Sid != "" && !strings.Contains(src, "== \""+st.Sid+"\"") {
								t.Errorf("%s: no assert on statement %s", p, st.Sid)
							}
						}
					}
				}
			}
		}
	}
}

// render is every file moddocs emits, in path order.
func render(m *generator.Model) []generator.File {
	files := append(moddocs.Docs(m, "lakerunner.hcl"), moddocs.Tests(m, "lakerunner.hcl")...)
	slices.SortFunc(files, func(a, b generator.File) int { return strings.Compare(a.Path, b.Path) })
	return files
}
