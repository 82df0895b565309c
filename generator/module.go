package generator

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/templates"
)

// Module is the Terraform module of one role kind: its variables and
// outputs. It depends on the template alone, so every environment shares
// it; emit_module.go writes its files.
type Module struct {
	Template *templates.Role
	// Trust is who assumes the module's role; a workload template has a
	// module per shape its environments use.
	Trust     TrustShape
	Variables []*Variable
	Outputs   []Output
}

// Dir is the module's directory under the output directory.
// An EKS workload module lives under its identity, modules/irsa/<kind>/ or
// modules/pod-identity/<kind>/.
func (m *Module) Dir() string {
	if m.Trust != TrustTemplate {
		return "modules/" + string(m.Trust) + "/" + m.Template.Kind
	}
	return "modules/" + m.Template.Kind
}

// Variable is one module input: an interface variable (Interface set) or
// one of the template's inputs.
type Variable struct {
	Name        string
	Type        Expr
	Description string
	Default     *cty.Value // nil: required
	Validations []Validation
	Interface   *InterfaceVar // nil for a template input
}

// Output is one module output.
type Output struct {
	Name, Description string
	Value             Expr
}

// Expr is an expression of the generated code, as data: the generator's
// own source text, or a template attribute that is copied verbatim.
type Expr struct {
	Text string
	Attr *hcl.Attribute
}

// Source is the expression's source text; sources are the catalog's.
func (e Expr) Source(sources map[string][]byte) []byte {
	if e.Attr == nil {
		return []byte(e.Text)
	}
	rng := e.Attr.Expr.Range()
	src, ok := sources[rng.Filename]
	if !ok {
		panic(fmt.Sprintf("generator: no source for %s", rng.Filename))
	}
	return rng.SliceBytes(src)
}

// Has reports whether the module declares a variable.
func (m *Module) Has(name string) bool {
	for _, v := range m.Variables {
		if v.Name == name {
			return true
		}
	}
	return false
}

func newModule(tmpl *templates.Role, shape TrustShape) (*Module, hcl.Diagnostics) {
	m := &Module{Template: tmpl, Trust: shape}
	var diags hcl.Diagnostics
	used := templateVars(tmpl, shape)
	for _, v := range Interface {
		if v.Declared == nil || v.Declared(m) || used[v.Name] {
			m.Variables = append(m.Variables, &Variable{
				Name: v.Name, Type: Expr{Text: v.Type}, Description: v.Description,
				Default: v.Default, Validations: v.Validations, Interface: v,
			})
		}
	}
	for _, in := range tmpl.Inputs {
		if interfaceVar(in.Name) != nil {
			diags = append(diags, errorAt(in.DefRange, "Duplicate input",
				fmt.Sprintf("Input %q of role %q clashes with a variable every role module has; rename it.", in.Name, tmpl.Kind)))
			continue
		}
		v := &Variable{Name: in.Name, Type: Expr{Attr: in.Type}, Description: in.Description}
		for _, val := range in.Validations {
			v.Validations = append(v.Validations, Validation{Expr{Attr: val.Condition}, val.ErrorMessage})
		}
		if !used[in.Name] {
			diags = append(diags, errorAt(in.DefRange, "Unused template input",
				fmt.Sprintf("Input %q of role %q is not used by any trust or policy statement; remove it or use it as var.%s.", in.Name, tmpl.Kind, in.Name)))
		}
		m.Variables = append(m.Variables, v)
	}

	out := func(name, desc, value string) {
		m.Outputs = append(m.Outputs, Output{name, desc, Expr{Text: value}})
	}
	out("arn", "ARN of the role.", "aws_iam_role.this.arn")
	out("name", "Name of the role.", "aws_iam_role.this.name")
	out("unique_id", "Stable unique ID of the role.", "aws_iam_role.this.unique_id")
	if tmpl.InstanceProfile {
		out("instance_profile_arn", "ARN of the instance profile.", "aws_iam_instance_profile.this.arn")
		out("instance_profile_name", "Name of the instance profile.", "aws_iam_instance_profile.this.name")
	}
	return m, diags
}

// templateVars are the module variables (var.<name>) the template's
// expressions that the module copies refer to: its trust and its
// statements. An EKS module's trust is the generator's, not the
// template's.
func templateVars(tmpl *templates.Role, shape TrustShape) map[string]bool {
	used := map[string]bool{}
	add := func(attr *hcl.Attribute) {
		if attr == nil {
			return
		}
		for _, tr := range attr.Expr.Variables() {
			if tr.RootName() != "var" || len(tr) < 2 {
				continue
			}
			if a, ok := tr[1].(hcl.TraverseAttr); ok {
				used[a.Name] = true
			}
		}
	}
	var stmts []*templates.Statement
	if shape == TrustTemplate {
		stmts = tmpl.Trust.Statements
		add(tmpl.Trust.SourceArn)
	}
	if tmpl.Policy != nil {
		stmts = append(append([]*templates.Statement(nil), stmts...), tmpl.Policy.Statements...)
	}
	for _, s := range stmts {
		for _, a := range []*hcl.Attribute{s.Enabled, s.Actions, s.NotActions, s.Resources, s.NotResources} {
			add(a)
		}
		for _, p := range s.Principals {
			add(p.Identifiers)
		}
		for _, c := range s.Conditions {
			add(c.Enabled)
			add(c.Values)
		}
	}
	return used
}
