package schema

import (
	"regexp"
	"strings"
	"testing"
)

// TestBoundedMatchesCountedRepetition: each bounded pattern accepts
// exactly what the counted repetition it replaces accepts, at and around
// its bounds, with characters outside its class and with multi-byte ones.
func TestBoundedMatchesCountedRepetition(t *testing.T) {
	for _, c := range []struct {
		name    string
		got     bounded
		counted string
		char    string // a character of the class
	}{
		{"eks cluster", eksClusterNameRe, `^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$`, "a"},
		{"service account pattern", serviceAccountPatternRe, `^[-a-z0-9.*?]{1,253}$`, "*"},
		{"metrics namespace", namespaceRe, `^[^:]{1,255}$`, "é"},
		{"secret", secretGlobRe, `^[\w/+=.@*?-]{1,512}$`, "/"},
		{"log group pattern", logGroupGlobRe, `^[\w/.#*?-]{1,512}$`, "#"},
		{"log group", logGroupRe, `^[\w/.#-]{1,512}$`, "_"},
		{"ecs cluster", ecsClusterRe, `^[A-Za-z0-9_-]{1,255}$`, "-"},
	} {
		t.Run(c.name, func(t *testing.T) {
			want := regexp.MustCompile(c.counted)
			inputs := []string{"", ":", "a:b", "\xff", "é", "a\n", "\na", "😀", "*", "a-b_c.d/e"}
			for _, n := range []int{1, 2, c.got.max - 1, c.got.max, c.got.max + 1, 2 * c.got.max} {
				run := strings.Repeat(c.char, n)
				inputs = append(inputs, run, "a"+run, run+":", run+"é", run+"\xff")
			}
			for _, s := range inputs {
				if g, w := c.got.MatchString(s), want.MatchString(s); g != w {
					t.Errorf("%q (%d bytes): got %v, the counted pattern says %v", s, len(s), g, w)
				}
			}
		})
	}
}
