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
