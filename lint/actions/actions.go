// Package actions knows which IAM action names exist for the AWS services
// that lakerunner-iam's role catalog uses, so a policy linter can flag
// actions that IAM would silently ignore (for example "s3:GetObjects").
//
// The list is embedded from actions.txt, which is generated from the AWS
// Service Authorization Reference (see gen/gen_actions.py and the comment
// lines in actions.txt for the source and date of each service's list).
// Only services in Services() are covered: callers should judge an action
// only when Covered reports true for its service prefix.
//
// IAM matches action names case-insensitively, and so does this package;
// results are returned in the Service Authorization Reference's spelling.
package actions

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/cardinalhq/lakerunner-iam/policy"
)

//go:embed actions.txt
var actionsTxt string

type entry struct {
	canonical string // "s3:GetObject"
	lower     string // "s3:getobject"
}

var (
	loadOnce sync.Once
	all      []entry           // in file order (sorted)
	byLower  map[string]string // lower-case "service:action" -> canonical
	services []string          // sorted service prefixes (lower case)
	covered  map[string]bool
)

func load() {
	loadOnce.Do(func() {
		var err error
		all, err = parse(actionsTxt)
		if err != nil {
			panic("lint/actions: embedded actions.txt: " + err.Error())
		}
		byLower = make(map[string]string, len(all))
		covered = map[string]bool{}
		for _, e := range all {
			byLower[e.lower] = e.canonical
			svc := e.lower[:strings.IndexByte(e.lower, ':')]
			if !covered[svc] {
				covered[svc] = true
				services = append(services, svc)
			}
		}
		sort.Strings(services)
	})
}

// parse reads the actions.txt format: one "service:Action" per line, blank
// lines and lines starting with '#' ignored.
func parse(text string) ([]entry, error) {
	var out []entry
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		svc, act, ok := strings.Cut(line, ":")
		if !ok || svc == "" || act == "" || strings.ContainsAny(line, "*? \t") || strings.Contains(act, ":") {
			return nil, fmt.Errorf("line %d: malformed action %q", i+1, line)
		}
		out = append(out, entry{canonical: line, lower: strings.ToLower(line)})
	}
	return out, nil
}

// Known reports whether action ("service:Action") is a real IAM action of a
// covered service. The comparison is case-insensitive, as in IAM. An action
// containing the IAM wildcards '*' or '?' is known when it matches at least
// one action (see Match). Actions of services that are not covered are never
// known; check Covered first to tell "unknown" from "not judged".
func Known(action string) bool {
	load()
	if strings.ContainsAny(action, "*?") {
		return len(Match(action)) > 0
	}
	_, ok := byLower[strings.ToLower(action)]
	return ok
}

// Canonical returns the action in the Service Authorization Reference's
// spelling (e.g. "s3:getobject" -> "s3:GetObject") and whether it is known.
func Canonical(action string) (string, bool) {
	load()
	c, ok := byLower[strings.ToLower(action)]
	return c, ok
}

// Services returns the covered service prefixes, sorted.
func Services() []string {
	load()
	return append([]string(nil), services...)
}

// Covered reports whether there is an action list for the service prefix
// (case-insensitive), i.e. whether Known can be trusted to judge its actions.
func Covered(service string) bool {
	load()
	return covered[strings.ToLower(service)]
}

// Actions returns all known actions of a covered service, sorted, or nil.
func Actions(service string) []string {
	return Match(strings.ToLower(service) + ":*")
}

// Match expands an IAM action pattern ("service:Pattern", where '*' matches
// any run of characters and '?' any single character, case-insensitively)
// against the known actions and returns the matches in canonical spelling,
// sorted. A pattern without a service prefix (such as "*") is matched against
// the whole "service:Action" string. Returns nil when nothing matches.
func Match(pattern string) []string {
	load()
	var out []string
	for _, e := range all {
		if policy.MatchAction(pattern, e.lower) {
			out = append(out, e.canonical)
		}
	}
	sort.Strings(out)
	return out
}
