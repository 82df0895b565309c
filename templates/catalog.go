// Package templates is the built-in role catalog: one HCL file per role kind
// of the Lakerunner IAM console guide, embedded in the binary. A team adds
// role kinds, or replaces built-in ones, with a directory of its own
// templates in the same format (LoadDir, Catalog.With); README.md in this
// directory documents the format.
//
// A template is evaluated in two contexts. Attributes about the role as a
// whole (name, description, enabled, tags, input values, policy name) see
// the spec as `env`; they decide what the root module passes to the role's
// module. Attributes inside trust and policy statements see the module's
// inputs as `var`; they are copied verbatim into the generated module, and
// the generator also evaluates them itself so that it knows the exact
// policies a spec produces.
package templates

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/cardinalhq/lakerunner-iam/schema"
)

//go:embed *.hcl tiers/*.hcl
var builtin embed.FS

// Catalog is the set of role templates, in a stable order.
type Catalog struct {
	Roles []*Role
	// Sources holds each template file's bytes, by file name, for copying
	// expressions verbatim and for printing diagnostics.
	Sources map[string][]byte
}

// Role is one role kind.
type Role struct {
	Kind            string         `hcl:"kind,label"`
	Summary         string         `hcl:"summary"`
	Name            *hcl.Attribute `hcl:"name"`
	Description     *hcl.Attribute `hcl:"description"`
	Enabled         *hcl.Attribute `hcl:"enabled,optional"`
	Tags            *hcl.Attribute `hcl:"tags,optional"`
	DefaultServices []string       `hcl:"default_services,optional"`
	ExecutionRole   bool           `hcl:"execution_role,optional"`
	InstanceProfile bool           `hcl:"instance_profile,optional"`
	// Workload marks a role that Lakerunner services run under: the
	// environment's platform says who assumes it (ECS tasks, EKS IRSA or
	// Pod Identity), so the template has no trust block (workload.go).
	Workload bool `hcl:"workload,optional"`

	Trust           *Trust           `hcl:"trust,block"`
	ManagedPolicies []*ManagedPolicy `hcl:"managed_policy,block"`
	Inputs          []*Input         `hcl:"input,block"`
	Policy          *Policy          `hcl:"policy,block"`
	Expects         []*Expect        `hcl:"expect,block"`
	// Accepts are lint findings the catalog itself accepts, each with the
	// reason (e.g. Resource "*" for an API that allows nothing narrower).
	Accepts []*Accept `hcl:"accept,block"`

	DefRange hcl.Range `hcl:",def_range"`
}

// Expect is an expectation about the role's permissions, checked by
// lakerunner-iam test: each action on each resource must be allowed
// ("allow") or must not be ("deny"), given the request context. Its
// expressions see the module's inputs as var, like statements do.
type Expect struct {
	Name      string         `hcl:"name,label"`
	Effect    string         `hcl:"effect"`
	Actions   *hcl.Attribute `hcl:"actions"`
	Resources *hcl.Attribute `hcl:"resources"`
	Context   *hcl.Attribute `hcl:"context,optional"`
	Enabled   *hcl.Attribute `hcl:"enabled,optional"`

	DefRange hcl.Range `hcl:",def_range"`
}

// Trust is the role's trust policy: a service principal (the common case,
// with an optional source ARN for confused-deputy conditions) or explicit
// statements.
type Trust struct {
	Service    string         `hcl:"service,optional"`
	SourceArn  *hcl.Attribute `hcl:"source_arn,optional"`
	Statements []*Statement   `hcl:"statement,block"`

	DefRange hcl.Range `hcl:",def_range"`
}

// ManagedPolicy is an AWS managed policy attached to the role, named as in
// IAM; its ARN is built from the partition, so it is right in every one.
type ManagedPolicy struct {
	Name string `hcl:"name,label"`
	Path string `hcl:"path"`
}

// Input is a role-specific module variable and the spec value the root
// module passes for it.
type Input struct {
	Name        string         `hcl:"name,label"`
	Type        *hcl.Attribute `hcl:"type"`
	Description string         `hcl:"description"`
	Value       *hcl.Attribute `hcl:"value"`
	Validations []*Validation  `hcl:"validation,block"`

	DefRange hcl.Range `hcl:",def_range"`
}

// Validation is a Terraform variable validation, copied into the module.
type Validation struct {
	Condition    *hcl.Attribute `hcl:"condition"`
	ErrorMessage string         `hcl:"error_message"`
}

// Policy is the role's inline permissions policy.
type Policy struct {
	Name       *hcl.Attribute `hcl:"name"`
	Statements []*Statement   `hcl:"statement,block"`

	DefRange hcl.Range `hcl:",def_range"`
}

// Statement mirrors a statement block of aws_iam_policy_document.
type Statement struct {
	Sid          string         `hcl:"sid,optional"`
	Enabled      *hcl.Attribute `hcl:"enabled,optional"`
	Effect       string         `hcl:"effect,optional"`
	Actions      *hcl.Attribute `hcl:"actions,optional"`
	NotActions   *hcl.Attribute `hcl:"not_actions,optional"`
	Resources    *hcl.Attribute `hcl:"resources,optional"`
	NotResources *hcl.Attribute `hcl:"not_resources,optional"`
	Principals   []*Principals  `hcl:"principals,block"`
	Conditions   []*Condition   `hcl:"condition,block"`

	DefRange hcl.Range `hcl:",def_range"`
}

// Principals mirrors a principals block of aws_iam_policy_document.
type Principals struct {
	Type        string         `hcl:"type"`
	Identifiers *hcl.Attribute `hcl:"identifiers"`
}

// Condition mirrors a condition block of aws_iam_policy_document; Enabled
// makes it conditional on module inputs.
type Condition struct {
	Enabled  *hcl.Attribute `hcl:"enabled,optional"`
	Test     string         `hcl:"test"`
	Variable string         `hcl:"variable"`
	Values   *hcl.Attribute `hcl:"values"`
}

// Accept accepts a lint finding of the role's own statements: its code,
// optionally only for one statement (by Sid), with the reason.
type Accept struct {
	Code   string `hcl:"code,label"`
	Sid    string `hcl:"sid,optional"`
	Reason string `hcl:"reason"`

	DefRange hcl.Range `hcl:",def_range"`
}

type file struct {
	Roles []*Role `hcl:"role,block"`
}

// BuiltinFS is the embedded catalog's files, for tools that read them.
func BuiltinFS() fs.FS { return builtin }

// LoadBuiltin reads a built-in catalog by its name (schema.Catalogs): the
// console guide's templates at the top of this directory, or the tiers
// catalog's in tiers/.
func LoadBuiltin(catalog string, parser *hclparse.Parser) (*Catalog, hcl.Diagnostics) {
	if catalog != schema.CatalogTiers {
		return load(builtin, builtinOrigin("templates"), parser)
	}
	sub, err := fs.Sub(builtin, "tiers")
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the tiers catalog", Detail: err.Error()}}
	}
	return load(sub, builtinOrigin("templates/tiers"), parser)
}

// Load reads every *.hcl file at the root of fsys as templates, naming
// each templates/<file> in diagnostics. The parser keeps the sources for
// diagnostics.
func Load(fsys fs.FS, parser *hclparse.Parser) (*Catalog, hcl.Diagnostics) {
	return load(fsys, origin{filename: func(name string) string { return path.Join("templates", name) }}, parser)
}

// builtinOrigin names the embedded templates of dir (dir/<file>). Their
// bounds are not checked again at every run: they are ours, and
// TestBuiltinWithinBounds checks them once.
func builtinOrigin(dir string) origin {
	return origin{filename: func(name string) string { return path.Join(dir, name) }, trusted: true}
}

// LoadDir reads every *.hcl file of a directory of a team's own templates
// (the spec's templates_dir, or gen --templates). Diagnostics name the files
// by their path; a directory that does not exist or holds no template is an
// error without a subject, for the caller to point at where it was named.
func LoadDir(dir string, parser *hclparse.Parser) (*Catalog, hcl.Diagnostics) {
	info, err := os.Stat(dir)
	if err == nil && !info.IsDir() {
		err = fmt.Errorf("%s is not a directory", dir)
	}
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read templates directory",
			Detail: fmt.Sprintf("%s. Name a directory of role templates: *.hcl files in the format of the built-in catalog (see templates/README.md).", err)}}
	}
	cat, diags := load(os.DirFS(dir), origin{filename: func(name string) string {
		filename := filepath.Join(dir, name)
		// The parser caches files by name: a directory that is itself
		// called "templates" must not collide with the built-in files.
		if parser.Files()[filename] != nil {
			if abs, err := filepath.Abs(filename); err == nil {
				filename = abs
			}
		}
		return filename
	}}, parser)
	if cat != nil && len(cat.Sources) == 0 && !diags.HasErrors() {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "No role templates",
			Detail: fmt.Sprintf("The templates directory %s holds no *.hcl file. Put role templates there (see templates/README.md), or remove the setting.", dir)})
	}
	return cat, diags
}

// With is the catalog with the roles of custom added: a role of a kind the
// catalog already has replaces it in place, a new kind follows the others.
func (c *Catalog) With(custom *Catalog) *Catalog {
	out := &Catalog{Roles: slices.Clone(c.Roles), Sources: map[string][]byte{}}
	maps.Copy(out.Sources, c.Sources)
	maps.Copy(out.Sources, custom.Sources)
	for _, r := range custom.Roles {
		if i := slices.IndexFunc(out.Roles, func(b *Role) bool { return b.Kind == r.Kind }); i >= 0 {
			out.Roles[i] = r
		} else {
			out.Roles = append(out.Roles, r)
		}
	}
	return out
}

// origin is where templates come from: how to name a file for the parser
// and diagnostics, and whether its bounds are known to hold.
type origin struct {
	filename func(string) string
	trusted  bool
}

// template is one template file on its way into a catalog.
type template struct {
	filename string
	src      []byte
	diags    hcl.Diagnostics
	file     *hcl.File         // parsed, for the parser; nil when not read
	parsed   bool              // without syntax errors: a source of the catalog
	roles    []*Role           // decoded
	checks   []hcl.Diagnostics // of each role
}

// load reads every *.hcl file at the root of fsys. Files are parsed,
// decoded and checked concurrently (parsing is most of a run's loading
// time); what they add to the catalog and the parser, and their
// diagnostics, come in file name order as if read one after another.
func load(fsys fs.FS, from origin, parser *hclparse.Parser) (*Catalog, hcl.Diagnostics) {
	names, err := fs.Glob(fsys, "*.hcl")
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot list templates", Detail: err.Error()}}
	}
	sort.Strings(names)
	tpls := make([]*template, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		t := &template{}
		tpls[i] = t
		// A template named by a team's directory may be anything: a
		// symlink to a device, a FIFO, megabytes of nesting.
		src, err := schema.ReadFS(fsys, name, schema.MaxTemplateBytes)
		if err != nil {
			t.diags = hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read template",
				Detail: err.Error() + ". A role template is a regular *.hcl file of at most a few kilobytes."}}
			continue
		}
		t.filename, t.src = from.filename(name), src
		cached := parser.Files()[t.filename]
		wg.Go(func() { t.read(from.trusted, cached) })
	}
	wg.Wait()

	cat := &Catalog{Sources: map[string][]byte{}}
	var diags hcl.Diagnostics
	seen := map[string]*Role{}
	for _, t := range tpls {
		diags = append(diags, t.diags...)
		if t.file == nil {
			continue
		}
		parser.AddFile(t.filename, t.file)
		if !t.parsed {
			continue
		}
		cat.Sources[t.filename] = t.src
		cat.Sources[workloadTrustFile] = workloadTrustSrc
		for i, r := range t.roles {
			if prev, dup := seen[r.Kind]; dup {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Duplicate role kind",
					Detail:   fmt.Sprintf("Role kind %q is already defined at %s.", r.Kind, prev.DefRange),
					Subject:  r.DefRange.Ptr(),
				})
				continue
			}
			seen[r.Kind] = r
			diags = append(diags, t.checks[i]...)
			cat.Roles = append(cat.Roles, r)
		}
	}
	return cat, diags
}

// read checks the bounds of a template's source (unless trusted), parses
// it (unless the parser has it already, as cached, or it is built in and
// precompiled) and decodes and checks its roles.
func (t *template) read(trusted bool, cached *hcl.File) {
	if !trusted {
		if d := schema.CheckSource(t.filename, t.src, false, schema.MaxTemplateBytes); d.HasErrors() {
			t.diags = d
			return
		}
	}
	f := cached
	if f == nil && trusted {
		f = precompiled(t.filename, t.src)
	}
	if f == nil {
		var d hcl.Diagnostics
		f, d = hclsyntax.ParseConfig(t.src, t.filename, hcl.InitialPos)
		t.file, t.diags = f, d
		if d.HasErrors() {
			return
		}
	}
	t.file, t.parsed = f, true
	var tf file
	d := gohcl.DecodeBody(f.Body, nil, &tf)
	t.diags = append(t.diags, d...)
	if d.HasErrors() {
		return
	}
	t.roles = tf.Roles
	for _, r := range tf.Roles {
		t.checks = append(t.checks, r.check())
	}
}

// Role returns the template of a kind, or nil.
func (c *Catalog) Role(kind string) *Role {
	for _, r := range c.Roles {
		if r.Kind == kind {
			return r
		}
	}
	return nil
}

// Kinds lists the role kinds in catalog order.
func (c *Catalog) Kinds() []string {
	out := make([]string, len(c.Roles))
	for i, r := range c.Roles {
		out[i] = r.Kind
	}
	return out
}

// check finds template mistakes that decoding cannot.
func (r *Role) check() hcl.Diagnostics {
	var diags hcl.Diagnostics
	bad := func(rng hcl.Range, summary, detail string) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()})
	}
	if !kindRe.MatchString(r.Kind) {
		bad(r.DefRange, "Invalid role kind", fmt.Sprintf("%q is not a valid role kind: it names the module directory (modules/<kind>/) and Terraform identifiers, so use lower-case letters, digits and '-' (at most 63), starting with a letter.", r.Kind))
	}
	if r.Workload {
		if r.Trust != nil {
			bad(r.Trust.DefRange, "Trust on a workload role", fmt.Sprintf("Role %q is a workload role (workload = true): the environment's platform decides who assumes it, ECS tasks or EKS pods. Remove the trust block, or remove workload = true for a role that something else assumes.", r.Kind))
		}
		if r.ExecutionRole {
			bad(r.DefRange, "Workload execution role", fmt.Sprintf("Role %q cannot be both a workload role and the ECS execution role: the execution role exists only on ECS. Give it trust { service = \"ecs-tasks.amazonaws.com\" } instead of workload = true.", r.Kind))
		}
		r.Trust = ecsWorkloadTrust()
	} else if r.Trust == nil {
		bad(r.DefRange, "Role template without trust", fmt.Sprintf("Role %q needs a trust block: a service, or statements.", r.Kind))
	} else if (r.Trust.Service == "") == (len(r.Trust.Statements) == 0) {
		bad(r.Trust.DefRange, "Ambiguous trust", "A trust block has either service (and optionally source_arn) or statement blocks, not both, not neither.")
	}
	diags = append(diags, r.checkRequired()...)
	inputs := map[string]bool{}
	for _, in := range r.Inputs {
		// Clashes with the variables every role module has are the
		// generator's to find: it declares them (generator.Interface).
		if inputs[in.Name] {
			bad(in.DefRange, "Duplicate input", fmt.Sprintf("Input %q is defined twice.", in.Name))
		}
		inputs[in.Name] = true
	}
	expects := map[string]*Expect{}
	for _, x := range r.Expects {
		if prev, dup := expects[x.Name]; dup {
			bad(x.DefRange, "Duplicate expectation", fmt.Sprintf("Role %q already has an expectation %q at %s; give each a unique name.", r.Kind, x.Name, prev.DefRange))
		}
		expects[x.Name] = x
		if x.Effect != "allow" && x.Effect != "deny" {
			bad(x.DefRange, "Invalid expectation effect", fmt.Sprintf("Expectation %q has effect %q: use \"allow\" (the role must be allowed) or \"deny\" (it must not be).", x.Name, x.Effect))
		}
	}
	return diags
}

// checkRequired reports the attributes a template must set. gohcl
// decodes an *hcl.Attribute field as optional whatever its tag says, so
// without this a missing one would surface as a crash or as a statement
// IAM refuses.
func (r *Role) checkRequired() hcl.Diagnostics {
	var diags hcl.Diagnostics
	need := func(attr *hcl.Attribute, rng hcl.Range, name, where string) {
		if attr == nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing required argument",
				Detail:  fmt.Sprintf("The argument %q is required in %s of role %q.", name, where, r.Kind),
				Subject: rng.Ptr()})
		}
	}
	one := func(a, b *hcl.Attribute, rng hcl.Range, names string) {
		if (a == nil) == (b == nil) {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Statement needs " + names,
				Detail: fmt.Sprintf("A statement of role %q sets exactly one of %s.", r.Kind, names), Subject: rng.Ptr()})
		}
	}
	statement := func(st *Statement, policy bool) {
		one(st.Actions, st.NotActions, st.DefRange, "actions and not_actions")
		if policy {
			one(st.Resources, st.NotResources, st.DefRange, "resources and not_resources")
		}
		for _, p := range st.Principals {
			need(p.Identifiers, st.DefRange, "identifiers", "a principals block")
		}
		for _, c := range st.Conditions {
			need(c.Values, st.DefRange, "values", "a condition block")
		}
	}
	need(r.Name, r.DefRange, "name", "the role block")
	need(r.Description, r.DefRange, "description", "the role block")
	if r.Trust != nil {
		for _, st := range r.Trust.Statements {
			statement(st, false)
		}
	}
	if r.Policy != nil {
		need(r.Policy.Name, r.Policy.DefRange, "name", "the policy block")
		for _, st := range r.Policy.Statements {
			statement(st, true)
		}
	}
	for _, in := range r.Inputs {
		need(in.Type, in.DefRange, "type", fmt.Sprintf("input %q", in.Name))
		need(in.Value, in.DefRange, "value", fmt.Sprintf("input %q", in.Name))
		for _, v := range in.Validations {
			need(v.Condition, in.DefRange, "condition", fmt.Sprintf("a validation of input %q", in.Name))
		}
	}
	for _, x := range r.Expects {
		need(x.Actions, x.DefRange, "actions", fmt.Sprintf("expectation %q", x.Name))
		need(x.Resources, x.DefRange, "resources", fmt.Sprintf("expectation %q", x.Name))
	}
	return diags
}

// kindRe is what a role kind may be: a directory name, and with '-' turned
// into '_' a Terraform identifier that no other kind maps to.
var kindRe = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
