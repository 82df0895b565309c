package kecs

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/policy"
)

// Rule is one RBAC policy rule of a Kubernetes Role.
type Rule struct {
	APIGroups []string
	Resources []string
	Verbs     []string
}

// Analysis is what a role's IAM policies come to in Kubernetes RBAC, with
// everything the mapping could not carry over.
type Analysis struct {
	// Rules are the Role's rules: merged, minimal and sorted.
	Rules []Rule
	// Grants are the table rows the role's policies allow and no Deny
	// takes away, in table order.
	Grants []Mapping
	// Unmapped are the allowed actions and patterns that match no table
	// row, sorted; each is granted nothing in Kubernetes.
	Unmapped []Finding
	// Denied are table actions an Allow grants and a Deny takes away.
	Denied []Finding
	// Expansions are the wildcards and NotAction statements that allowed
	// table actions, sorted.
	Expansions []Expansion
	// UnknownPolicies are attached managed policies whose content the
	// mapping does not know, so none of their actions is granted.
	UnknownPolicies []string
	// PermissionsBoundary is the role's boundary, which the mapping
	// cannot apply: its content is not known here.
	PermissionsBoundary string
}

// Finding is an IAM action or pattern, as written, and where it is.
type Finding struct {
	Action  string
	Sources []string // policy and statement, sorted
}

// Expansion is a pattern that stands for several actions, the table
// actions it matched, and where it is.
type Expansion struct {
	Pattern string
	Actions []string // table actions, in table order
	Sources []string
}

// statement is a policy statement and the policy it is in.
type statement struct {
	policy.Statement
	Policy string // e.g. "inline policy lakerunner-data-access"
}

func (s statement) where() string {
	if s.Sid != "" {
		return fmt.Sprintf("%s, statement %s", s.Policy, s.Sid)
	}
	return s.Policy
}

// Analyze maps the effective permissions of a role to RBAC: its inline
// policy and the managed policies whose content is known.
func Analyze(r *generator.Role) Analysis {
	var stmts []statement
	var unknown []string
	if r.Permissions != nil {
		for _, st := range r.Permissions.Statements {
			stmts = append(stmts, statement{st, fmt.Sprintf("inline policy %s", r.PolicyName)})
		}
	}
	for _, mp := range r.ManagedPolicies {
		doc, ok := ManagedPolicy(mp.ARN)
		if !ok {
			unknown = append(unknown, mp.ARN)
			continue
		}
		for _, st := range doc.Statements {
			stmts = append(stmts, statement{st, fmt.Sprintf("managed policy %s", mp.Key)})
		}
	}
	a := analyze(stmts)
	a.UnknownPolicies = unknown
	a.PermissionsBoundary = r.PermissionsBoundary
	return a
}

// analyze applies IAM's evaluation to the table's actions: an action is
// granted when an Allow statement allows it and no Deny statement denies
// it. Statements are taken as applying to every resource under every
// condition, because RBAC rules on a resource type cannot be narrower.
// For an Allow that over-grants within the namespace, as the guide's
// coarse mapping does anyway; for a Deny that is the safe side: a Deny
// that IAM applies only to some resources or under a condition removes
// the action from Kubernetes entirely rather than granting it.
func analyze(stmts []statement) Analysis {
	var a Analysis
	allowed := make([]bool, len(Table)) // by some Allow statement
	deny := make([]bool, len(Table))    // by some Deny statement
	unmapped := findings{}
	denied := findings{}
	expansions := map[string]*expansion{}
	expand := func(pattern, where string, row int) {
		x := expansions[pattern]
		if x == nil {
			x = &expansion{rows: map[int]bool{}, sources: map[string]bool{}}
			expansions[pattern] = x
		}
		x.rows[row] = true
		x.sources[where] = true
	}

	for _, s := range stmts {
		if s.Effect == "Deny" {
			continue
		}
		for _, pattern := range s.Actions {
			matched := false
			for i, m := range Table {
				if policy.MatchAction(pattern, m.Action) {
					matched, allowed[i] = true, true
					if policy.HasWildcard(pattern) {
						expand(pattern, s.where(), i)
					}
				}
			}
			if !matched {
				unmapped.add(pattern, s.where())
			}
		}
		if len(s.NotActions) > 0 {
			// Allow with NotAction allows every action but the listed
			// ones: the table's others here, all the rest unmapped.
			label := notActionLabel(s.NotActions)
			for i, m := range Table {
				if !matchesAnyAction(s.NotActions, m.Action) {
					allowed[i] = true
					expand(label, s.where(), i)
				}
			}
			unmapped.add(label, s.where())
		}
	}
	// An explicit Deny wins over every Allow. RBAC has no deny, so a
	// denied action is taken out before mapping: the rules lose what only
	// that action gave, not what other allowed actions map to as well.
	for _, s := range stmts {
		if s.Effect != "Deny" {
			continue
		}
		for i, m := range Table {
			if !allowed[i] {
				continue
			}
			if (len(s.Actions) > 0 && matchesAnyAction(s.Actions, m.Action)) || (len(s.NotActions) > 0 && !matchesAnyAction(s.NotActions, m.Action)) {
				deny[i] = true
				denied.add(m.Action, s.where())
			}
		}
	}

	for i, m := range Table {
		if allowed[i] && !deny[i] {
			a.Grants = append(a.Grants, m)
		}
	}
	a.Rules = rules(a.Grants)
	a.Unmapped = unmapped.sorted()
	a.Denied = denied.sorted()
	for _, pattern := range slices.Sorted(maps.Keys(expansions)) {
		x := expansions[pattern]
		e := Expansion{Pattern: pattern, Sources: slices.Sorted(maps.Keys(x.sources))}
		for i, m := range Table {
			if x.rows[i] {
				e.Actions = append(e.Actions, m.Action)
			}
		}
		a.Expansions = append(a.Expansions, e)
	}
	return a
}

type expansion struct {
	rows    map[int]bool
	sources map[string]bool
}

// notActionLabel names an Allow statement's NotAction in reports.
func notActionLabel(notActions []string) string {
	return "NotAction " + strings.Join(notActions, ", ")
}

// findings collects actions and their sources without duplicates.
type findings map[string]map[string]bool

func (f findings) add(action, where string) {
	if f[action] == nil {
		f[action] = map[string]bool{}
	}
	f[action][where] = true
}

// sorted lists the findings by action, case-insensitively as IAM compares
// actions, then exactly.
func (f findings) sorted() []Finding {
	out := make([]Finding, 0, len(f))
	for action, srcs := range f {
		out = append(out, Finding{Action: action, Sources: slices.Sorted(maps.Keys(srcs))})
	}
	sort.Slice(out, func(i, j int) bool {
		li, lj := strings.ToLower(out[i].Action), strings.ToLower(out[j].Action)
		if li != lj {
			return li < lj
		}
		return out[i].Action < out[j].Action
	})
	return out
}

// rules turns granted table rows into RBAC rules: rows with the same API
// group and set of resources merge into one rule with the union of their
// verbs, then rules whose every permission other rules give already are
// dropped. Lists are sorted, and rules by API group, then resources.
func rules(grants []Mapping) []Rule {
	type key struct{ group, resources string }
	verbs := map[key]map[string]bool{}
	res := map[key][]string{}
	for _, g := range grants {
		rs := slices.Compact(slices.Sorted(slices.Values(g.Resources)))
		k := key{g.APIGroup, strings.Join(rs, ",")}
		if verbs[k] == nil {
			verbs[k] = map[string]bool{}
			res[k] = rs
		}
		for _, v := range g.Verbs {
			verbs[k][v] = true
		}
	}
	var out []Rule
	for k, vs := range verbs {
		out = append(out, Rule{APIGroups: []string{k.group}, Resources: res[k], Verbs: slices.Sorted(maps.Keys(vs))})
	}
	out = dropCovered(out)
	sort.Slice(out, func(i, j int) bool {
		if out[i].APIGroups[0] != out[j].APIGroups[0] {
			return out[i].APIGroups[0] < out[j].APIGroups[0]
		}
		return strings.Join(out[i].Resources, ",") < strings.Join(out[j].Resources, ",")
	})
	return out
}

// dropCovered removes rules whose every (group, resource, verb) the other
// remaining rules grant, smallest rules first. Each removal keeps the
// union of permissions as it was, so the result grants exactly the same.
func dropCovered(rs []Rule) []Rule {
	size := func(r Rule) int { return len(r.APIGroups) * len(r.Resources) * len(r.Verbs) }
	sort.Slice(rs, func(i, j int) bool {
		if size(rs[i]) != size(rs[j]) {
			return size(rs[i]) < size(rs[j])
		}
		return fmt.Sprint(rs[i]) < fmt.Sprint(rs[j])
	})
	kept := append([]Rule(nil), rs...)
	for i := 0; i < len(kept); {
		others := append(append([]Rule(nil), kept[:i]...), kept[i+1:]...)
		if covered(kept[i], others) {
			kept = others
			continue
		}
		i++
	}
	return kept
}

func covered(r Rule, by []Rule) bool {
	for _, g := range r.APIGroups {
		for _, res := range r.Resources {
			for _, v := range r.Verbs {
				if !grants(by, g, res, v) {
					return false
				}
			}
		}
	}
	return true
}

func grants(rs []Rule, group, resource, verb string) bool {
	for _, r := range rs {
		if slices.Contains(r.APIGroups, group) && slices.Contains(r.Resources, resource) && slices.Contains(r.Verbs, verb) {
			return true
		}
	}
	return false
}

// matchesAnyAction reports whether an action matches one of the patterns.
func matchesAnyAction(patterns []string, action string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool { return policy.MatchAction(p, action) })
}
