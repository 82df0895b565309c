package generator

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// neededKinds decides which of the enabled role kinds an environment
// generates: a role that services run under (a template with
// default_services, or the execution role) only when a deployed service
// runs under it; any other role (a part the spec enables, such as the ECS
// instance role) whenever it is enabled; and every role such a role's
// template refers to through env.roles (the migration Lambda passes the
// migration task its roles). A deployment without the migration service
// then gets no migration role scoped to a secret it never named.
func neededKinds(env *schema.Environment, cat *templates.Catalog, enabled []*templates.Role) map[string]bool {
	need := map[string]bool{}
	defaultExec := ""
	for _, t := range enabled {
		if len(t.DefaultServices) == 0 && !t.ExecutionRole {
			need[t.Kind] = true
		}
		if t.ExecutionRole && defaultExec == "" {
			defaultExec = t.Kind
		}
	}
	for _, s := range env.Services {
		task, exec := taskKind(s, cat), s.ExecutionRole
		if exec == "" {
			exec = defaultExec
		}
		need[task], need[exec] = true, true
	}
	delete(need, "")

	// Follow references until nothing new is needed.
	for changed := true; changed; {
		changed = false
		for _, t := range enabled {
			if !need[t.Kind] {
				continue
			}
			for _, k := range referencedRoles(t, enabled) {
				if !need[k] {
					need[k], changed = true, true
				}
			}
		}
	}
	return need
}

// referencedRoles lists the role kinds a template's env-context
// expressions name as env.roles["<kind>"]; a reference to env.roles as a
// whole (e.g. a for expression over it) names every enabled kind.
func referencedRoles(t *templates.Role, enabled []*templates.Role) []string {
	attrs := []*hcl.Attribute{t.Name, t.Description, t.Enabled, t.Tags}
	for _, in := range t.Inputs {
		attrs = append(attrs, in.Value)
	}
	if t.Policy != nil {
		attrs = append(attrs, t.Policy.Name)
	}
	var kinds []string
	for _, a := range attrs {
		if a == nil {
			continue
		}
		for _, tr := range a.Expr.Variables() {
			if tr.RootName() != "env" || len(tr) < 2 {
				continue
			}
			if attr, ok := tr[1].(hcl.TraverseAttr); !ok || attr.Name != "roles" {
				continue
			}
			kind, ok := "", false
			if len(tr) > 2 {
				switch step := tr[2].(type) {
				case hcl.TraverseIndex:
					if step.Key.IsKnown() && step.Key.Type().Equals(cty.String) {
						kind, ok = step.Key.AsString(), true
					}
				case hcl.TraverseAttr:
					kind, ok = step.Name, true
				}
			}
			if !ok {
				for _, e := range enabled {
					kinds = append(kinds, e.Kind)
				}
				continue
			}
			kinds = append(kinds, kind)
		}
	}
	return kinds
}

// deployHint says how to make an environment generate a role that
// services run under.
func deployHint(t *templates.Role) string {
	if len(t.DefaultServices) > 0 {
		return fmt.Sprintf("Deploy a service that runs under it (a service block for %s), or remove the role block.", strings.Join(t.DefaultServices, ", "))
	}
	return "Deploy a service that runs under it, or remove the role block."
}
