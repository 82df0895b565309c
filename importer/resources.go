package importer

import (
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/schema"
)

// A team that made the roles by hand scoped them to its own buckets,
// queues, secrets and cluster. Written as statement blocks, every scoped
// statement would be replaced; written as the resources block, the
// catalog's statements stay. inferResources finds that block: it tries
// the names the account's policies use, attribute by attribute, and keeps
// a value when fewer statements then differ from the catalog.

// resourceAttr is an attribute of the spec's resources block.
type resourceAttr struct {
	name string
	list bool
}

// resourceAttrs are the resources block's attributes, from the schema, so
// that a catalog's own (e.g. the tiers' license secrets) take part.
func resourceAttrs() []resourceAttr {
	var out []resourceAttr
	t := reflect.TypeFor[schema.Resources]()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("hcl"), ",")
		switch {
		case name == "":
		case f.Type == reflect.TypeFor[[]string]():
			out = append(out, resourceAttr{name, true})
		case f.Type.Kind() == reflect.String:
			out = append(out, resourceAttr{name, false})
		}
	}
	return out
}

// resourceNames are the names of buckets, queues, secrets and clusters
// that the roles' inline policies name (in resources and condition
// values), grouped by service, in the order they first appear.
func resourceNames(roles map[string]*Role) [][]string {
	byService := map[string][]string{}
	var services []string
	add := func(arn string) {
		svc, n := resourceName(arn)
		if n == "" || slices.Contains(byService[svc], n) {
			return
		}
		if byService[svc] == nil {
			services = append(services, svc)
		}
		byService[svc] = append(byService[svc], n)
	}
	for _, kind := range slices.Sorted(maps.Keys(roles)) {
		for _, p := range roles[kind].Inline {
			stmts, err := parseStatements(p.Document)
			if err != nil {
				continue
			}
			for _, s := range stmts {
				for _, arn := range strs(s["Resource"]) {
					add(arn)
				}
				conds, _ := s["Condition"].(map[string]any)
				for _, keys := range conds {
					m, _ := keys.(map[string]any)
					for _, v := range m {
						for _, arn := range strs(v) {
							add(arn)
						}
					}
				}
			}
		}
	}
	var out [][]string
	for _, svc := range services {
		out = append(out, byService[svc])
	}
	return out
}

// resourceName is the name in an ARN of a kind the resources block names
// by name: an S3 bucket, an SQS queue, a secret (without the random
// suffix) or an ECS cluster; "" for others.
func resourceName(arn string) (service, name string) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return "", ""
	}
	res := parts[5]
	switch parts[2] {
	case "s3":
		name, _, _ = strings.Cut(res, "/")
	case "sqs":
		name = res
	case "secretsmanager":
		name = strings.TrimPrefix(res, "secret:")
		name = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "*"), "??????"), "-")
	case "ecs":
		if c, ok := strings.CutPrefix(res, "cluster/"); ok {
			name = c
		}
	}
	if strings.ContainsAny(name, "/:") {
		return "", ""
	}
	return parts[2], name
}

// inferResources chooses the resources block with the fewest differences
// from the catalog (cost), starting from the catalog's defaults.
func inferResources(base envSpec, cost func(envSpec) (int, bool), roles map[string]*Role) map[string]cty.Value {
	groups := resourceNames(roles)
	best, ok := cost(base)
	if !ok || len(groups) == 0 {
		return nil
	}
	chosen := map[string]cty.Value{}
	try := func(attr string, v cty.Value) bool {
		next := base
		next.Resources = maps.Clone(chosen)
		next.Resources[attr] = v
		if c, ok := cost(next); ok && c < best {
			best, chosen = c, next.Resources
			return true
		}
		return false
	}
	for _, attr := range resourceAttrs() {
		if !attr.list {
			for _, g := range groups {
				for _, n := range g {
					try(attr.name, cty.StringVal(n))
				}
			}
			continue
		}
		// A whole group (every bucket the roles name), else names added
		// one at a time while each makes fewer differences.
		var value []string
		for _, g := range groups {
			if len(g) > 1 && try(attr.name, strList(g)) {
				value = g
				break
			}
		}
		for grew := true; grew; {
			grew = false
			for _, g := range groups {
				for _, n := range g {
					if !slices.Contains(value, n) && try(attr.name, strList(append(slices.Clone(value), n))) {
						value, grew = append(slices.Clone(value), n), true
					}
				}
			}
		}
	}
	if len(chosen) == 0 {
		return nil
	}
	return chosen
}

// writeResources writes the resources block, in the schema's order.
func (e *envSpec) writeResources(b *hclwrite.Body) {
	if len(e.Resources) == 0 {
		return
	}
	b.AppendNewline()
	rb := b.AppendNewBlock("resources", nil).Body()
	for _, attr := range resourceAttrs() {
		if v, ok := e.Resources[attr.name]; ok {
			rb.SetAttributeValue(attr.name, v)
		}
	}
}
