// Package moddocs makes the generated Terraform readable and testable. It
// is a pipeline renderer that adds, for each generated module,
//
//	modules/<kind>/README.md                 what the role is for, who may assume it,
//	                                         what it may do, its inputs and outputs
//	modules/<kind>/tests/<kind>.tftest.hcl   a `terraform test` file that plans the
//	                                         module with each environment's values and
//	                                         checks the role's name, trust and policies
//
// and for each environment root <env>/README.md: a Mermaid diagram of who
// can assume which role and what each role can touch, and tables of the
// roles and of the services' task and execution roles.
//
// Everything is derived from the evaluated model and from the Terraform
// files the generator renders for it (what a root passes to each module,
// what a module outputs), so the documents and tests cannot drift from the
// code they describe. Output is deterministic: no timestamps, no map order.
package moddocs

import (
	"fmt"
	"path"
	"runtime"
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/outtree"
)

// ReadmeName is the file name of every generated README.
const ReadmeName = "README.md"

// TestsDir is the directory of a module's test files, relative to the
// module; `terraform test` looks there by default.
const TestsDir = "tests"

// TestFile is the path of a module's test file relative to the output
// directory.
func TestFile(mod *generator.Module) string {
	return path.Join(mod.Dir(), TestsDir, mod.Template.Kind+".tftest.hcl")
}

// Render renders the READMEs and test files of a model; it is a pipeline
// renderer. Modules and environments render in parallel: a test file has
// a run per environment, so large specs make large files.
func Render(m *generator.Model, specName string) []generator.File {
	tf := newTerraform(generator.Render(m, specName))
	for _, e := range m.Environments {
		tf.parse(path.Join(e.Spec.Name, "main.tf")) // before the workers only read it
	}
	var jobs []func() []generator.File
	for _, mod := range m.Modules {
		jobs = append(jobs, func() []generator.File {
			uses := Uses(m, mod)
			return []generator.File{
				{
					Path:    path.Join(mod.Dir(), ReadmeName),
					Content: outtree.WithMarkdownHeader(specName, moduleReadme(m, mod, uses, tf.outputs(mod))),
				},
				{
					Path:    TestFile(mod),
					Content: outtree.WithHeader(specName, hclwrite.Format(moduleTest(mod, uses, tf).Bytes())),
				},
			}
		})
	}
	for _, e := range m.Environments {
		jobs = append(jobs, func() []generator.File {
			return []generator.File{{
				Path:    path.Join(e.Spec.Name, ReadmeName),
				Content: outtree.WithMarkdownHeader(specName, envReadme(e)),
			}}
		})
	}
	results := make([][]generator.File, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(jobs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = jobs[i]()
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	var files []generator.File
	for _, r := range results {
		files = append(files, r...)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files
}

// Use is one environment's role generated from a module.
type Use struct {
	Env  *generator.Environment
	Role *generator.Role
}

// Uses lists the roles a module is used for, in environment order.
func Uses(m *generator.Model, mod *generator.Module) []Use {
	var out []Use
	for _, e := range m.Environments {
		if r := e.Role(mod.Template.Kind); r != nil {
			out = append(out, Use{e, r})
		}
	}
	return out
}

// terraform is the generator's Terraform output, parsed where moddocs
// reads it.
type terraform struct {
	files  map[string][]byte
	parsed map[string]*hclwrite.File
}

func newTerraform(files []generator.File) *terraform {
	t := &terraform{files: map[string][]byte{}, parsed: map[string]*hclwrite.File{}}
	for _, f := range files {
		t.files[f.Path] = f.Content
	}
	return t
}

// parse parses a generated file once.
func (t *terraform) parse(p string) *hclwrite.File {
	if f := t.parsed[p]; f != nil {
		return f
	}
	f, diags := hclwrite.ParseConfig(t.files[p], p, hcl.InitialPos)
	if diags.HasErrors() {
		panic(fmt.Sprintf("moddocs: generated %s does not parse: %s", p, diags.Error()))
	}
	t.parsed[p] = f
	return f
}

// moduleArguments returns the arguments an environment's root passes to a
// role's module, in the module's variable order, as expression tokens.
func (t *terraform) moduleArguments(u Use) []argument {
	p := path.Join(u.Env.Spec.Name, "main.tf")
	block := t.parse(p).Body().FirstMatchingBlock("module", []string{u.Role.ModuleName()})
	if block == nil {
		panic(fmt.Sprintf("moddocs: generated %s has no module %q", p, u.Role.ModuleName()))
	}
	var args []argument
	for _, v := range u.Role.Module.Variables {
		if a := block.Body().GetAttribute(v.Name); a != nil {
			args = append(args, argument{v.Name, clone(a.Expr().BuildTokens(nil))})
		}
	}
	return args
}

type argument struct {
	Name  string
	Value hclwrite.Tokens
}

// output is one output of a generated module.
type output struct {
	Name, Description, Value string
}

// outputs reads a module's outputs.tf.
func (t *terraform) outputs(mod *generator.Module) []output {
	p := path.Join(mod.Dir(), "outputs.tf")
	src := t.files[p]
	f, diags := hclsyntax.ParseConfig(src, p, hcl.InitialPos)
	if diags.HasErrors() {
		panic(fmt.Sprintf("moddocs: generated %s does not parse: %s", p, diags.Error()))
	}
	var out []output
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		if b.Type != "output" || len(b.Labels) != 1 {
			continue
		}
		o := output{Name: b.Labels[0]}
		if a := b.Body.Attributes["description"]; a != nil {
			if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				o.Description = v.AsString()
			}
		}
		if a := b.Body.Attributes["value"]; a != nil {
			o.Value = string(a.Expr.Range().SliceBytes(src))
		}
		out = append(out, o)
	}
	return out
}
