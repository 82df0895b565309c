package iamlimits

import (
	"strings"
	"testing"
)

func TestChecks(t *testing.T) {
	for _, c := range []struct {
		name  string
		check func(string) error
		in    string
		ok    bool
	}{
		{"role name", RoleName, "lakerunner-data-task-role", true},
		{"role name 64", RoleName, strings.Repeat("a", 64), true},
		{"role name 65", RoleName, strings.Repeat("a", 65), false},
		{"role name space", RoleName, "a b", false},
		{"role name empty", RoleName, "", false},
		{"instance profile 128", InstanceProfileName, strings.Repeat("a", 128), true},
		{"instance profile 129", InstanceProfileName, strings.Repeat("a", 129), false},
		{"policy name", PolicyName, "DataAccess", true},
		{"policy name slash", PolicyName, "a/b", false},
		{"path root", Path, "/", true},
		{"path", Path, "/lakerunner/team/", true},
		{"path double slash", Path, "//", false},
		{"path no trailing slash", Path, "/a", false},
		{"path space", Path, "/a b/", false},
		{"path 512", Path, "/" + strings.Repeat("a", 510) + "/", true},
		{"path 513", Path, "/" + strings.Repeat("a", 511) + "/", false},
		// 1000 characters of two bytes each: IAM counts characters.
		{"description 1000 chars", Description, strings.Repeat("é", 1000), true},
		{"description 1001 chars", Description, strings.Repeat("é", 1001), false},
		{"description control", Description, "a\x01", false},
		{"description beyond U+00FF", Description, "€", false},
		{"external id", ExternalID, "unique-external-id", true},
		{"external id short", ExternalID, "a", false},
		{"external id 1224", ExternalID, strings.Repeat("a", 1224), true},
		{"external id 1225", ExternalID, strings.Repeat("a", 1225), false},
		{"external id space", ExternalID, "a b", false},
		{"tag key", TagKey, "Team", true},
		{"tag key aws", TagKey, "AWS:x", false},
		{"tag key 129", TagKey, strings.Repeat("k", 129), false},
		{"tag key quote", TagKey, `a"b`, false},
	} {
		if err := c.check(c.in); (err == nil) != c.ok {
			t.Errorf("%s: %q: got %v, want ok=%v", c.name, c.in, err, c.ok)
		}
	}
}

func TestSessionDurationAndTagValue(t *testing.T) {
	for _, s := range []int{3600, 43200} {
		if err := SessionDuration(s); err != nil {
			t.Errorf("%d: %v", s, err)
		}
	}
	for _, s := range []int{3599, 43201, 0} {
		if SessionDuration(s) == nil {
			t.Errorf("%d accepted", s)
		}
	}
	if TagValue("k", strings.Repeat("ü", 256)) != nil || TagValue("k", strings.Repeat("v", 257)) == nil {
		t.Error("tag values are up to 256 characters")
	}
}

func TestARNs(t *testing.T) {
	for _, c := range []struct {
		kind string
		in   string
		want string // "" when valid, else part of the error
	}{
		{"any", "arn:aws:s3:::bucket/*", ""},
		{"any", "arn:aws-cn:sqs:cn-north-1:123456789012:q", ""},
		{"any", "arn:", "six parts"},
		{"any", "arn:aws:s3", "six parts"},
		{"any", "arn:aws:s3:::", "ends with the resource"},
		{"any", "arn:aws:s3:::my bucket", "white space"},
		{"any", `arn:aws:s3:::b"x`, "quotes"},
		{"any", "arn:aws:s3:::b'x", "quotes"},
		{"any", "arn:awz:s3:::b", "not a partition"},
		{"any", "arn:aws::::b", "service"},
		{"any", "s3:::b", "starts with"},
		{"policy", "arn:aws:iam::aws:policy/ReadOnlyAccess", ""},
		{"policy", "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", ""},
		{"policy", "arn:aws:iam::123456789012:policy/team/boundary", ""},
		{"policy", "arn:aws:iam::123456789012:role/x", "names a role, not a policy"},
		{"policy", "arn:aws:iam::12345:policy/x", "12-digit"},
		{"policy", "arn:aws:iam::123456789012:policy/a b", "white space"},
		{"policy", "arn:aws:iam::123456789012:policy//x", "not an IAM path"},
		{"policy", "arn:aws:s3:::policy/x", "IAM ARN"},
		{"principal", "arn:aws:iam::123456789012:role/break-glass", ""},
		{"principal", "arn:aws:iam::123456789012:user/team/alice", ""},
		{"principal", "arn:aws:iam::123456789012:root", ""},
		{"principal", "arn:aws:iam::123456789012:role/lakerunner-*", "wildcards"},
		{"principal", "arn:aws:iam::123456789012:policy/x", "not a role or user or root"},
		{"principal", "arn:aws:iam::aws:role/x", "12-digit"},
		{"principal", "arn:aws:iam::123456789012:role/x\"", "quotes"},
		{"kms", "arn:aws:kms:us-east-1:123456789012:key/1234abcd", ""},
		{"kms", "arn:aws:kms:*:123456789012:alias/lakerunner", ""},
		{"kms", "arn:aws:kms:us-east-1:123456789012:key/ab cd", "white space"},
		{"kms", "arn:aws:s3:us-east-1:123456789012:key/x", "kms"},
		{"kms", "arn:aws:kms:us-east-1:123456789012:secret/x", "key/<id>"},
		{"kms", "arn:aws:kms:us-east-1:x:key/x", "12-digit"},
	} {
		var err error
		switch c.kind {
		case "any":
			_, err = ParseARN(c.in)
		case "policy":
			_, err = ManagedPolicyARN(c.in)
		case "principal":
			_, err = PrincipalARN(c.in)
		case "kms":
			_, err = KMSKeyARN(c.in)
		}
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s %q: %v", c.kind, c.in, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s %q: got %v, want an error with %q", c.kind, c.in, err, c.want)
		}
	}
	a, _ := ParseARN("arn:aws:sqs:us-east-1:123456789012:q:x")
	if a.Resource != "q:x" || a.String() != "arn:aws:sqs:us-east-1:123456789012:q:x" {
		t.Errorf("resource with a colon: %+v", a)
	}
}
