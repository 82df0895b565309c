package diag

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// parse parses src as file name and returns the parser's files.
func parse(t *testing.T, name, src string) map[string]*hcl.File {
	t.Helper()
	p := hclparse.NewParser()
	if _, diags := p.ParseHCL([]byte(src), name); diags.HasErrors() {
		t.Fatal(diags)
	}
	return p.Files()
}

func rng(file string, line, col, endCol int) *hcl.Range {
	return &hcl.Range{Filename: file, Start: hcl.Pos{Line: line, Column: col}, End: hcl.Pos{Line: line, Column: endCol}}
}

func write(diags hcl.Diagnostics, opts Options) string {
	var b bytes.Buffer
	if err := Write(&b, diags, opts); err != nil {
		panic(err)
	}
	return b.String()
}

func TestWrite(t *testing.T) {
	const src = "environment \"production\" {\n\taccount_id = \"12345\"\n\ttags = { \"Équipe\" = \"données\", \"bad#key\" = \"x\" }\n}\n"
	files := parse(t, "spec.hcl", src)
	tests := []struct {
		name  string
		diags hcl.Diagnostics
		opts  Options
		want  string
	}{
		{
			name: "caret after tabs and non-ASCII text",
			diags: hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid tag key", Detail: "Use letters.",
				Subject: rng("spec.hcl", 3, 33, 42)}},
			opts: Options{Files: files},
			want: "Error: Invalid tag key\n\n" +
				"  on spec.hcl:3:33, in environment \"production\":\n" +
				"   3: \ttags = { \"Équipe\" = \"données\", \"bad#key\" = \"x\" }\n" +
				"      \t                               ^^^^^^^^^\n\n" +
				"Use letters.\n\n1 error.\n",
		},
		{
			name: "sorted by file, line and column; no subject first",
			diags: hcl.Diagnostics{
				{Severity: hcl.DiagError, Summary: "second", Subject: rng("spec.hcl", 2, 15, 22)},
				{Severity: hcl.DiagWarning, Summary: "first", Subject: rng("spec.hcl", 2, 2, 12)},
				{Severity: hcl.DiagError, Summary: "other file", Subject: rng("a.hcl", 9, 1, 2)},
				{Severity: hcl.DiagError, Summary: "global"},
			},
			want: "Error: global\n\n" +
				"Error: other file\n\n  on a.hcl:9:1:\n  (source code not available)\n\n" +
				"Warning: first\n\n  on spec.hcl:2:2:\n  (source code not available)\n\n" +
				"Error: second\n\n  on spec.hcl:2:15:\n  (source code not available)\n\n" +
				"3 errors.\n",
		},
		{
			name: "control characters escaped everywhere",
			diags: hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Bad \x1b[2Jvalue\r",
				Detail:  "Value \"a\rError: fake\" has \x1b]0;title\x07 in it.\nSecond line\u202e.",
				Subject: rng("x\ny.hcl", 1, 1, 2)}},
			want: "Error: Bad \\x1b[2Jvalue\\r\n\n" +
				"  on x\\ny.hcl:1:1:\n  (source code not available)\n\n" +
				"Value \"a\\rError: fake\" has \\x1b]0;title\\x07 in it.\nSecond line\\u202e.\n\n1 error.\n",
		},
		{
			name:  "colour",
			diags: hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "Careful", Subject: rng("spec.hcl", 2, 2, 12)}},
			opts:  Options{Files: files, Color: true},
			want: "\x1b[33;1mWarning:\x1b[0m \x1b[1mCareful\x1b[0m\n\n" +
				"  on spec.hcl:2:2, in environment \"production\":\n" +
				"   2: \taccount_id = \"12345\"\n" +
				"      \x1b[33m\t^^^^^^^^^^\x1b[0m\n\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := write(tt.diags, tt.opts); got != tt.want {
				t.Errorf("got:\n%q\nwant:\n%q", got, tt.want)
			}
		})
	}
}

// TestWriteSourceEscapedAndElided: a source line with control bytes and
// a 5 MB value prints as one short, escaped line whose caret still sits
// under the subject.
func TestWriteSourceEscapedAndElided(t *testing.T) {
	huge := strings.Repeat("b", 5<<20)
	src := "x = \"\x1b[31m\"\ny = \"" + huge + "\" # \x1b[31mend\n"
	files := map[string]*hcl.File{"s.hcl": {Bytes: []byte(src)}}
	subjCol := len("y = \"") + 1 + len(huge) + 4 // the '#'
	diags := hcl.Diagnostics{
		{Severity: hcl.DiagError, Summary: "esc", Subject: rng("s.hcl", 1, 6, 7)},
		{Severity: hcl.DiagError, Summary: "huge", Detail: "Bucket \"" + huge + "\" is too long.", Subject: rng("s.hcl", 2, subjCol, subjCol+1)},
	}
	got := write(diags, Options{Files: files})
	if len(got) > 3000 {
		t.Fatalf("output is %d bytes", len(got))
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("raw ESC in output:\n%q", got)
	}
	lines := strings.Split(got, "\n")
	var src2, caret2 string
	for i, l := range lines {
		if strings.HasPrefix(l, "   1: ") {
			if l != `   1: x = "\x1b[31m"` || lines[i+1] != "           ^^^^" {
				t.Errorf("line 1:\n%s\n%s", l, lines[i+1])
			}
		}
		if strings.HasPrefix(l, "   2: ") {
			src2, caret2 = l, lines[i+1]
		}
	}
	if !strings.HasPrefix(src2, "   2: …") || !strings.HasSuffix(src2, `" # \x1b[31mend`) {
		t.Errorf("line 2 not elided around the subject: %q", src2)
	}
	if at := strings.Index(caret2, "^"); at != strings.Index(src2, "#") {
		t.Errorf("caret at %d, '#' at %d:\n%s\n%s", at, strings.Index(src2, "#"), src2, caret2)
	}
	if !strings.Contains(got, "characters elided]") {
		t.Errorf("detail not elided")
	}
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"tab\there", `tab\there`},
		{"line\nbreak", `line\nbreak`},
		{"\x7f\x9b\xff", `\x7f\x9b\xff`}, // DEL, C1 CSI as a byte (invalid UTF-8), invalid byte
		{"\u009b2J", `\x9b2J`},           // C1 CSI as a character
		{"abc\u202edef\u2066", `abc\u202edef\u2066`},
		{"Équipe ü", "Équipe ü"},
		{strings.Repeat("x", 300), strings.Repeat("x", 300)},
		{strings.Repeat("x", 1000), strings.Repeat("x", 200) + "…[700 characters elided]…" + strings.Repeat("x", 100)},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Detail("a\n\tb\rc"); got != "a\n\tb\\rc" {
		t.Errorf("Detail = %q", got)
	}
}

func TestColorFor(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tests := []struct {
		name string
		w    any
		env  map[string]string
		want bool
	}{
		{"buffer", &bytes.Buffer{}, nil, false},
		{"regular file", f, nil, false},
		{"NO_COLOR", f, map[string]string{"NO_COLOR": "1"}, false},
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		tests = append(tests,
			struct {
				name string
				w    any
				env  map[string]string
				want bool
			}{"terminal", tty, nil, true},
			struct {
				name string
				w    any
				env  map[string]string
				want bool
			}{"terminal with NO_COLOR", tty, map[string]string{"NO_COLOR": "x"}, false})
	}
	for _, tt := range tests {
		w := tt.w.(interface{ Write([]byte) (int, error) })
		if got := ColorFor(w, env(tt.env)); got != tt.want {
			t.Errorf("%s: ColorFor = %v, want %v", tt.name, got, tt.want)
		}
	}
}
