package importer

import (
	"slices"
	"sort"
	"strings"

	"github.com/cardinalhq/lakerunner-iam/generator"
)

// match maps the catalog's roles (all: every optional role on) to the
// account's: by the name the catalog gives first, then the closest role
// of the same trust, by the actions its policies allow and its managed
// policies. Roles left over are returned as unmatched.
func match(all *generator.Environment, roles []*Role) (map[string]*Role, []*Role) {
	matched := map[string]*Role{}
	used := map[*Role]bool{}
	for _, r := range all.Roles {
		for _, a := range roles {
			if a.Name == r.Name && !used[a] {
				matched[r.Kind()], used[a] = a, true
			}
		}
	}
	type pair struct {
		kind  string
		role  *Role
		score float64
	}
	var pairs []pair
	for _, r := range all.Roles {
		if matched[r.Kind()] != nil {
			continue
		}
		for _, a := range roles {
			if used[a] {
				continue
			}
			if s := score(r, a); s > 0 {
				pairs = append(pairs, pair{r.Kind(), a, s})
			}
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].score > pairs[j].score })
	for _, p := range pairs {
		if matched[p.kind] == nil && !used[p.role] {
			matched[p.kind], used[p.role] = p.role, true
		}
	}
	var rest []*Role
	for _, a := range roles {
		if !used[a] {
			rest = append(rest, a)
		}
	}
	return matched, rest
}

// minScore is how alike a role must be to a catalog role to be taken for
// it: half its actions and managed policies in common.
const minScore = 0.5

// score says how alike a role is to a catalog role, 0 when it cannot be
// one: another trust (service principals, or AWS principals for a role
// other accounts assume).
func score(r *generator.Role, a *Role) float64 {
	trust, err := parseStatements(a.Trust)
	if err != nil {
		return 0
	}
	var want []string
	wantAWS := false
	for _, st := range r.Trust.Statements {
		for _, p := range st.Principals {
			switch p.Type {
			case "Service":
				want = append(want, p.Identifiers...)
			case "AWS":
				wantAWS = true
			}
		}
	}
	have := services(trust)
	for _, s := range want {
		if !slices.Contains(have, s) {
			return 0
		}
	}
	if len(want) == 0 && (!wantAWS || len(have) > 0 || len(awsPrincipals(trust)) == 0) {
		return 0
	}

	cat := map[string]bool{}
	if r.Permissions != nil {
		for _, st := range r.Permissions.Statements {
			for _, act := range st.Actions {
				cat[strings.ToLower(act)] = true
			}
		}
	}
	acts := map[string]bool{}
	for _, p := range a.Inline {
		if stmts, err := parseStatements(p.Document); err == nil {
			for act := range actions(stmts) {
				acts[act] = true
			}
		}
	}
	for _, mp := range r.ManagedPolicies {
		cat[mp.ARN] = true
	}
	for _, arn := range a.Attached {
		acts[arn] = true
	}
	common := 0
	for k := range acts {
		if cat[k] {
			common++
		}
	}
	union := len(cat) + len(acts) - common
	if union == 0 {
		return 0
	}
	if s := float64(common) / float64(union); s >= minScore {
		return s
	}
	return 0
}
