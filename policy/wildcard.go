package policy

import "strings"

// MatchAction reports whether an action pattern, as written in a
// statement's Action or NotAction, matches an action ("s3:GetObject").
// IAM compares action names case-insensitively; '*' matches any run of
// characters (also none) and '?' any one character; ':' is not special.
func MatchAction(pattern, action string) bool {
	return wildcard([]rune(strings.ToLower(pattern)), []rune(strings.ToLower(action)))
}

// MatchResource reports whether a resource pattern, as written in a
// statement's Resource or NotResource, matches an ARN. IAM compares ARNs
// case-sensitively; '*' and '?' are wildcards in every part of the ARN.
func MatchResource(pattern, arn string) bool {
	return wildcard([]rune(pattern), []rune(arn))
}

// HasWildcard reports whether a pattern stands for more than one name.
func HasWildcard(pattern string) bool { return strings.ContainsAny(pattern, "*?") }

// wildcard matches s against p, character by character, backtracking
// only to the last '*', so it never takes exponential time.
func wildcard(p, s []rune) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
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
