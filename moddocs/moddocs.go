// Package moddocs makes the generated Terraform readable and testable. Its
// pipeline emitters (Docs, Tests) add, for each generated module,
//
//	modules/<kind>/README.md                 what the role is for, who may assume it,
//	                                         what it may do, its inputs and outputs
//	modules/<kind>/tests/<env>.tftest.hcl    a `terraform test` file per environment that
//	                                         plans the module with that environment's
//	                                         values and checks the role's name, trust
//	                                         and policies
//
// and for each environment root <env>/README.md: a Mermaid diagram of who
// can assume which role and what each role can touch, and tables of the
// roles and of the services' task and execution roles.
//
// Everything is derived from the evaluated model, the same data the
// generator's emitters write the Terraform from (what a root passes to
// each module, what a module outputs), so the documents and tests cannot
// drift from the code they describe. Output is deterministic: no
// timestamps, no map order.
package moddocs

import (
	"path"
	"runtime"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/outtree"
)

// ReadmeName is the file name of every generated README.
const ReadmeName = "README.md"

// TestsDir is the directory of a module's test files, relative to the
// module; `terraform test` looks there by default.
const TestsDir = "tests"

// TestFile is the path of the test file of an environment's use of a
// module, relative to the output directory. One file per environment keeps
// each file the same size however many environments a spec has.
func TestFile(mod *generator.Module, env string) string {
	return path.Join(mod.Dir(), TestsDir, env+".tftest.hcl")
}

// Docs emits the READMEs of a model: one per module, one per environment.
// It is a pipeline emitter.
func Docs(m *generator.Model, specName string) []generator.File {
	var jobs []func() generator.File
	for _, mod := range m.Modules {
		jobs = append(jobs, func() generator.File {
			return generator.File{
				Path:    path.Join(mod.Dir(), ReadmeName),
				Content: writeDoc(func(d *doc) { moduleReadme(d, m, mod, Uses(m, mod)) }, specName),
			}
		})
	}
	for _, e := range m.Environments {
		jobs = append(jobs, func() generator.File {
			return generator.File{
				Path:    path.Join(e.Spec.Name, ReadmeName),
				Content: writeDoc(func(d *doc) { envReadme(d, e) }, specName),
			}
		})
	}
	return inParallel(jobs)
}

// docs recycles the buffers of READMEs: a README is garbage once its
// header function has copied it.
var docs = sync.Pool{New: func() any { return new(doc) }}

// writeDoc is the README write writes, with its header.
func writeDoc(write func(d *doc), specName string) []byte {
	d := docs.Get().(*doc)
	defer docs.Put(d)
	d.Reset()
	write(d)
	return outtree.WithMarkdownHeader(specName, d.Bytes())
}

// Tests emits the `terraform test` files of each module of a model, one
// per environment that uses it. It is a pipeline emitter.
func Tests(m *generator.Model, specName string) []generator.File {
	var jobs []func() generator.File
	for _, mod := range m.Modules {
		for _, u := range Uses(m, mod) {
			jobs = append(jobs, func() generator.File {
				return generator.File{
					Path: TestFile(mod, u.Env.Spec.Name),
					Content: moduleTest(mod, u).Wrap(func(text []byte) []byte {
						return outtree.WithHeader(specName, text)
					}),
				}
			})
		}
	}
	return inParallel(jobs)
}

// inParallel runs jobs on every CPU: large specs make many files. The
// files come in path order.
func inParallel(jobs []func() generator.File) []generator.File {
	files := make([]generator.File, len(jobs))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, job := range jobs {
		g.Go(func() error { files[i] = job(); return nil })
	}
	_ = g.Wait() // jobs return no errors
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
		if r := e.Role(mod.Template.Kind); r != nil && r.Module == mod {
			out = append(out, Use{e, r})
		}
	}
	return out
}
