package generator

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// TestInterfaceTable checks each entry of the module interface: a
// variable name, a type Terraform accepts, a default of that type, a
// description, and a derivation of every role's value.
func TestInterfaceTable(t *testing.T) {
	types := interfaceTypes()
	seen := map[string]bool{}
	for _, v := range Interface {
		if !hclsyntax.ValidIdentifier(v.Name) || seen[v.Name] {
			t.Errorf("variable %q: not an identifier, or declared twice", v.Name)
		}
		seen[v.Name] = true
		if v.Description == "" {
			t.Errorf("variable %s has no description", v.Name)
		}
		if v.Value == nil {
			t.Errorf("variable %s has no derivation (Value)", v.Name)
		}
		if v.Default != nil {
			if _, err := convert.Convert(*v.Default, types[v.Name].ty); err != nil {
				t.Errorf("variable %s: default %#v is not a %s: %s", v.Name, *v.Default, v.Type, err)
			}
		}
		for _, val := range v.Validations {
			refs := exprVars(t, []byte(val.Condition.Text))
			if len(refs) != 1 || !refs[v.Name] {
				t.Errorf("variable %s: validation %q refers to %v; Terraform allows only the variable itself", v.Name, val.Condition.Text, slices.Sorted(maps.Keys(refs)))
			}
		}
	}
}

// exprVars are the var.<name> references of expression source.
func exprVars(t *testing.T, src []byte) map[string]bool {
	t.Helper()
	f, diags := hclwrite.ParseConfig(append(append([]byte("x = "), src...), '\n'), "expr", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s: %s", src, diags.Error())
	}
	return usedVars(f.BuildTokens(nil))
}

// usedVars are the variables tokens refer to as var.<name>.
func usedVars(toks hclwrite.Tokens) map[string]bool {
	used := map[string]bool{}
	for i := 0; i+2 < len(toks); i++ {
		if toks[i].Type == hclsyntax.TokenIdent && string(toks[i].Bytes) == "var" &&
			toks[i+1].Type == hclsyntax.TokenDot && toks[i+2].Type == hclsyntax.TokenIdent {
			used[string(toks[i+2].Bytes)] = true
		}
	}
	return used
}

// interfaceTemplates is a catalog that, with the built-in one, makes
// every interface variable's Declared decide both ways: a template that
// refers to variables only templates use, and one that refers to none.
const interfaceTemplates = `role "reader" {
  summary     = "Reads."
  name        = "${env.name_prefix}-reader"
  description = "Reader"

  trust {
    statement {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = ["arn:${var.partition}:iam::${var.account_id}:root"]
      }
    }
  }

  input "strict" {
    type        = bool
    description = "Strict."
    value       = true
  }

  policy {
    name = "${env.name_prefix}-reader"
    statement {
      enabled   = var.strict ? var.confused_deputy_protection : length(var.tags) > 0
      actions   = ["ssm:GetParameter"]
      resources = ["arn:${var.partition}:ssm:${var.region}:${var.account_id}:parameter/${var.name}"]
    }
  }
}

role "plain" {
  summary     = "Refers to nothing."
  name        = "${env.name_prefix}-plain"
  description = "Plain"

  trust {
    service = "ec2.amazonaws.com"
  }
}
`

func loadCatalog(t *testing.T) *templates.Catalog {
	t.Helper()
	parser := hclparse.NewParser()
	cat, diags := templates.Load(templates.BuiltinFS(), parser)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/reader.hcl", []byte(interfaceTemplates), 0o644); err != nil {
		t.Fatal(err)
	}
	custom, diags := templates.LoadDir(dir, parser)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return cat.With(custom)
}

// TestModuleDeclaresWhatItUses checks, for every template, that the
// module declares exactly the variables its main.tf and outputs.tf use,
// and that aws_iam_role takes every interface variable marked so.
func TestModuleDeclaresWhatItUses(t *testing.T) {
	cat := loadCatalog(t)
	declared := map[string]map[bool]bool{} // interface variable → declared by some module, by none
	type variant struct {
		tmpl  *templates.Role
		shape TrustShape
	}
	var variants []variant
	for _, tmpl := range append(slices.Clone(cat.Roles), sharedTemplate) {
		variants = append(variants, variant{tmpl, TrustTemplate})
		if tmpl.Workload {
			variants = append(variants, variant{tmpl, TrustIRSA}, variant{tmpl, TrustPodIdentity})
		}
	}
	for _, vr := range variants {
		tmpl := vr.tmpl
		t.Run(tmpl.Kind+"/"+string(vr.shape), func(t *testing.T) {
			mod, diags := newModule(tmpl, vr.shape)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			main, diags := hclwrite.ParseConfig(moduleMain(mod, cat.Sources).Bytes(), "main.tf", hcl.InitialPos)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			used := usedVars(main.BuildTokens(nil))
			maps.Copy(used, usedVars(moduleOutputs(mod).Tokens()))
			var names []string
			for _, v := range mod.Variables {
				names = append(names, v.Name)
			}
			if got, want := strings.Join(slices.Sorted(slices.Values(names)), " "), strings.Join(slices.Sorted(maps.Keys(used)), " "); got != want {
				t.Errorf("module declares\n  %s\nbut its main.tf uses\n  %s", got, want)
			}
			role := main.Body().FirstMatchingBlock("resource", []string{"aws_iam_role", "this"}).Body()
			for _, v := range Interface {
				if declared[v.Name] == nil {
					declared[v.Name] = map[bool]bool{}
				}
				declared[v.Name][mod.Has(v.Name)] = true
				a := role.GetAttribute(v.Name)
				switch {
				case v.RoleArgument && (a == nil || strings.TrimSpace(string(a.Expr().BuildTokens(nil).Bytes())) != "var."+v.Name):
					t.Errorf("aws_iam_role.this does not set %s = var.%s", v.Name, v.Name)
				case !v.RoleArgument && a != nil:
					t.Errorf("aws_iam_role.this sets %s, which the interface does not mark as a role argument", v.Name)
				}
			}
		})
	}
	for _, v := range Interface {
		if v.Declared != nil && len(declared[v.Name]) != 2 {
			t.Errorf("variable %s: Declared is %v for every template; make it nil (every module) or test a template where it differs", v.Name, declared[v.Name])
		}
	}
}

// TestTemplateInputClash checks that a template input may not take the
// name of an interface variable.
func TestTemplateInputClash(t *testing.T) {
	for _, v := range Interface {
		tmpl := &templates.Role{Kind: "x", Trust: &templates.Trust{Service: "ec2.amazonaws.com"},
			Inputs: []*templates.Input{{Name: v.Name}}}
		_, diags := newModule(tmpl, TrustTemplate)
		if len(diags) != 1 || diags[0].Summary != "Duplicate input" {
			t.Errorf("input %q: diagnostics %v, want one Duplicate input", v.Name, diags)
		}
	}
}

// TestArguments checks what a root passes each module, for every role of
// the full test spec: every required variable, each value of the
// variable's type, and only variables the module declares.
func TestArguments(t *testing.T) {
	parser := hclparse.NewParser()
	cat, diags := templates.Load(templates.BuiltinFS(), parser)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	src, err := os.ReadFile("../testdata/specs/full.hcl")
	if err != nil {
		t.Fatal(err)
	}
	spec, diags := schema.Parse(parser, "full.hcl", src)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	m, diags := Build(spec, cat, Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	types := interfaceTypes()
	for _, e := range m.Environments {
		for _, r := range e.Roles {
			args := map[string]cty.Value{}
			for _, a := range r.Arguments() {
				args[a.Name] = a.Value
			}
			for _, v := range r.Module.Variables {
				val, ok := args[v.Name]
				if !ok {
					if v.Default == nil {
						t.Errorf("%s/%s: required variable %s is not passed", e.Spec.Name, r.Kind(), v.Name)
					}
					continue
				}
				delete(args, v.Name)
				if v.Interface == nil {
					continue
				}
				ty := types[v.Name]
				if ty.defaults != nil {
					val = ty.defaults.Apply(val)
				}
				if _, err := convert.Convert(val, ty.ty); err != nil {
					t.Errorf("%s/%s: %s = %#v is not a %s: %s", e.Spec.Name, r.Kind(), v.Name, val, v.Interface.Type, err)
				}
			}
			if len(args) > 0 {
				t.Errorf("%s/%s: passes undeclared variables %v", e.Spec.Name, r.Kind(), slices.Sorted(maps.Keys(args)))
			}
		}
	}
}

// TestForceDetachPolicies checks the role block's force_detach_policies:
// the root passes it only when it is false, the module's default.
func TestForceDetachPolicies(t *testing.T) {
	parser := hclparse.NewParser()
	cat, diags := templates.Load(templates.BuiltinFS(), parser)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	src, err := os.ReadFile("../testdata/specs/custom.hcl")
	if err != nil {
		t.Fatal(err)
	}
	spec, diags := schema.Parse(parser, "custom.hcl", src)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	m, diags := Build(spec, cat, Options{})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	for _, r := range m.Environments[0].Roles {
		var passed *cty.Value
		for _, a := range r.Arguments() {
			if a.Name == "force_detach_policies" {
				passed = &a.Value
			}
		}
		switch {
		case r.Kind() == "migration-task" && (passed == nil || passed.True()):
			t.Errorf("%s sets force_detach_policies = false, but the root passes %v", r.Kind(), passed)
		case r.Kind() != "migration-task" && passed != nil:
			t.Errorf("%s keeps the default force_detach_policies, but the root passes %#v", r.Kind(), *passed)
		case !r.Module.Has("force_detach_policies"):
			t.Errorf("module %s does not declare force_detach_policies", r.Kind())
		}
	}
}
