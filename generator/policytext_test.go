package generator

import (
	"testing"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
)

// TestPolicyText checks policyText against iamlimits.PolicyTextRe, on
// either side of its shortcut for printable ASCII.
func TestPolicyText(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{`{"Version":"2012-10-17","Statement":[]}`, true},
		{"a\tb\nc\rd ~", true},
		{"\x7f", true},
		{"caf\u00e9 \u00ff", true},
		{"\u20ac", false},
		{"a\x01b", false},
		{"a\xffb", false}, // not UTF-8
		{"", true},
	} {
		if got := policyText([]byte(tc.text)); got != tc.want || got != iamlimits.PolicyTextRe.MatchString(tc.text) {
			t.Errorf("policyText(%q) = %v, want %v (the regexp says %v)", tc.text, got, tc.want, iamlimits.PolicyTextRe.MatchString(tc.text))
		}
	}
}
