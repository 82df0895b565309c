// Package iamlimits holds IAM's quotas and name patterns in one place, so
// that the spec checks (schema), the generator's checks of the roles it
// builds and lint's warnings near a quota agree. Sources: AWS IAM "IAM and
// AWS STS quotas" and the IAM API reference's parameter patterns
// (REFERENCE.md §3).
package iamlimits

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Quotas, in characters.
const (
	RoleNameMax = 64
	// NamePrefixMax is Terraform's name_prefix limit (64 less its 26
	// character unique suffix); a prefix of every role name obeys it too.
	NamePrefixMax          = 38
	InstanceProfileNameMax = 128
	PolicyNameMax          = 128
	PathMax                = 512
	DescriptionMax         = 1000
	SessionDurationMin     = 3600  // seconds
	SessionDurationMax     = 43200 // seconds
	// InlinePoliciesMax is all inline policies of one role together,
	// without white space.
	InlinePoliciesMax = 10240
	ManagedPolicyMax  = 6144
	// TrustPolicyMax is the default quota, raisable to 4096.
	TrustPolicyMax = 2048
	// ManagedPoliciesPerRole is the default quota, raisable to 25.
	ManagedPoliciesPerRole = 10
	TagsMax                = 50
	TagKeyMax              = 128
	TagValueMax            = 256
	ExternalIDMin          = 2
	ExternalIDMax          = 1224
)

// Partitions are the AWS partitions the generator supports.
var Partitions = []string{"aws", "aws-us-gov", "aws-cn"}

// Patterns of the IAM API.
var (
	AccountIDRe = regexp.MustCompile(`^\d{12}$`)
	// NameRe is the character set of role, instance profile and policy
	// names.
	NameRe = regexp.MustCompile(`^[\w+=,.@-]+$`)
	// PathRe is IAM's path pattern: "/" alone, or "/" and at least one
	// printable ASCII character and "/" (so "//" is refused).
	PathRe = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)
	// TagTextRe is what tag keys and values may contain.
	TagTextRe = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
	// DescriptionTextRe is what a role description may contain.
	DescriptionTextRe = regexp.MustCompile(`^[\t\n\r\x{20}-\x{7E}\x{A1}-\x{FF}]*$`)
	// PolicyTextRe is what policy documents may contain.
	PolicyTextRe = regexp.MustCompile(`^[\t\n\r\x{20}-\x{FF}]*$`)
	ExternalIDRe = regexp.MustCompile(`^[\w+=,.@:/-]+$`)
)

// chars counts characters, as IAM does, not bytes.
func chars(s string) int { return utf8.RuneCountInString(s) }

// RoleName checks a role name.
func RoleName(s string) error {
	if n := chars(s); n == 0 || n > RoleNameMax || !NameRe.MatchString(s) {
		return fmt.Errorf("IAM role names have 1 to %d letters, digits and +=,.@_- characters; this one has %d", RoleNameMax, n)
	}
	return nil
}

// InstanceProfileName checks an instance profile name.
func InstanceProfileName(s string) error {
	if n := chars(s); n == 0 || n > InstanceProfileNameMax || !NameRe.MatchString(s) {
		return fmt.Errorf("instance profile names have 1 to %d letters, digits and +=,.@_- characters; this one has %d", InstanceProfileNameMax, n)
	}
	return nil
}

// PolicyName checks an inline or managed policy name.
func PolicyName(s string) error {
	if n := chars(s); n == 0 || n > PolicyNameMax || !NameRe.MatchString(s) {
		return fmt.Errorf("a policy name has 1 to %d letters, digits and +=,.@_- characters", PolicyNameMax)
	}
	return nil
}

// Path checks an IAM path.
func Path(s string) error {
	if chars(s) > PathMax || !PathRe.MatchString(s) {
		return fmt.Errorf(`an IAM path is "/" or starts and ends with "/" with printable ASCII characters between, e.g. "/lakerunner/", at most %d characters (no "//")`, PathMax)
	}
	return nil
}

// Description checks a role description: its length in characters and
// its character set.
func Description(s string) error {
	if n := chars(s); n > DescriptionMax {
		return fmt.Errorf("the description has %d characters; IAM allows at most %d", n, DescriptionMax)
	}
	if !DescriptionTextRe.MatchString(s) {
		return fmt.Errorf("IAM role descriptions may contain only tab, line feed, carriage return, printable ASCII and the characters U+00A1 to U+00FF")
	}
	return nil
}

// SessionDuration checks a role's maximum session duration in seconds.
func SessionDuration(seconds int) error {
	if seconds < SessionDurationMin || seconds > SessionDurationMax {
		return fmt.Errorf("%d is outside IAM's range for a role's maximum session duration: %d to %d seconds (1 to 12 hours)", seconds, SessionDurationMin, SessionDurationMax)
	}
	return nil
}

// ExternalID checks an sts:ExternalId.
func ExternalID(s string) error {
	if n := chars(s); n < ExternalIDMin || n > ExternalIDMax || !ExternalIDRe.MatchString(s) {
		return fmt.Errorf("an ExternalId is %d to %d characters of letters, digits and +=,.@:/-_", ExternalIDMin, ExternalIDMax)
	}
	return nil
}

// TagKey checks one tag key.
func TagKey(k string) error {
	switch n := chars(k); {
	case n == 0 || n > TagKeyMax:
		return fmt.Errorf("tag key %q has %d characters; it must be 1 to %d characters", k, n, TagKeyMax)
	case strings.HasPrefix(strings.ToLower(k), "aws:"):
		return fmt.Errorf("tag key %q uses the reserved prefix \"aws:\"", k)
	case !TagTextRe.MatchString(k):
		return fmt.Errorf("tag key %q has characters IAM does not allow in tags: use letters, digits, spaces and _.:/=+-@", k)
	}
	return nil
}

// TagValue checks the value of tag k.
func TagValue(k, v string) error {
	switch n := chars(v); {
	case n > TagValueMax:
		return fmt.Errorf("the value of tag %q has %d characters; IAM allows at most %d", k, n, TagValueMax)
	case !TagTextRe.MatchString(v):
		return fmt.Errorf("the value of tag %q has characters IAM does not allow in tags: use letters, digits, spaces and _.:/=+-@", k)
	}
	return nil
}
