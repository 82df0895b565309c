package iameval

import (
	"testing"

	"github.com/cardinalhq/lakerunner-iam/policy"
)

// ctx builds a request context from key, values... pairs.
func ctx(kv ...any) map[string][]string {
	m := map[string][]string{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].([]string)
	}
	return m
}

func vals(v ...string) []string { return v }

// TestConditionOperators: each case is taken from the IAM User Guide's
// "IAM JSON policy elements: Condition operators" (the section is named),
// "Single-valued vs. multivalued context keys" and its examples, or
// "Condition with multiple context keys or values".
func TestConditionOperators(t *testing.T) {
	cases := []struct {
		section string
		test    string
		key     string
		values  []string
		ctx     map[string][]string
		want    bool
	}{
		// String condition operators.
		{"String: StringEquals is exact and case-sensitive", "StringEquals", "aws:PrincipalTag/job-category", vals("iamuser-admin"), ctx("aws:PrincipalTag/job-category", vals("iamuser-admin")), true},
		{"String: StringEquals, other case", "StringEquals", "aws:PrincipalTag/job-category", vals("iamuser-admin"), ctx("aws:PrincipalTag/job-category", vals("IAMUser-Admin")), false},
		{"String: condition key names are case-insensitive", "StringEquals", "AWS:PrincipalTag/job-category", vals("iamuser-admin"), ctx("aws:principaltag/job-category", vals("iamuser-admin")), true},
		{"String: StringEqualsIgnoreCase", "StringEqualsIgnoreCase", "aws:PrincipalTag/job-category", vals("iamuser-admin"), ctx("aws:PrincipalTag/job-category", vals("IAMUser-Admin")), true},
		{"String: StringNotEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "aws:PrincipalTag/job-category", vals("iamuser-admin"), ctx("aws:PrincipalTag/job-category", vals("IAMUser-Admin")), false},
		{"String: StringLike with * and ?", "StringLike", "s3:prefix", vals("home/?/*"), ctx("s3:prefix", vals("home/a/reports")), true},
		{"String: StringLike is case-sensitive", "StringLike", "s3:prefix", vals("home/*"), ctx("s3:prefix", vals("Home/a")), false},
		{"String: StringNotLike", "StringNotLike", "s3:prefix", vals("home/*"), ctx("s3:prefix", vals("tmp/a")), true},
		{"Important: a key absent from the request context makes the condition false", "StringEquals", "aws:PrincipalTag/job-category", vals("iamuser-admin"), nil, false},
		{"Important: absent key, a negated operator (StringNotLike) is true", "StringNotLike", "s3:prefix", vals("home/*"), nil, true},
		{"Important: absent key, a negated operator (ArnNotLike) is true", "ArnNotLike", "aws:SourceArn", vals("arn:aws:sns:*"), nil, true},
		// Numeric.
		{"Numeric: NumericLessThanEquals", "NumericLessThanEquals", "s3:max-keys", vals("10"), ctx("s3:max-keys", vals("10")), true},
		{"Numeric: NumericLessThanEquals, over", "NumericLessThanEquals", "s3:max-keys", vals("10"), ctx("s3:max-keys", vals("11")), false},
		{"Numeric: NumericGreaterThan", "NumericGreaterThan", "s3:max-keys", vals("10"), ctx("s3:max-keys", vals("10.5")), true},
		{"Numeric: NumericNotEquals", "NumericNotEquals", "s3:max-keys", vals("10"), ctx("s3:max-keys", vals("10.0")), false},
		{"Numeric: not a number matches nothing", "NumericEquals", "s3:max-keys", vals("10"), ctx("s3:max-keys", vals("ten")), false},
		// Date.
		{"Date: DateLessThan with ISO 8601", "DateLessThan", "aws:CurrentTime", vals("2020-01-01T00:00:01Z"), ctx("aws:CurrentTime", vals("2019-12-31T23:59:59Z")), true},
		{"Date: DateGreaterThan with epoch seconds", "DateGreaterThan", "aws:EpochTime", vals("1577836800"), ctx("aws:EpochTime", vals("2020-01-01T00:00:01Z")), true},
		{"Date: DateEquals, a date only", "DateEquals", "aws:TokenIssueTime", vals("2020-01-01"), ctx("aws:TokenIssueTime", vals("2020-01-01T00:00:00Z")), true},
		{"Date: DateNotEquals", "DateNotEquals", "aws:TokenIssueTime", vals("2020-01-01"), ctx("aws:TokenIssueTime", vals("2020-01-02")), true},
		// Boolean.
		{"Boolean: Bool true", "Bool", "aws:SecureTransport", vals("true"), ctx("aws:SecureTransport", vals("true")), true},
		{"Boolean: Bool false against true", "Bool", "aws:SecureTransport", vals("false"), ctx("aws:SecureTransport", vals("true")), false},
		{"Boolean: Bool, key absent", "Bool", "aws:MultiFactorAuthPresent", vals("true"), nil, false},
		// Binary.
		{"Binary: BinaryEquals compares the bytes of base64 values", "BinaryEquals", "key", vals("QmluYXJ5VmFsdWVJbkJhc2U2NA=="), ctx("key", vals("QmluYXJ5VmFsdWVJbkJhc2U2NA==")), true},
		{"Binary: BinaryEquals, other bytes", "BinaryEquals", "key", vals("QmluYXJ5VmFsdWVJbkJhc2U2NA=="), ctx("key", vals("b3RoZXI=")), false},
		// IP address.
		{"IP address: IpAddress in the CIDR range", "IpAddress", "aws:SourceIp", vals("203.0.113.0/24"), ctx("aws:SourceIp", vals("203.0.113.7")), true},
		{"IP address: IpAddress outside", "IpAddress", "aws:SourceIp", vals("203.0.113.0/24"), ctx("aws:SourceIp", vals("198.51.100.1")), false},
		{"IP address: IPv6 range", "IpAddress", "aws:SourceIp", vals("2001:DB8:1234:5678::/64"), ctx("aws:SourceIp", vals("2001:db8:1234:5678::1")), true},
		{"IP address: NotIpAddress", "NotIpAddress", "aws:SourceIp", vals("203.0.113.0/24"), ctx("aws:SourceIp", vals("198.51.100.1")), true},
		// ARN.
		{"ARN: ArnEquals matches each of the six components", "ArnEquals", "aws:SourceArn", vals("arn:aws:sns:us-east-1:123456789012:*"), ctx("aws:SourceArn", vals("arn:aws:sns:us-east-1:123456789012:topic")), true},
		{"ARN: ArnLike, another account", "ArnLike", "aws:SourceArn", vals("arn:aws:ecs:us-east-1:123456789012:*"), ctx("aws:SourceArn", vals("arn:aws:ecs:us-east-1:210987654321:task/x")), false},
		{"ARN: a wildcard within one component", "ArnLike", "aws:SourceArn", vals("arn:aws:ecs:*:123456789012:cluster/x"), ctx("aws:SourceArn", vals("arn:aws:ecs:us-east-1:123456789012:cluster/x")), true},
		{"ARN: a value that is not an ARN", "ArnLike", "aws:SourceArn", vals("arn:aws:ecs:*:*:*"), ctx("aws:SourceArn", vals("cluster/x")), false},
		{"ARN: ArnNotEquals", "ArnNotEquals", "aws:SourceArn", vals("arn:aws:ecs:us-east-1:123456789012:cluster/x"), ctx("aws:SourceArn", vals("arn:aws:ecs:us-east-1:123456789012:cluster/y")), true},
		// ...IfExists.
		{"IfExists: the key is absent: true", "StringEqualsIfExists", "ec2:InstanceType", vals("t1.*"), nil, true},
		{"IfExists: the key is present: evaluated", "StringLikeIfExists", "ec2:InstanceType", vals("t1.*", "t2.*"), ctx("ec2:InstanceType", vals("m5.large")), false},
		{"IfExists: present and matching", "StringLikeIfExists", "ec2:InstanceType", vals("t1.*", "t2.*"), ctx("ec2:InstanceType", vals("t2.micro")), true},
		// Null.
		{"Null: true, the key is absent", "Null", "aws:TokenIssueTime", vals("true"), nil, true},
		{"Null: true, the key is present", "Null", "aws:TokenIssueTime", vals("true"), ctx("aws:TokenIssueTime", vals("2020-01-01")), false},
		{"Null: false, the key is present", "Null", "aws:TokenIssueTime", vals("false"), ctx("aws:TokenIssueTime", vals("2020-01-01")), true},
		// Multiple values.
		{"multiple values: the values of one key are OR'd", "StringEquals", "aws:PrincipalTag/team", vals("red", "blue"), ctx("aws:PrincipalTag/team", vals("blue")), true},
		{"negated matching: StringNotEquals with several values is NOR", "StringNotEquals", "aws:PrincipalTag/team", vals("red", "blue"), ctx("aws:PrincipalTag/team", vals("blue")), false},
		// Set operators for multivalued context keys (the examples page's
		// ForAllValues:StringNotLike table, and its ForAnyValue ones).
		{"multivalued examples: ForAllValues:StringNotLike, key1:legal does not match", "ForAllValues:StringNotLike", "aws:TagKeys", vals("key1*"), ctx("aws:TagKeys", vals("key1:legal")), false},
		{"multivalued examples: ForAllValues:StringNotLike, key1:hr and key1:personnel", "ForAllValues:StringNotLike", "aws:TagKeys", vals("key1*"), ctx("aws:TagKeys", vals("key1:hr", "key1:personnel")), false},
		{"multivalued examples: ForAllValues:StringNotLike, key2:audit matches", "ForAllValues:StringNotLike", "aws:TagKeys", vals("key1*"), ctx("aws:TagKeys", vals("key2:audit")), true},
		{"multivalued examples: ForAllValues, no aws:TagKeys in the request matches", "ForAllValues:StringNotLike", "aws:TagKeys", vals("key1*"), nil, true},
		{"ForAllValues: every request value is one of the policy's", "ForAllValues:StringEquals", "aws:TagKeys", vals("environment", "cost-center"), ctx("aws:TagKeys", vals("environment", "cost-center")), true},
		{"ForAllValues: one request value is not", "ForAllValues:StringEquals", "aws:TagKeys", vals("environment", "cost-center"), ctx("aws:TagKeys", vals("environment", "owner")), false},
		{"ForAnyValue: at least one request value matches", "ForAnyValue:StringEquals", "aws:TagKeys", vals("environment"), ctx("aws:TagKeys", vals("owner", "environment")), true},
		{"ForAnyValue: no aws:TagKeys in the request, false", "ForAnyValue:StringEquals", "aws:TagKeys", vals("environment"), nil, false},
		{"ForAnyValue:StringNotEquals: one request value outside the list", "ForAnyValue:StringNotEquals", "aws:TagKeys", vals("environment"), ctx("aws:TagKeys", vals("environment", "owner")), true},
		{"ForAnyValue with IfExists: the key is absent", "ForAnyValue:StringEqualsIfExists", "aws:TagKeys", vals("environment"), nil, true},
		// Operators IAM does not know.
		{"unknown operator matches nothing", "StringSortOf", "k:k", vals("a"), ctx("k:k", vals("a")), false},
	}
	for _, c := range cases {
		t.Run(c.section, func(t *testing.T) {
			got := conditionHolds(policy.Condition{Test: c.test, Variable: c.key, Values: c.values}, newContext(c.ctx))
			if got != c.want {
				t.Errorf("%s %s %v with %v = %v, want %v", c.test, c.key, c.values, c.ctx, got, c.want)
			}
		})
	}
}

// TestConditionBlockLogic: "Evaluation logic for multiple context keys or
// values": operators and keys are AND'd, the values of one key OR'd.
func TestConditionBlockLogic(t *testing.T) {
	p := doc(t, Identity, "p", `{"Version": "2012-10-17", "Statement": [{
	  "Sid": "TagRed", "Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
	  "Condition": {
	    "StringEquals": {"aws:PrincipalTag/team": ["red", "blue"], "aws:RequestedRegion": "us-east-1"},
	    "Bool": {"aws:MultiFactorAuthPresent": true}
	  }
	}]}`)
	run(t, []evalCase{
		{"multiple keys: all hold", []*Policy{p}, Request{Action: "ec2:CreateTags", Resource: "*", Context: ctx("aws:PrincipalTag/team", vals("blue"), "aws:RequestedRegion", vals("us-east-1"), "aws:MultiFactorAuthPresent", vals("true"))}, Allowed, []string{"TagRed"}},
		{"multiple keys: one key fails", []*Policy{p}, Request{Action: "ec2:CreateTags", Resource: "*", Context: ctx("aws:PrincipalTag/team", vals("blue"), "aws:RequestedRegion", vals("eu-west-1"), "aws:MultiFactorAuthPresent", vals("true"))}, ImplicitlyDenied, nil},
		{"multiple operators: one operator fails", []*Policy{p}, Request{Action: "ec2:CreateTags", Resource: "*", Context: ctx("aws:PrincipalTag/team", vals("red"), "aws:RequestedRegion", vals("us-east-1"))}, ImplicitlyDenied, nil},
	})
}

// TestPolicyVariables: "IAM policy elements: Variables and tags".
func TestPolicyVariables(t *testing.T) {
	p := doc(t, Identity, "p", `{"Version": "2012-10-17", "Statement": [
	  {"Sid": "Home", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*"},
	  {"Sid": "Team", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/team, 'company-wide'}/*"},
	  {"Sid": "Literal", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket", "Condition": {"StringLike": {"s3:prefix": "${aws:username}/*"}}}
	]}`)
	run(t, []evalCase{
		{"variables: ${aws:username} from the request", []*Policy{p}, Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/home/maria/x", Context: ctx("aws:username", vals("maria"))}, Allowed, []string{"Home"}},
		{"variables: another user's home", []*Policy{p}, Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/home/john/x", Context: ctx("aws:username", vals("maria"))}, ImplicitlyDenied, nil},
		{"variables: no value for the key, the resource matches nothing", []*Policy{p}, Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/home//x"}, ImplicitlyDenied, nil},
		{"specifying default values: the key is absent", []*Policy{p}, Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/company-wide/x"}, Allowed, []string{"Team"}},
		{"specifying default values: the key is present", []*Policy{p}, Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/company-wide/x", Context: ctx("aws:PrincipalTag/team", vals("red"))}, ImplicitlyDenied, nil},
		{"variables in conditions", []*Policy{p}, Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::amzn-s3-demo-bucket", Context: ctx("aws:username", vals("maria"), "s3:prefix", vals("maria/docs"))}, Allowed, []string{"Literal"}},
		{"multivalued keys cannot be variables", []*Policy{p}, Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/home/maria/x", Context: ctx("aws:username", vals("maria", "john"))}, ImplicitlyDenied, nil},
	})
	for in, want := range map[string]string{"a${*}b": "a*b", "${?}${$}": "?$", "plain": "plain", "a${unclosed": "a${unclosed"} {
		if got, ok := substitute(in, newContext(nil)); !ok || got != want {
			t.Errorf("substitute(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := substitute("${aws:username, unquoted}", newContext(nil)); ok {
		t.Error("an unquoted default was accepted")
	}
}
