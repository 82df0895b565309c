package schema

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
)

// TestDiagnosticsSorted: Parse's diagnostics come by line and column, the
// same in every run (two bad version constraints were once checked by
// ranging over a map and swapped places in 1 run of 20).
func TestDiagnosticsSorted(t *testing.T) {
	src := []byte(`terraform {
  required_version     = "latest"
  aws_provider_version = "newest"
}
environment "a" {
  account_id = "1234"
  region     = "mars-1"
  tags       = { b = "x", B = "y" }
}`)
	var first []string
	for range 20 {
		_, diags := Parse(hclparse.NewParser(), "bad.hcl", src)
		var got []string
		for _, d := range diags {
			got = append(got, d.Subject.String()+" "+d.Summary)
		}
		if !slices.IsSortedFunc(diags, func(a, b *hcl.Diagnostic) int {
			return cmpPos(a.Subject.Start, b.Subject.Start)
		}) {
			t.Fatalf("not sorted:\n%s", strings.Join(got, "\n"))
		}
		if first == nil {
			first = got
		} else if !slices.Equal(first, got) {
			t.Fatalf("order changed between runs:\n%s\n---\n%s", strings.Join(first, "\n"), strings.Join(got, "\n"))
		}
	}
	if len(first) != 5 {
		t.Errorf("want 5 diagnostics, got:\n%s", strings.Join(first, "\n"))
	}
}

func cmpPos(a, b hcl.Pos) int {
	if a.Line != b.Line {
		return a.Line - b.Line
	}
	return a.Column - b.Column
}

// TestMissingArgument: a missing required argument is found from the
// schema, not from hcl's message, and reported at its block with a hint,
// in native syntax and in JSON alike.
func TestMissingArgument(t *testing.T) {
	for _, c := range []struct{ filename, src string }{
		{"spec.hcl", "environment \"prod\" {\n  account_id = \"123456789012\"\n}\n"},
		{"spec.hcl.json", "{\"environment\": {\"prod\": {\n  \"account_id\": \"123456789012\"\n}}}\n"},
	} {
		_, diags := Parse(hclparse.NewParser(), c.filename, []byte(c.src))
		if len(diags) != 1 {
			t.Fatalf("%s: want one diagnostic, got %v", c.filename, diags)
		}
		d := diags[0]
		if d.Summary != "Missing required argument" || !strings.Contains(d.Detail, `The argument "region" is required`) ||
			!strings.Contains(d.Detail, requiredHints["region"]) {
			t.Errorf("%s: %s: %s", c.filename, d.Summary, d.Detail)
		}
		if d.Subject == nil || d.Subject.Start.Line != 1 {
			t.Errorf("%s: want the environment block on line 1, got %v", c.filename, d.Subject)
		}
	}
}

// TestTypeHints: a value of the wrong type gets a hint from the Go type of
// its attribute.
func TestTypeHints(t *testing.T) {
	for _, c := range []struct{ attr, hint string }{
		{`adopt = "yes"`, "Write true or false"},
		{`service_linked_roles = "ecs.amazonaws.com"`, "Write a list of strings in brackets"},
		{`tags = ["a"]`, "Write a map of strings in braces"},
		{`region = ["us-east-1"]`, "Write a quoted string"},
		{`name_prefix = null`, "Give a value, or remove the argument"},
		{`region = null`, requiredHints["region"]},
	} {
		src := "environment \"a\" {\n  account_id = \"123456789012\"\n  region = \"us-east-1\"\n  " + c.attr + "\n}\n"
		if strings.HasPrefix(c.attr, "region") {
			src = "environment \"a\" {\n  account_id = \"123456789012\"\n  " + c.attr + "\n}\n"
		}
		_, diags := Parse(hclparse.NewParser(), "spec.hcl", []byte(src))
		if !diags.HasErrors() || !strings.Contains(diags.Error(), c.hint) {
			t.Errorf("%s: want %q in %v", c.attr, c.hint, diags)
		}
	}
}

func TestTupleAsList(t *testing.T) {
	strs := cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})
	if got := TupleAsList(strs); !got.Type().Equals(cty.List(cty.String)) || got.LengthInt() != 2 {
		t.Errorf("strings: %#v", got)
	}
	for _, v := range []cty.Value{
		cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.NumberIntVal(1)}),
		cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.NullVal(cty.String)}),
		cty.TupleVal([]cty.Value{cty.StringVal("a"), cty.UnknownVal(cty.String)}),
		cty.TupleVal([]cty.Value{cty.ListValEmpty(cty.String)}),
		cty.EmptyTupleVal,
		cty.StringVal("a"),
	} {
		if got := TupleAsList(v); !got.RawEquals(v) {
			t.Errorf("%#v changed to %#v", v, got)
		}
	}
}

// TestQuote: a long value is elided in messages.
func TestQuote(t *testing.T) {
	if got := Quote("lakerunner"); got != `"lakerunner"` {
		t.Errorf("short: %s", got)
	}
	long := strings.Repeat("a", 5<<20)
	if got := Quote(long); len(got) > 200 || !strings.Contains(got, "(5242880 characters)") {
		t.Errorf("long: %d bytes: %.100s", len(got), got)
	}
}
