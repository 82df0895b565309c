package generator

import (
	"fmt"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/cardinalhq/lakerunner-iam/internal/hclfmt"
)

// ImportFiles emits out/<env>/imports.tf for each environment that adopts
// (Environment.Adopt).
func ImportFiles(m *Model, specName string) []File {
	var files []File
	for _, e := range m.Environments {
		if e.Adopt {
			files = append(files, emitSet(e.Spec.Name, specName, map[string]*hclfmt.Body{"imports.tf": importsFile(e)})...)
		}
	}
	return files
}

// importsFile is out/<env>/imports.tf. Terraform (1.5 and later)
// imports what is not yet in the state and ignores blocks for resources
// it already manages, so the file may stay after the first apply.
func importsFile(e *Environment) *hclfmt.Body {
	body := new(hclfmt.Body)
	comment := func(text string) {
		body.Append(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte("# " + text + "\n")}})
	}
	comment("Adopt the IAM objects that already exist (adopt = true, or gen --adopt): the")
	comment("first plan imports them and shows where they differ from the spec as updates.")
	comment("Once they are in the state, these blocks change nothing.")
	var role *Role
	for _, imp := range e.Imports() {
		body.Newline()
		if imp.Role != role {
			role = imp.Role
			comment(fmt.Sprintf("%s (%s)", role.Name, role.Kind()))
		}
		body.Block("import")
		body.Attr("to", hclwrite.TokensForTraversal(imp.to))
		body.Attr("id", hclfmt.String(imp.ID))
		body.End()
	}
	return body
}
