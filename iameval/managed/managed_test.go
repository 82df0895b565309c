package managed

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
)

// TestEveryKnownPolicyParses: each shipped file parses, and every file
// shipped is listed with its version (none is dead weight).
func TestEveryKnownPolicyParses(t *testing.T) {
	var listed []string
	for key, version := range known {
		p, ok := Lookup("arn:aws:iam::aws:policy/" + key)
		if !ok || p.Version != version || len(p.Document.Statements) == 0 || p.Path+p.Name != key {
			t.Errorf("%s: %+v, %v", key, p, ok)
		}
		listed = append(listed, "json/"+p.Name+".json")
	}
	shipped, err := fs.Glob(files, "json/*.json")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(listed)
	if !slices.Equal(listed, shipped) {
		t.Errorf("shipped %v, listed %v", shipped, listed)
	}
}

func TestLookup(t *testing.T) {
	p, ok := Lookup("arn:aws-cn:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")
	if !ok || p.Version != "v10" {
		t.Fatalf("%+v %v", p, ok)
	}
	// The one scoped statement's ARNs follow the partition.
	last := p.Document.Statements[len(p.Document.Statements)-1]
	if len(last.Resources) == 0 || !strings.HasPrefix(last.Resources[0], "arn:aws-cn:ecs:") {
		t.Errorf("resources %v", last.Resources)
	}
	// Its TagResource grant keeps its condition.
	if c := p.Document.Statements[1].Conditions; len(c) != 1 || c[0].Variable != "ecs:CreateAction" {
		t.Errorf("conditions %+v", c)
	}
	for _, arn := range []string{
		"arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy", // wrong path
		"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
		"arn:aws:iam::123456789012:policy/service-role/AmazonECSTaskExecutionRolePolicy",
		"AmazonECSTaskExecutionRolePolicy",
		"",
	} {
		if _, ok := Lookup(arn); ok {
			t.Errorf("Lookup(%q) is known", arn)
		}
	}
}
