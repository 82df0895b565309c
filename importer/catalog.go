package importer

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/cardinalhq/lakerunner-iam/templates"
)

// Catalogs are the role catalogs import recognises roles of, by the name
// --catalog takes. Import works over any templates.Catalog: a catalog
// joins by adding its loader here.
var Catalogs = map[string]func(*hclparse.Parser) (*templates.Catalog, hcl.Diagnostics){
	"console-guide": func(p *hclparse.Parser) (*templates.Catalog, hcl.Diagnostics) {
		return templates.Load(templates.BuiltinFS(), p)
	},
}

// LoadCatalog loads a catalog by name.
func LoadCatalog(name string, p *hclparse.Parser) (*templates.Catalog, hcl.Diagnostics) {
	load, ok := Catalogs[name]
	if !ok {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unknown catalog",
			Detail: fmt.Sprintf("This build of lakerunner-iam has no role catalog %q; --catalog takes one of: %s.",
				name, strings.Join(slices.Sorted(maps.Keys(Catalogs)), ", ")),
		}}
	}
	return load(p)
}
