package policy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MatchAction reports whether an action pattern, as written in a
// statement's Action or NotAction, matches an action ("s3:GetObject").
// IAM compares action names case-insensitively; '*' matches any run of
// characters (also none) and '?' any one character; ':' is not special.
func MatchAction(pattern, action string) bool {
	return wildcard(pattern, action, true)
}

// MatchResource reports whether a resource pattern, as written in a
// statement's Resource or NotResource, matches an ARN. IAM compares ARNs
// case-sensitively; '*' and '?' are wildcards in every part of the ARN.
func MatchResource(pattern, arn string) bool {
	return wildcard(pattern, arn, false)
}

// HasWildcard reports whether a pattern stands for more than one name.
func HasWildcard(pattern string) bool { return strings.ContainsAny(pattern, "*?") }

// wildcard matches s against p, character by character (lower-cased with
// fold, as strings.ToLower would), backtracking only to the last '*', so
// it never takes exponential time. It walks the strings in place: the
// evaluator and the linter match every action of every statement against
// thousands of names. An invalid UTF-8 byte is one character, U+FFFD.
func wildcard(p, s string, fold bool) bool {
	lower := func(r rune) rune {
		if fold {
			return unicode.ToLower(r)
		}
		return r
	}
	pi, si := 0, 0 // byte offsets
	star, mark := -1, 0
	for si < len(s) {
		sr, sn := utf8.DecodeRuneInString(s[si:])
		var pr rune
		pn := 0 // at the end of p
		if pi < len(p) {
			pr, pn = utf8.DecodeRuneInString(p[pi:])
		}
		switch {
		case pn > 0 && (pr == '?' || lower(pr) == lower(sr)):
			pi += pn
			si += sn
		case pn > 0 && pr == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			_, mn := utf8.DecodeRuneInString(s[mark:])
			mark += mn
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
