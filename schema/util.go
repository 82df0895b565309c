package schema

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/agext/levenshtein"
)

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = `"` + s + `"`
	}
	return strings.Join(q, ", ")
}

// Closest returns the candidate nearest to s when it is near enough to be
// a likely typo ("did you mean"), else "".
func Closest(s string, candidates []string) string { return closest(s, candidates) }

func closest(s string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.Distance(s, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// bounded is a regular expression of whole strings with a bound on their
// length in characters. regexp compiles x{1,512} to 512 copies of x: such
// patterns took about 4 ms and 2 MB at every start of the binary, and
// matching walks every copy. With x+ and the length counted apart, they
// match exactly the same strings.
type bounded struct {
	re  *regexp.Regexp
	max int
}

func mustBounded(expr string, max int) bounded {
	return bounded{re: regexp.MustCompile(expr), max: max}
}

func (b bounded) MatchString(s string) bool {
	return utf8.RuneCountInString(s) <= b.max && b.re.MatchString(s)
}
