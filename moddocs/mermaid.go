package moddocs

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

// A flowchart is written from declared groups (subgraphs), nodes and
// edges; nothing of the spec reaches the diagram except as a quoted label.
// Node IDs are made of letters, digits and underscores, start with a
// letter and a kind prefix (so none is a Mermaid keyword such as "end",
// and none starts with the "o" or "x" of a circle or cross edge), and are
// unique.

// flowchart is a Mermaid flowchart under construction.
type flowchart struct {
	direction string
	groups    []*fcGroup
	edges     []*fcEdge
	byKey     map[string]*fcNode
	ids       map[string]bool
}

type fcGroup struct {
	id, title string
	nodes     []*fcNode
}

type fcNode struct {
	id, label string
	shape     nodeShape
}

// nodeShape is a node shape: its opening and closing brackets.
type nodeShape struct{ open, close string }

var (
	shapeBox      = nodeShape{"[", "]"}
	shapeStadium  = nodeShape{"([", "])"}
	shapeSubrtn   = nodeShape{"[[", "]]"}
	shapeCylinder = nodeShape{"[(", ")]"}
	shapeParallel = nodeShape{"[/", "/]"}
)

// Edge arrows.
const (
	arrowSolid  = "-->"
	arrowDotted = "-.->"
	arrowCross  = "--x"
)

type fcEdge struct {
	from, to *fcNode
	arrow    string
	labels   []string
}

func newFlowchart(direction string) *flowchart {
	return &flowchart{direction: direction, byKey: map[string]*fcNode{}, ids: map[string]bool{}}
}

// group adds a subgraph; title is fixed text of this package.
func (f *flowchart) group(id, title string) *fcGroup {
	g := &fcGroup{id: f.uniqueID("g", id), title: title}
	f.groups = append(f.groups, g)
	return g
}

// node returns the node of key in g, adding it with label on first use;
// its ID is made from prefix and label.
func (f *flowchart) node(g *fcGroup, prefix, key, label string, sh nodeShape) *fcNode {
	k := g.id + "\x00" + key
	if n := f.byKey[k]; n != nil {
		return n
	}
	n := &fcNode{id: f.uniqueID(prefix, label), label: label, shape: sh}
	f.byKey[k] = n
	g.nodes = append(g.nodes, n)
	return n
}

// edge adds an edge, or a label to the existing edge between the nodes.
func (f *flowchart) edge(from, to *fcNode, arrow, label string) {
	for _, e := range f.edges {
		if e.from == from && e.to == to && e.arrow == arrow {
			for _, l := range e.labels {
				if l == label {
					return
				}
			}
			e.labels = append(e.labels, label)
			return
		}
	}
	f.edges = append(f.edges, &fcEdge{from: from, to: to, arrow: arrow, labels: []string{label}})
}

var nonID = regexp.MustCompile(`[^A-Za-z0-9]+`)

// uniqueID is prefix_name with every other character an underscore,
// numbered when taken.
func (f *flowchart) uniqueID(prefix, name string) string {
	base := prefix + "_" + strings.Trim(nonID.ReplaceAllString(name, "_"), "_")
	id := base
	for i := 2; f.ids[id]; i++ {
		id = fmt.Sprintf("%s_%d", base, i)
	}
	f.ids[id] = true
	return id
}

// label quotes text for a node or edge label. Mermaid reads entity codes
// inside quoted labels: quotes and angle brackets are written as them.
func label(text string) string {
	return `"` + labelEscapes.Replace(text) + `"`
}

var labelEscapes = strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", ";", "#59;", "\n", " ", "\r", " ")

// write renders the flowchart as Mermaid source (without the fence); it
// ends with one newline (labels have none).
func (f *flowchart) write(b io.Writer) {
	fmt.Fprintf(b, "flowchart %s\n", f.direction)
	for _, g := range f.groups {
		if len(g.nodes) == 0 {
			continue
		}
		fmt.Fprintf(b, "  subgraph %s [%s]\n", g.id, g.title)
		for _, n := range g.nodes {
			fmt.Fprintf(b, "    %s%s%s%s\n", n.id, n.shape.open, label(n.label), n.shape.close)
		}
		io.WriteString(b, "  end\n")
	}
	for _, e := range f.edges {
		fmt.Fprintf(b, "  %s %s|%s| %s\n", e.from.id, e.arrow, label(strings.Join(e.labels, ", ")), e.to.id)
	}
}
