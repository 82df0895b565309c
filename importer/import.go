// Package importer reads the IAM roles an account already has (made by
// hand, e.g. with the console guide) and writes the spec environment that
// adopts them unchanged: gen --adopt imports every role and its parts,
// and the first plan changes nothing. It only reads IAM.
//
// It evaluates the catalog for candidate specs with the generator, the
// way gen will, and compares the policies that result with the account's
// as Terraform does (awspolicyequivalence), so that what it writes is
// checked against the account before anyone runs a plan.
package importer

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// Options say which environment to write and how to find its roles.
type Options struct {
	Env, AccountID, Region string
	// Prefix is the environment's name_prefix (default "lakerunner").
	Prefix string
	// Catalog is the loaded catalog, Def what import knows about it.
	Catalog *templates.Catalog
	Def     Catalog
}

// Result is the environment block import wrote.
type Result struct {
	spec *envSpec
	// Warnings say what the spec could not describe, so that the adopt
	// plan will change it (also written as comments in the spec).
	Warnings []string
	// Adopted maps each role kind found to the role's ARN.
	Adopted map[string]string
}

// File is the environment block as a spec file.
func (r *Result) File() *hclwrite.File { return r.spec.File() }

// Import reads the account and writes the environment that adopts its
// roles.
func Import(ctx context.Context, api API, o Options) (*Result, error) {
	if o.Prefix == "" {
		o.Prefix = schema.DefaultNamePrefix
	}
	base := envSpec{Catalog: o.Def.Spec, Name: o.Env, AccountID: o.AccountID, Region: o.Region, Prefix: o.Prefix}
	features := o.Def.Features

	// Every optional role on, to learn the catalog's names, and which
	// feature brings which roles.
	probe := base
	probe.Features = features
	probe.CrossAccount = &crossAccount{AccountIDs: []string{o.AccountID}, ExternalID: "lakerunner-iam-import"}
	all, diags := probe.build(o.Catalog)
	if diags.HasErrors() {
		return nil, fmt.Errorf("evaluating the catalog for environment %q: %s", o.Env, diags.Error())
	}
	enables := map[string]string{} // kind -> the feature that generates it
	for i, f := range features {
		without := probe
		without.Features = slices.Delete(slices.Clone(features), i, i+1)
		if f.Block == crossAccountBlock {
			without.CrossAccount = nil
		}
		env, diags := without.build(o.Catalog)
		if diags.HasErrors() {
			return nil, fmt.Errorf("evaluating the catalog without %s: %s", f, diags.Error())
		}
		for _, r := range all.Roles {
			if env.Role(r.Kind()) == nil {
				enables[r.Kind()] = f.String()
			}
		}
	}

	names := map[string]bool{}
	svcs := map[string]bool{}
	for _, r := range all.Roles {
		names[r.Name] = true
		for _, p := range r.Trust.Statements {
			for _, pr := range p.Principals {
				if pr.Type == "Service" {
					for _, id := range pr.Identifiers {
						svcs[id] = true
					}
				}
			}
		}
	}
	prefix := strings.ToLower(o.Prefix)
	isCandidate := func(name, path string) bool {
		return names[name] || strings.HasPrefix(strings.ToLower(name), prefix) || strings.Contains(strings.ToLower(path), "/"+prefix)
	}
	trusted := func(trust string) bool {
		stmts, err := parseStatements(trust)
		if err != nil {
			return false
		}
		for _, s := range services(stmts) {
			if svcs[s] {
				return true
			}
		}
		return len(awsPrincipals(stmts)) > 0
	}
	tagged := func(tags map[string]string) bool {
		for k, v := range tags {
			if strings.Contains(strings.ToLower(k), prefix) || strings.Contains(strings.ToLower(v), prefix) || (k == "Environment" && v == o.Env) {
				return true
			}
		}
		return false
	}
	roles, err := readRoles(ctx, api, isCandidate, trusted, tagged)
	if err != nil {
		return nil, err
	}

	matched, unmatched := match(all, roles)
	// The resources block that leaves the fewest statements to replace.
	base.Resources = inferResources(base, func(e envSpec) (int, bool) {
		res, err := compose(e, o.Catalog, features, all, enables, matched, nil)
		if err != nil {
			return 0, false
		}
		n := len(res.Warnings)
		for _, rb := range res.spec.Roles {
			n += len(rb.Statements)
		}
		return n, true
	}, matched)
	var best *Result
	for _, cdp := range []*bool{nil, ptr(false)} {
		res, err := compose(base, o.Catalog, features, all, enables, matched, cdp)
		if err != nil {
			return nil, err
		}
		if best == nil || len(res.Warnings) < len(best.Warnings) {
			best = res
		}
	}
	for _, r := range unmatched {
		best.spec.Unmatched = append(best.spec.Unmatched, r.ARN)
	}
	return best, nil
}

func ptr[T any](v T) *T { return &v }

// compose writes the environment for the matched roles with one choice of
// confused_deputy_protection, and checks it against the account.
func compose(base envSpec, cat *templates.Catalog, features []Feature, all *generator.Environment, enables map[string]string, matched map[string]*Role, cdp *bool) (*Result, error) {
	bare := base
	bare.ConfusedDeputy = cdp
	for _, f := range features {
		for kind := range matched {
			if enables[kind] == f.String() {
				bare.Features = append(bare.Features, f)
				if f.Block == crossAccountBlock {
					ca, err := crossAccountOf(matched[kind])
					if err != nil {
						return nil, err
					}
					bare.CrossAccount = ca
				}
				break
			}
		}
	}
	for _, r := range all.Roles {
		a := matched[r.Kind()]
		if a == nil {
			continue
		}
		rb := &roleBlock{Kind: r.Kind()}
		if a.Name != r.Name {
			rb.Name = a.Name
		}
		if a.Path != "/" {
			rb.Path = a.Path
		}
		bare.Roles = append(bare.Roles, rb)
	}
	env0, diags := bare.build(cat)
	if diags.HasErrors() {
		return nil, fmt.Errorf("evaluating the catalog for the roles found: %s", diags.Error())
	}

	// One role without the catalog's tag keys (made by hand, tagged its
	// own way): then every role carries exactly its own tags.
	final := bare
	final.Roles = nil
	catalogTags := true
	for _, rb := range bare.Roles {
		catalogTags = catalogTags && hasCatalogTags(env0.Role(rb.Kind), matched[rb.Kind])
	}
	if !catalogTags {
		final.CatalogTags = ptr(false)
	}
	for _, rb := range bare.Roles {
		out := overrides(env0.Role(rb.Kind), matched[rb.Kind], catalogTags)
		out.Name, out.Path = rb.Name, rb.Path
		final.Roles = append(final.Roles, out)
	}
	if !catalogTags {
		hoistTags(&final)
	}
	for _, r := range env0.Roles {
		if matched[r.Kind()] == nil {
			final.Notes = append(final.Notes, fmt.Sprintf("No role %s (%s) in the account: the plan creates it.", r.Name, r.Kind()))
		}
	}
	env1, diags := final.build(cat)
	if diags.HasErrors() {
		return nil, fmt.Errorf("evaluating the spec import wrote: %s", diags.Error())
	}
	res := &Result{spec: &final, Adopted: map[string]string{}}
	res.Warnings = append(res.Warnings, final.Notes...)
	for _, rb := range final.Roles {
		a := matched[rb.Kind]
		res.Adopted[rb.Kind] = a.ARN
		rb.Notes = append(rb.Notes, verify(env1.Role(rb.Kind), a)...)
		for _, n := range rb.Notes {
			res.Warnings = append(res.Warnings, fmt.Sprintf("role %s (%s): %s", a.Name, rb.Kind, n))
		}
	}
	return res, nil
}

// hoistTags writes tags every role shares (a team's one tag on all) once,
// as the environment's tags, when the catalog's are off.
func hoistTags(e *envSpec) {
	shared := e.Roles[0].Tags
	for _, rb := range e.Roles {
		if len(rb.Tags) == 0 || !maps.Equal(rb.Tags, shared) {
			return
		}
	}
	e.Tags = shared
	for _, rb := range e.Roles {
		rb.Tags = nil
	}
}
