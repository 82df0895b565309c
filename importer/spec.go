package importer

import (
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/policy"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// envSpec is the environment block import writes; candidate specs are
// the same with other choices, so every one is evaluated the way gen
// will evaluate the result.
type envSpec struct {
	// Catalog is the spec's top-level catalog attribute ("": the default).
	Catalog                         string
	Name, AccountID, Region, Prefix string
	// Features are the environment's switches that are on.
	Features []Feature
	// ConfusedDeputy and CatalogTags: nil leaves the default (true).
	ConfusedDeputy, CatalogTags *bool
	// Tags are the environment's tags, on every role.
	Tags         map[string]string
	CrossAccount *crossAccount
	// Resources are the resources block's attributes (nil: none).
	Resources map[string]cty.Value
	Roles     []*roleBlock
	// Unmatched are comments about roles that look like Lakerunner's but
	// match no kind; Notes about what the spec cannot describe.
	Unmatched, Notes []string
}

type crossAccount struct {
	AccountIDs, PrincipalARNs []string
	ExternalID                string
	RequireMFA                bool
}

// roleBlock is a role block: only what differs from the catalog.
type roleBlock struct {
	Kind, Name, Path    string
	Description         *string
	Boundary            string
	MaxSessionDuration  int
	Tags                map[string]string
	TrustedPrincipals   []string
	InlinePolicy        *bool
	PolicyName          string
	Statements          []policy.Statement
	ManagedPolicyARNs   []string
	InstanceProfileTags map[string]string // nil: the role's tags
	Notes               []string
}

// Feature is an environment attribute or block that makes the catalog
// generate more roles (found by evaluating the catalog with and without
// it).
type Feature struct {
	Attr  string
	Value cty.Value
	// Block: a block of this name with Labels (e.g. a service), empty;
	// or the cross_account block, written with the values found.
	Block  string
	Labels []string
}

// guideFeatures are the console guide catalog's switches of optional roles.
var guideFeatures = []Feature{
	{Attr: "compute", Value: cty.StringVal("ec2")},
	{Attr: "lambda_migrations", Value: cty.True},
	{Attr: "msk_access", Value: cty.True},
	{Block: crossAccountBlock},
}

const crossAccountBlock = "cross_account"

func (f Feature) String() string {
	if f.Block != "" {
		return strings.Join(append([]string{f.Block}, f.Labels...), " ")
	}
	return f.Attr
}

func comment(body *hclwrite.Body, lines ...string) {
	for _, l := range lines {
		body.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte("# " + l + "\n")}})
	}
}

func strList(list []string) cty.Value {
	if len(list) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(list))
	for i, s := range list {
		vals[i] = cty.StringVal(s)
	}
	return cty.ListVal(vals)
}

func strMap(m map[string]string) cty.Value {
	if len(m) == 0 {
		return cty.MapValEmpty(cty.String)
	}
	vals := map[string]cty.Value{}
	for k, v := range m {
		vals[k] = cty.StringVal(v)
	}
	return cty.MapVal(vals)
}

// block writes the environment block into body.
func (e *envSpec) block(body *hclwrite.Body) *hclwrite.Block {
	blk := body.AppendNewBlock("environment", []string{e.Name})
	b := blk.Body()
	b.SetAttributeValue("account_id", cty.StringVal(e.AccountID))
	b.SetAttributeValue("region", cty.StringVal(e.Region))
	if e.Prefix != schema.DefaultNamePrefix {
		b.SetAttributeValue("name_prefix", cty.StringVal(e.Prefix))
	}
	b.AppendNewline()
	comment(b, "Written by lakerunner-iam import from the roles the account has: gen --adopt")
	comment(b, "imports them, and the first plan changes nothing.")
	b.SetAttributeValue("adopt", cty.True)
	for _, f := range e.Features {
		switch {
		case f.Attr != "":
			b.SetAttributeValue(f.Attr, f.Value)
		case f.Block != crossAccountBlock: // cross_account: written below, with its values
			b.AppendNewBlock(f.Block, f.Labels)
		}
	}
	if e.ConfusedDeputy != nil {
		b.SetAttributeValue("confused_deputy_protection", cty.BoolVal(*e.ConfusedDeputy))
	}
	if e.CatalogTags != nil {
		b.SetAttributeValue("catalog_tags", cty.BoolVal(*e.CatalogTags))
	}
	if len(e.Tags) > 0 {
		b.SetAttributeValue("tags", strMap(e.Tags))
	}
	if len(e.Notes) > 0 {
		b.AppendNewline()
		comment(b, e.Notes...)
	}
	e.writeResources(b)
	if c := e.CrossAccount; c != nil {
		b.AppendNewline()
		cb := b.AppendNewBlock("cross_account", nil).Body()
		if len(c.AccountIDs) > 0 {
			cb.SetAttributeValue("trusted_account_ids", strList(c.AccountIDs))
		}
		if len(c.PrincipalARNs) > 0 {
			cb.SetAttributeValue("trusted_principal_arns", strList(c.PrincipalARNs))
		}
		cb.SetAttributeValue("external_id", cty.StringVal(c.ExternalID))
		if c.RequireMFA {
			cb.SetAttributeValue("require_mfa", cty.True)
		}
	}
	if len(e.Unmatched) > 0 {
		b.AppendNewline()
		comment(b, "Roles that look like Lakerunner's but match no role kind of the catalog;")
		comment(b, "not adopted:")
		for _, u := range e.Unmatched {
			comment(b, "  "+u)
		}
	}
	for _, r := range e.Roles {
		if r.empty() {
			continue
		}
		b.AppendNewline()
		r.write(b)
	}
	return blk
}

func (r *roleBlock) empty() bool {
	return r.Name == "" && r.Path == "" && r.Description == nil && r.Boundary == "" && r.MaxSessionDuration == 0 &&
		r.Tags == nil && len(r.TrustedPrincipals) == 0 && r.InlinePolicy == nil &&
		r.PolicyName == "" && len(r.Statements) == 0 && len(r.ManagedPolicyARNs) == 0 && r.InstanceProfileTags == nil && len(r.Notes) == 0
}

func (r *roleBlock) write(body *hclwrite.Body) {
	comment(body, r.Notes...)
	b := body.AppendNewBlock("role", []string{r.Kind}).Body()
	set := func(name string, v cty.Value) { b.SetAttributeValue(name, v) }
	if r.Name != "" {
		set("name", cty.StringVal(r.Name))
	}
	if r.Path != "" {
		set("path", cty.StringVal(r.Path))
	}
	if r.Description != nil {
		set("description", cty.StringVal(*r.Description))
	}
	if r.Boundary != "" {
		set("permissions_boundary", cty.StringVal(r.Boundary))
	}
	if r.MaxSessionDuration != 0 {
		set("max_session_duration", cty.NumberIntVal(int64(r.MaxSessionDuration)))
	}
	if r.Tags != nil {
		set("tags", strMap(r.Tags))
	}
	if len(r.TrustedPrincipals) > 0 {
		set("trusted_principal_arns", strList(r.TrustedPrincipals))
	}
	if len(r.ManagedPolicyARNs) > 0 {
		set("managed_policy_arns", strList(r.ManagedPolicyARNs))
	}
	if r.InlinePolicy != nil {
		set("inline_policy", cty.BoolVal(*r.InlinePolicy))
	}
	if r.PolicyName != "" {
		set("policy_name", cty.StringVal(r.PolicyName))
	}
	if r.InstanceProfileTags != nil {
		set("instance_profile_tags", strMap(r.InstanceProfileTags))
	}
	for _, st := range r.Statements {
		sb := b.AppendNewBlock("statement", nil).Body()
		if st.Sid != "" {
			sb.SetAttributeValue("sid", cty.StringVal(st.Sid))
		}
		if st.Effect != "Allow" {
			sb.SetAttributeValue("effect", cty.StringVal(st.Effect))
		}
		for _, l := range []struct {
			name string
			list []string
		}{{"actions", st.Actions}, {"not_actions", st.NotActions}, {"resources", st.Resources}, {"not_resources", st.NotResources}} {
			if len(l.list) > 0 {
				sb.SetAttributeValue(l.name, strList(l.list))
			}
		}
		for _, c := range st.Conditions {
			cb := sb.AppendNewBlock("condition", nil).Body()
			cb.SetAttributeValue("test", cty.StringVal(c.Test))
			cb.SetAttributeValue("variable", cty.StringVal(c.Variable))
			cb.SetAttributeValue("values", strList(c.Values))
		}
	}
}

// File is the environment block as a spec file of its own.
func (e *envSpec) File() *hclwrite.File {
	f := hclwrite.NewEmptyFile()
	if e.Catalog != "" {
		f.Body().SetAttributeValue("catalog", cty.StringVal(e.Catalog))
		f.Body().AppendNewline()
	}
	e.block(f.Body())
	return f
}

// build evaluates the environment against the catalog as gen --adopt
// does, from the spec text import would write.
func (e *envSpec) build(cat *templates.Catalog) (*generator.Environment, hcl.Diagnostics) {
	src := hclwrite.Format(e.File().Bytes())
	spec, diags := schema.Parse(hclparse.NewParser(), "import.hcl", src)
	if diags.HasErrors() {
		return nil, diags
	}
	m, diags := generator.Build(spec, cat, generator.Options{Adopt: true})
	if diags.HasErrors() {
		return nil, diags
	}
	return m.Environments[0], diags
}

// sortedKeys is a map's keys in order.
func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
