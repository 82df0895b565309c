package generator

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/policy"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// SharedKind is the kind of the one role of an EKS environment with
// role_layout = "shared": the Lakerunner Helm chart runs every pod under
// one ServiceAccount, so one role holds what every workload role grants.
const SharedKind = "workload"

// sharedTemplate is the shared role's template: no trust of its own (the
// platform's) and an inline policy made only of the merged statements,
// which the root passes as extra_statements.
var sharedTemplate = &templates.Role{
	Kind:     SharedKind,
	Summary:  "The role of the Lakerunner Helm chart's single ServiceAccount on EKS: the union of the permissions of every workload role (task role) of the environment.",
	Workload: true,
	Trust:    &templates.Trust{},
	Policy:   &templates.Policy{},
}

// shareWorkloadRoles replaces the environment's workload roles by one
// shared role with the union of their permissions and points every
// service at it. Statements are merged in catalog order; duplicates
// (equal but for the Sid) are kept once, and a Sid another role already
// used gets its kind as a prefix, so Sids stay unique and say where they
// came from. Origins follow the statements, so lint still points at the
// template or spec statement.
// sharedRoleName is the name of an EKS environment's shared workload role.
func sharedRoleName(env *schema.Environment) string {
	return kecsRoleName(env, env.NamePrefix+"-"+SharedKind+"-role")
}

// sharesWorkloadRoles reports whether an environment runs every workload
// role as one shared role (EKS, role_layout = "shared").
func sharesWorkloadRoles(env *schema.Environment) bool {
	return env.EKS != nil && env.EKS.RoleLayout == schema.LayoutShared
}

func shareWorkloadRoles(e *Environment, mods *modules) hcl.Diagnostics {
	env := e.Spec
	var merged, rest []*Role
	for _, r := range e.Roles {
		if r.Template.Workload {
			merged = append(merged, r)
		} else {
			rest = append(rest, r)
		}
	}
	if len(merged) == 0 {
		return nil
	}
	mod, diags := mods.get(sharedTemplate, trustShape(env))
	r := &Role{
		Template:           sharedTemplate,
		Module:             mod,
		Env:                env,
		Name:               sharedRoleName(env),
		Path:               defaultPath,
		Description:        fmt.Sprintf("Allows the Lakerunner pods of ServiceAccount %s/%s to access AWS resources", env.EKS.Namespace, env.EKS.ServiceAccount),
		MaxSessionDuration: defaultMaxSessionDuration,
		Tags:               map[string]string{},
		PolicyName:         env.NamePrefix + "-" + SharedKind + "-access",
		ServiceAccounts:    []string{env.EKS.ServiceAccount},
		Merged:             merged,
	}
	if catalogTags(env, nil) {
		r.Tags["Environment"] = env.Name
	}
	for k, v := range env.Tags {
		r.Tags[k] = v
	}
	diags = append(diags, unsharedSettings(merged, r.Name)...)
	sids := map[string]bool{}
	var seen []policy.Statement
	for _, w := range merged {
		for _, mp := range w.ManagedPolicies {
			if i := slices.IndexFunc(r.ManagedPolicies, func(p ManagedPolicy) bool { return p.Key == mp.Key }); i < 0 {
				mp.Extra = true // the shared module has none of its own
				r.ManagedPolicies = append(r.ManagedPolicies, mp)
			} else if r.ManagedPolicies[i].ARN != mp.ARN {
				diags = append(diags, errorAt(w.specRange("managed_policy_arns"), "Managed policies clash in the shared role",
					fmt.Sprintf("Role %q attaches %s and another workload role %s under the same name %q; the shared role can attach only one. Rename one of the policies, or set role_layout = \"per-role\".", w.Kind(), mp.ARN, r.ManagedPolicies[i].ARN, mp.Key)))
			}
		}
		for _, p := range w.TrustedPrincipals {
			if !slices.Contains(r.TrustedPrincipals, p) {
				r.TrustedPrincipals = append(r.TrustedPrincipals, p)
			}
		}
		if w.Permissions == nil {
			continue
		}
		for i, st := range w.Permissions.Statements {
			anon := st
			anon.Sid = ""
			if slices.ContainsFunc(seen, func(s policy.Statement) bool { return string(policyJSON(s)) == string(policyJSON(anon)) }) {
				continue
			}
			seen = append(seen, anon)
			st.Sid = uniqueSid(st.Sid, w.Kind(), sids)
			r.ExtraStatements = append(r.ExtraStatements, st)
			r.PermissionOrigins = append(r.PermissionOrigins, w.PermissionOrigins[i])
		}
	}
	if len(r.ExtraStatements) > 0 {
		r.Permissions = &policy.Document{Statements: slices.Clone(r.ExtraStatements)}
	} else {
		r.PolicyName = ""
	}
	r.Expectations = sharedExpectations(merged)
	r.Trust, r.TrustOrigins = eksTrust(r, mod.Trust)
	e.Roles = append(rest, r)
	for _, s := range e.Services {
		s.TaskRole = r
	}
	return diags
}

func policyJSON(st policy.Statement) []byte {
	return policy.Document{Statements: []policy.Statement{st}}.JSON()
}

// uniqueSid keeps a statement's Sid if no earlier statement has it, else
// prefixes the role kind in PascalCase ("QueryTaskS3Access"), numbering
// it if even that is taken. An empty Sid stays empty.
func uniqueSid(sid, kind string, taken map[string]bool) string {
	if sid == "" {
		return ""
	}
	out := sid
	if taken[out] {
		out = pascal(kind) + sid
	}
	for n := 2; taken[out]; n++ {
		out = fmt.Sprintf("%s%s%d", pascal(kind), sid, n)
	}
	taken[out] = true
	return out
}

// pascal turns a role kind into Sid characters: "query-task" → "QueryTask".
func pascal(kind string) string {
	var b strings.Builder
	for _, part := range strings.Split(kind, "-") {
		if part != "" {
			r := []rune(part)
			b.WriteRune(unicode.ToUpper(r[0]))
			b.WriteString(string(r[1:]))
		}
	}
	return b.String()
}

// sharedExpectations are what the shared role must still satisfy: every
// merged role's "allow" expectations (the union keeps each grant), and
// each "deny" expectation that no other merged role must be allowed: the
// query role's read-only must-not is the data role's need, which sharing
// grants by design, while a must-not nobody needs (e.g. creating IAM
// users) still binds the shared role. Names become <kind>/<name>.
func sharedExpectations(merged []*Role) []Expectation {
	var out []Expectation
	for _, w := range merged {
		for _, x := range w.Expectations {
			if x.Effect == "deny" && neededByAnother(x, w, merged) {
				continue
			}
			x.Name = w.Kind() + "/" + x.Name
			out = append(out, x)
		}
	}
	return out
}

// neededByAnother reports whether a merged role other than w must be
// allowed one of the actions a deny expectation of w forbids.
func neededByAnother(deny Expectation, w *Role, merged []*Role) bool {
	for _, v := range merged {
		if v == w {
			continue
		}
		for _, y := range v.Expectations {
			if y.Effect != "allow" {
				continue
			}
			for _, a := range deny.Actions {
				if slices.ContainsFunc(y.Actions, func(b string) bool { return policy.MatchAction(b, a) }) {
					return true
				}
			}
		}
	}
	return false
}

// roleSettingsOfOneRole are role block attributes that describe one IAM
// role; in the shared layout a workload kind is no role of its own, so
// they would apply to nothing. Statements, managed policies, trusted
// principals, accepts and expectations do carry over into the union.
var roleSettingsOfOneRole = []string{
	"name", "path", "description", "permissions_boundary", "max_session_duration",
	"tags", "policy_name", "catalog_tags", "inline_policy", "instance_profile_tags", "force_detach_policies",
}

// unsharedSettings refuses, at each attribute, the role block settings of
// merged workload kinds that the shared role cannot honour.
func unsharedSettings(merged []*Role, shared string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, w := range merged {
		if w.Override == nil {
			continue
		}
		pos := w.Override.Pos()
		for _, attr := range roleSettingsOfOneRole {
			if pos.Has(attr) {
				diags = append(diags, errorAt(pos.Attr(attr), "Setting of a role the shared layout does not create",
					fmt.Sprintf("With role_layout = \"shared\", role %q is no IAM role of its own: its permissions are part of %s, so %s would apply to nothing. Remove it, or set role_layout = \"per-role\" to give each kind its own role.", w.Kind(), shared, attr)))
			}
		}
	}
	return diags
}
