package schema

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckSourceAcceptsRealSources: every spec, template and generated
// Terraform file of the repository is far within the bounds.
func TestCheckSourceAcceptsRealSources(t *testing.T) {
	n := 0
	for _, root := range []string{"../examples", "../testdata/specs", "../templates", "../testdata/golden"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			json := strings.HasSuffix(p, ".json")
			if !json && !strings.HasSuffix(p, ".hcl") && !strings.HasSuffix(p, ".tf") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			n++
			if d := CheckSource(p, src, json, MaxSpecBytes); d.HasErrors() {
				t.Errorf("%s: %s", p, d.Error())
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 50 {
		t.Fatalf("checked only %d files", n)
	}
}

// TestCheckSourceRefuses: each of these once overflowed the parser's or
// the evaluator's stack, or took seconds and gigabytes, at 100,000 levels;
// each is refused at once, at the place it goes too deep.
func TestCheckSourceRefuses(t *testing.T) {
	const n = 100000
	attr := func(expr string) string { return "environment \"p\" {\n  x = " + expr + "\n}\n" }
	for _, c := range []struct {
		name, src, summary string
		json               bool
	}{
		{"brackets", attr(strings.Repeat("[", n) + strings.Repeat("]", n)), "Nesting too deep", false},
		{"parentheses", attr(strings.Repeat("(", n) + "1" + strings.Repeat(")", n)), "Nesting too deep", false},
		{"objects", attr(strings.Repeat("{a = ", n) + "1" + strings.Repeat("}", n)), "Nesting too deep", false},
		{"blocks", strings.Repeat("a {\n", n) + strings.Repeat("}\n", n), "Nesting too deep", false},
		{"not", attr(strings.Repeat("!", n) + "true"), "Nesting too deep", false},
		{"minus", attr(strings.Repeat("-", n) + "1"), "Nesting too deep", false},
		{"sum over lines", attr("(" + strings.Repeat("1 +\n", n) + "1)"), "Nesting too deep", false},
		{"conditionals", attr(strings.Repeat("true ? 1 : ", n) + "1"), "Nesting too deep", false},
		{"index chain", attr("a" + strings.Repeat("[b]", n)), "Nesting too deep", false},
		{"interpolations", attr(strings.Repeat(`"${`, n) + `"x"` + strings.Repeat(`}"`, n)), "Nesting too deep", false},
		{"directives", attr(`"` + strings.Repeat("%{if true}", n) + strings.Repeat("%{endif}", n) + `"`), "Nesting too deep", false},
		{"json arrays", `{"a": ` + strings.Repeat("[", n) + strings.Repeat("]", n) + "}", "Nesting too deep", true},
		{"json template", `{"a": "` + strings.Repeat("${(", 100) + "1" + strings.Repeat(")}", 100) + `"}`, "Nesting too deep", true},
		{"long string", attr(`"` + strings.Repeat("a", MaxValueBytes+1) + `"`), "Value too long", false},
		{"long heredoc", attr("<<EOT\n" + strings.Repeat("abcdefgh\n", MaxValueBytes/9+1) + "EOT"), "Value too long", false},
		{"long name", attr(strings.Repeat("a", MaxValueBytes+1)), "Value too long", false},
		{"long number", attr(strings.Repeat("1", MaxValueBytes+1)), "Value too long", false},
		{"long json string", `{"a": "` + strings.Repeat("a", MaxValueBytes+1) + `"}`, "Value too long", true},
		{"too large", strings.Repeat("# comment\n", MaxSpecBytes/10+1), "File too large", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := CheckSource("spec.hcl", []byte(c.src), c.json, MaxSpecBytes)
			if len(d) != 1 || d[0].Summary != c.summary {
				t.Fatalf("got %v, want one %q", d, c.summary)
			}
			if d[0].Subject == nil || d[0].Subject.Start.Line < 1 {
				t.Errorf("no position: %v", d[0].Subject)
			}
		})
	}
}

// TestCheckSourceAllows: nesting and lengths a spec or template really
// has.
func TestCheckSourceAllows(t *testing.T) {
	for _, src := range []string{
		"x = " + strings.Repeat("[", MaxNesting-2) + strings.Repeat("]", MaxNesting-2) + "\n",
		"x = a && b || !c ? [for v in d : \"${v}-${e}\"] : []\n",
		"x = [\n" + strings.Repeat("  1 + 2,\n", 10000) + "]\n",
		"x = \"" + strings.Repeat("a", MaxValueBytes-2) + "\"\n",
		"x = \"%{if a}b%{else}c%{endif}%{for v in d}${v}%{endfor}\"\n",
	} {
		if d := CheckSource("spec.hcl", []byte(src), false, MaxSpecBytes); d.HasErrors() {
			t.Errorf("%.60q…: %s", src, d.Error())
		}
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Repeat("a", size)), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ok := write("ok.hcl", 100)
	big := write("big.hcl", 101)
	zero := filepath.Join(dir, "zero.hcl")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Skip(err)
	}
	if b, err := ReadFile(ok, 100); err != nil || len(b) != 100 {
		t.Errorf("regular file: %d bytes, %v", len(b), err)
	}
	for _, c := range []struct{ path, want string }{
		{big, "larger than 100 bytes"},
		{zero, "is a device, not a regular file"},
		{dir, "is a directory"},
		{filepath.Join(dir, "missing.hcl"), "no such file"},
	} {
		if _, err := ReadFile(c.path, 100); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.path, err, c.want)
		}
	}
	if _, err := ReadFS(os.DirFS(dir), "zero.hcl", 100); err == nil || !strings.Contains(err.Error(), "is a device") {
		t.Errorf("ReadFS of a device: %v", err)
	}
}
