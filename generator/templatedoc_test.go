package generator

import (
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// TestTemplateDocs checks that templates/README.md, the reference of the
// template format, lists exactly the functions templates may call, and
// names every attribute of a template, of `env` and of `var`.
func TestTemplateDocs(t *testing.T) {
	b, err := os.ReadFile("../templates/README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)

	section := regexp.MustCompile("(?s)<!-- BEGIN functions[^>]*-->(.*?)<!-- END functions -->").FindStringSubmatch(doc)
	if section == nil {
		t.Fatal("templates/README.md has no BEGIN/END functions section")
	}
	var listed []string
	for _, m := range regexp.MustCompile("`([a-z]+)`").FindAllStringSubmatch(section[1], -1) {
		listed = append(listed, m[1])
	}
	sort.Strings(listed)
	if got, want := strings.Join(listed, " "), strings.Join(FunctionNames(), " "); got != want {
		t.Errorf("templates/README.md lists the functions\n  %s\nbut templates may call\n  %s", got, want)
	}

	documented := func(what, name string) {
		t.Helper()
		if !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("templates/README.md does not document %s `%s`", what, name)
		}
	}

	// env: every attribute, nested ones too.
	on := true
	env := &schema.Environment{Name: "prod", ConfusedDeputyProtection: &on, Resources: &schema.Resources{}, CrossAccount: &schema.CrossAccount{}}
	var walk func(prefix string, ty cty.Type)
	walk = func(prefix string, ty cty.Type) {
		if !ty.IsObjectType() {
			return
		}
		for name, at := range ty.AttributeTypes() {
			documented("env attribute "+prefix, name)
			walk(prefix+name+".", at)
		}
	}
	walk("", specContext(env, nil, nil).Variables["env"].Type())

	// var: the standard values every template may use.
	r := &Role{Env: env, Tags: map[string]string{}, Inputs: map[string]cty.Value{}}
	for name := range r.moduleVars() {
		documented("module input var.", name)
	}

	// Every block and attribute of the template format.
	for _, v := range []interface{}{templates.Role{}, templates.Trust{}, templates.ManagedPolicy{}, templates.Input{},
		templates.Validation{}, templates.Policy{}, templates.Statement{}, templates.Principals{}, templates.Condition{}} {
		ty := reflect.TypeOf(v)
		for i := 0; i < ty.NumField(); i++ {
			name, kind, _ := strings.Cut(ty.Field(i).Tag.Get("hcl"), ",")
			if name == "" || kind == "label" {
				continue
			}
			documented(ty.Name()+" attribute", name)
		}
	}
}
