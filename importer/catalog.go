package importer

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// Catalog is a role catalog import recognises roles of.
type Catalog struct {
	Load func(*hclparse.Parser) (*templates.Catalog, hcl.Diagnostics)
	// Spec is the value of the spec's top-level catalog attribute that
	// selects the catalog; "" for the default one.
	Spec string
	// Features are the environment's switches of the catalog's optional
	// roles: attributes, or blocks such as the services of a tier.
	Features []Feature
}

// Catalogs are the catalogs import recognises, by the name --catalog
// takes. Import works over any templates.Catalog: a catalog joins by
// adding its entry here.
var Catalogs = map[string]Catalog{
	"console-guide": {
		Load: func(p *hclparse.Parser) (*templates.Catalog, hcl.Diagnostics) {
			return templates.Load(templates.BuiltinFS(), p)
		},
		Features: guideFeatures,
	},
	schema.CatalogTiers: {
		Load: func(p *hclparse.Parser) (*templates.Catalog, hcl.Diagnostics) {
			return templates.LoadBuiltin(schema.CatalogTiers, p)
		},
		Spec: schema.CatalogTiers,
		// One service of each tier generates the tier's task role (and
		// the shared execution role).
		Features: []Feature{
			{Block: "service", Labels: []string{"process-logs"}},
			{Block: "service", Labels: []string{"query-api"}},
			{Block: "service", Labels: []string{"sweeper"}},
			{Block: "service", Labels: []string{"otel-gateway"}},
			{Block: "service", Labels: []string{"migration"}},
			{Block: "service", Labels: []string{"maestro"}},
		},
	},
}

// LoadCatalog loads a catalog by name.
func LoadCatalog(name string, p *hclparse.Parser) (*templates.Catalog, Catalog, hcl.Diagnostics) {
	def, ok := Catalogs[name]
	if !ok {
		return nil, def, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unknown catalog",
			Detail: fmt.Sprintf("This build of lakerunner-iam has no role catalog %q; --catalog takes one of: %s.",
				name, strings.Join(slices.Sorted(maps.Keys(Catalogs)), ", ")),
		}}
	}
	cat, diags := def.Load(p)
	return cat, def, diags
}
