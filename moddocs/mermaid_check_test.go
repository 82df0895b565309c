package moddocs

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// CheckMermaid is checkMermaid for the external tests.
var CheckMermaid = checkMermaid

// Lines of the flowcharts this package writes. The grammar is narrower
// than Mermaid's on purpose: what it accepts, Mermaid parses.
var (
	mmHeader   = regexp.MustCompile(`^flowchart (LR|RL|TB|BT|TD)$`)
	mmSubgraph = regexp.MustCompile(`^  subgraph (\S+) \[([A-Za-z ]+)\]$`)
	mmNode     = regexp.MustCompile(`^    (\S+?)(\[\[|\(\[|\[\(|\[/|\[)"([^"\n]*)"(\]\]|\]\)|\)\]|/\]|\])$`)
	mmEdge     = regexp.MustCompile(`^  (\S+) (-->|-\.->|--x)\|"([^"\n]*)"\| (\S+)$`)
	mmID       = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	mmShapes   = map[string]string{"[[": "]]", "([": "])", "[(": ")]", "[/": "/]", "[": "]"}
	// Words Mermaid's flowchart lexer treats as keywords where an ID
	// may stand.
	mmKeywords = map[string]bool{
		"end": true, "subgraph": true, "graph": true, "flowchart": true, "style": true,
		"classdef": true, "class": true, "click": true, "linkstyle": true, "direction": true,
		"default": true, "call": true, "href": true, "interpolate": true, "accdescr": true, "acctitle": true,
	}
)

// checkMermaid checks a flowchart structurally: one statement per line,
// IDs Mermaid accepts, every node declared once inside a closed subgraph,
// every edge between declared nodes, labels quoted without quotes inside.
func checkMermaid(src string) error {
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if len(lines) == 0 || !mmHeader.MatchString(lines[0]) {
		return fmt.Errorf("line 1: %q is not a flowchart header", lines[0])
	}
	declared := map[string]bool{}
	groups := map[string]bool{}
	checkID := func(n int, id string) error {
		switch {
		case !mmID.MatchString(id):
			return fmt.Errorf("line %d: ID %q has characters Mermaid rejects", n, id)
		case mmKeywords[strings.ToLower(id)]:
			return fmt.Errorf("line %d: ID %q is a Mermaid keyword", n, id)
		case id[0] == 'o' || id[0] == 'x':
			return fmt.Errorf("line %d: ID %q starts like a circle or cross edge", n, id)
		}
		return nil
	}
	var open string // the subgraph being declared
	var edges [][2]string
	for i, l := range lines[1:] {
		n := i + 2
		switch {
		case l == "  end":
			if open == "" {
				return fmt.Errorf("line %d: end without subgraph", n)
			}
			open = ""
		case mmSubgraph.MatchString(l):
			if open != "" {
				return fmt.Errorf("line %d: subgraph inside subgraph %s", n, open)
			}
			id := mmSubgraph.FindStringSubmatch(l)[1]
			if err := checkID(n, id); err != nil {
				return err
			}
			if groups[id] || declared[id] {
				return fmt.Errorf("line %d: ID %q declared twice", n, id)
			}
			groups[id], open = true, id
		case mmNode.MatchString(l):
			m := mmNode.FindStringSubmatch(l)
			if open == "" {
				return fmt.Errorf("line %d: node %s outside a subgraph", n, m[1])
			}
			if err := checkID(n, m[1]); err != nil {
				return err
			}
			if mmShapes[m[2]] != m[4] {
				return fmt.Errorf("line %d: shape %s closed by %s", n, m[2], m[4])
			}
			if declared[m[1]] || groups[m[1]] {
				return fmt.Errorf("line %d: ID %q declared twice", n, m[1])
			}
			declared[m[1]] = true
		case mmEdge.MatchString(l):
			if open != "" {
				return fmt.Errorf("line %d: edge inside subgraph %s", n, open)
			}
			m := mmEdge.FindStringSubmatch(l)
			edges = append(edges, [2]string{m[1], m[4]})
		default:
			return fmt.Errorf("line %d: %q is no statement of this package's flowcharts", n, l)
		}
	}
	if open != "" {
		return fmt.Errorf("subgraph %s is not closed", open)
	}
	for _, e := range edges {
		for _, id := range e {
			if !declared[id] {
				return fmt.Errorf("edge %s → %s: node %q is not declared", e[0], e[1], id)
			}
		}
	}
	return nil
}

// TestFlowchartHostileNames builds a flowchart from names that would break
// Mermaid if they reached IDs or labels unchanged.
func TestFlowchartHostileNames(t *testing.T) {
	f := newFlowchart("LR")
	g := f.group("end", "Principals")
	h := f.group("roles", "IAM roles")
	names := []string{
		"end", "subgraph", "o-ring", "x-ray", "a\"b", "a;b", "<script>", "--> x", "a|b", "a b", "a_b", "a-b",
		"ünïcode", "*", "", "arn:aws:iam::123456789012:role/a.b@c", "click", "style",
	}
	var nodes []*fcNode
	for i, name := range names {
		grp := g
		if i%2 == 1 {
			grp = h
		}
		nodes = append(nodes, f.node(grp, "p", name, name, shapeStadium))
	}
	for i := 1; i < len(nodes); i++ {
		f.edge(nodes[i-1], nodes[i], arrowSolid, names[i])
		f.edge(nodes[i-1], nodes[i], arrowSolid, "second \"label\"")
	}
	var b strings.Builder
	f.write(&b)
	out := b.String()
	if err := checkMermaid(out); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	ids := map[string]bool{}
	for _, n := range nodes {
		if ids[n.id] {
			t.Errorf("ID %s used twice", n.id)
		}
		ids[n.id] = true
	}
	if again := f.node(g, "p", "end", "end", shapeStadium); again != nodes[0] {
		t.Error("a node's key must find the same node")
	}
}

// TestCheckMermaidRejects makes sure the checker is not vacuous.
func TestCheckMermaidRejects(t *testing.T) {
	good := "flowchart LR\n  subgraph g_a [A]\n    n_a[\"a\"]\n    n_b([\"b\"])\n  end\n  n_a -->|\"x\"| n_b\n"
	if err := checkMermaid(good); err != nil {
		t.Fatalf("good flowchart rejected: %v", err)
	}
	for name, bad := range map[string]string{
		"undeclared node":   strings.Replace(good, "| n_b\n", "| n_c\n", 1),
		"keyword ID":        strings.ReplaceAll(good, "n_b", "end"),
		"dash in ID":        strings.ReplaceAll(good, "n_b", "n-b"),
		"o-prefixed ID":     strings.ReplaceAll(good, "n_b", "ob"),
		"quote in label":    strings.Replace(good, `"b"`, `"b"c"`, 1),
		"mismatched shape":  strings.Replace(good, `(["b"])`, `(["b"]]`, 1),
		"unclosed subgraph": strings.Replace(good, "  end\n", "", 1),
		"node twice":        strings.Replace(good, "    n_b", "    n_a[\"a\"]\n    n_b", 1),
		"no header":         strings.Replace(good, "flowchart LR", "graph", 1),
	} {
		if err := checkMermaid(bad); err == nil {
			t.Errorf("%s: accepted:\n%s", name, bad)
		}
	}
}
