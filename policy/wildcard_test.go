package policy

import (
	"strings"
	"testing"
)

func TestMatchAction(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"s3:GetObject", "s3:GetObject", true},
		{"S3:getobject", "s3:GetObject", true}, // IAM ignores case in actions
		{"s3:Get*", "s3:GetObject", true},
		{"s3:Get*", "s3:PutObject", false},
		{"s3:*Object", "s3:PutObject", true},
		{"s3:?etObject", "s3:GetObject", true},
		{"s3:?etObject", "s3:PutObject", false},
		{"*", "secretsmanager:GetSecretValue", true},
		{"*:*", "ssm:GetParameter", true},
		{"logs:*Log*", "logs:PutLogEvents", true},
		{"logs:*Log*", "logs:DescribeDestinations", false},
		{"ssm:GetParameter*", "ssm:GetParameter", true}, // '*' matches nothing too
		{"ssm:GetParameter?", "ssm:GetParameter", false},
		{"iam:Pass*", "iam:PassRole", true},
		{"s3", "s3:GetObject", false},
		{"", "s3:GetObject", false},
		{"**", "s3:GetObject", true},
		{"s3:*Obj*ct*", "s3:GetObjectVersion", true},
		{"s3:GetObject", "s3:GetObjectAcl", false},
	}
	for _, tt := range tests {
		if got := MatchAction(tt.pattern, tt.action); got != tt.want {
			t.Errorf("MatchAction(%q, %q) = %v, want %v", tt.pattern, tt.action, got, tt.want)
		}
	}
}

func TestMatchResource(t *testing.T) {
	tests := []struct {
		pattern, arn string
		want         bool
	}{
		{"*", "arn:aws:s3:::bucket", true},
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/key/deeper", true}, // '/' is not special
		{"arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false},
		{"arn:aws:s3:::Bucket", "arn:aws:s3:::bucket", false}, // ARNs are case-sensitive
		{"arn:aws:logs:*:123456789012:log-group:app*", "arn:aws:logs:us-east-1:123456789012:log-group:app-1", true},
		{"arn:aws:sqs:us-east-1:123456789012:queue-?", "arn:aws:sqs:us-east-1:123456789012:queue-1", true},
		{"arn:aws:s3:::b/?", "arn:aws:s3:::b/é", true}, // '?' is one character, not one byte
		{"arn:aws:s3:::b/?", "arn:aws:s3:::b/ab", false},
		{"*", "", true},
		{"a*c", "abbbc", true},
		{"a*c", "abcd", false},
		{"a?c", "ac", false},
		{"*b*", "abc", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXcYb", false},
		{"", "", true},
		{"", "a", false},
	}
	for _, tt := range tests {
		if got := MatchResource(tt.pattern, tt.arn); got != tt.want {
			t.Errorf("MatchResource(%q, %q) = %v, want %v", tt.pattern, tt.arn, got, tt.want)
		}
	}
}

// TestWildcardLinear: a pattern of many stars against a long near-miss
// finishes at once (a recursive matcher takes exponential time here).
func TestWildcardLinear(t *testing.T) {
	p := strings.Repeat("a*", 40) + "b"
	s := strings.Repeat("a", 10000)
	if MatchResource(p, s) {
		t.Errorf("matched")
	}
}

func TestHasWildcard(t *testing.T) {
	for s, want := range map[string]bool{"s3:Get*": true, "s3:?et": true, "s3:GetObject": false, "": false} {
		if got := HasWildcard(s); got != want {
			t.Errorf("HasWildcard(%q) = %v", s, got)
		}
	}
}

// TestWildcardAsRunes: matching in place gives what matching the strings'
// runes after strings.ToLower gives (how it was written before), for
// upper and lower case, multi-byte and invalid UTF-8, and every pattern
// against every name.
func TestWildcardAsRunes(t *testing.T) {
	asRunes := func(p, s []rune) bool { // backtracking to the last '*'
		pi, si, star, mark := 0, 0, -1, 0
		for si < len(s) {
			switch {
			case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
				pi, si = pi+1, si+1
			case pi < len(p) && p[pi] == '*':
				star, mark = pi, si
				pi++
			case star >= 0:
				pi, mark = star+1, mark+1
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
	patterns := []string{"", "*", "?", "**", "s3:*", "S3:Get*", "s3:?et*", "*é*", "?é", "*\xff*", "?\xff", "\xff", "*K*", "*k", "İ*", "*Σ", "a*b*c", "*?*?", "ÉTÉ?"}
	names := []string{"", "s3:GetObject", "S3:GETOBJECT", "s3:getobject", "é", "Éé", "ab\xffc", "\xff", "\xff\xfe", "K", "k", "K", "İstanbul", "iSTANBUL", "ΟΔΟΣ", "οδος", "aXbYc", "été!", "ÉTÉ!"}
	for _, p := range append(patterns, names...) {
		for _, s := range append(names, patterns...) {
			if got, want := MatchAction(p, s), asRunes([]rune(strings.ToLower(p)), []rune(strings.ToLower(s))); got != want {
				t.Errorf("MatchAction(%q, %q) = %v, as runes %v", p, s, got, want)
			}
			if got, want := MatchResource(p, s), asRunes([]rune(p), []rune(s)); got != want {
				t.Errorf("MatchResource(%q, %q) = %v, as runes %v", p, s, got, want)
			}
		}
	}
}
