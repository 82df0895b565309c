package iameval

import (
	"slices"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/policy"
)

// doc parses a policy written as AWS documents it.
func doc(t testing.TB, kind Kind, name, js string) *Policy {
	t.Helper()
	d, err := policy.Parse([]byte(js))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &Policy{Kind: kind, Name: name, Document: d}
}

// evalCase is a request against a set of policies, the decision AWS's
// documentation gives, and the Sids of the statements that decide.
type evalCase struct {
	section  string // where in AWS's documentation the case comes from
	policies []*Policy
	req      Request
	want     Decision
	sids     []string
}

func run(t *testing.T, cases []evalCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.section, func(t *testing.T) {
			got := Evaluate(c.policies, c.req)
			var sids []string
			for _, m := range got.Deciding {
				sids = append(sids, m.Statement.Sid)
			}
			if got.Decision != c.want || !slices.Equal(sids, c.sids) {
				t.Errorf("%s %s: %s by %v (%s), want %s by %v", c.req.Action, c.req.Resource, got.Decision, sids, got.Reason, c.want, c.sids)
			}
		})
	}
}

// reportsPolicy is the example of "The difference between explicit and
// implicit denies" (IAM User Guide, Policy evaluation logic).
const reportsPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "AllowGetList", "Effect": "Allow", "Action": ["iam:Get*", "iam:List*"], "Resource": "*"},
    {"Sid": "DenyReports", "Effect": "Deny", "Action": "iam:*Report", "Resource": "*"}
  ]
}`

func TestEvaluationLogic(t *testing.T) {
	reports := doc(t, Identity, "reports", reportsPolicy)
	s3 := doc(t, Identity, "s3", `{"Version": "2012-10-17", "Statement": [
	  {"Sid": "ReadBucket", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"},
	  {"Sid": "AllButIAM", "Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:sqs:*"},
	  {"Sid": "OnlyThisBucket", "Effect": "Deny", "Action": "s3:PutObject", "NotResource": "arn:aws:s3:::amzn-s3-demo-bucket/*"},
	  {"Sid": "PutAnywhere", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}
	]}`)
	boundary := doc(t, Boundary, "boundary", `{"Version": "2012-10-17", "Statement": [
	  {"Sid": "BoundS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
	  {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
	]}`)
	wide := doc(t, Identity, "wide", `{"Version": "2012-10-17", "Statement": [
	  {"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"}
	]}`)
	run(t, []evalCase{
		{"explicit and implicit denies: allowed by AllowGetList", []*Policy{reports}, Request{Action: "iam:GetUser", Resource: "*"}, Allowed, []string{"AllowGetList"}},
		{"explicit and implicit denies: DenyReports trumps AllowGetList", []*Policy{reports}, Request{Action: "iam:GetOrganizationsAccessReport", Resource: "*"}, ExplicitlyDenied, []string{"DenyReports"}},
		{"explicit and implicit denies: no statement, implicit deny", []*Policy{reports}, Request{Action: "iam:CreatePolicy", Resource: "*"}, ImplicitlyDenied, nil},
		{"Action element: action names are case-insensitive", []*Policy{reports}, Request{Action: "IAM:getuser", Resource: "*"}, Allowed, []string{"AllowGetList"}},
		{"Resource element: ARNs are case-sensitive", []*Policy{s3}, Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::AMZN-S3-DEMO-BUCKET/k"}, ImplicitlyDenied, nil},
		{"Resource element: wildcard in the resource path", []*Policy{s3}, Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/a/b"}, Allowed, []string{"ReadBucket"}},
		{"NotAction element: allows every action but those listed", []*Policy{s3}, Request{Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:111122223333:q"}, Allowed, []string{"AllButIAM"}},
		{"NotAction element: the listed actions are not allowed", []*Policy{s3}, Request{Action: "iam:CreateUser", Resource: "arn:aws:sqs:us-east-1:111122223333:q"}, ImplicitlyDenied, nil},
		{"NotResource element: deny everywhere but the bucket", []*Policy{s3}, Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::other-bucket/k"}, ExplicitlyDenied, []string{"OnlyThisBucket"}},
		{"NotResource element: the listed resource is not denied", []*Policy{s3}, Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/k"}, Allowed, []string{"PutAnywhere"}},
		{"permissions boundaries: effective permissions are the intersection", []*Policy{wide, boundary}, Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}, Allowed, []string{"Everything", "BoundS3"}},
		{"permissions boundaries: allowed by identity, outside the boundary", []*Policy{wide, boundary}, Request{Action: "iam:CreateUser", Resource: "*"}, ImplicitlyDenied, []string{"Everything"}},
		{"permissions boundaries: within the boundary, not granted by identity", []*Policy{s3, boundary}, Request{Action: "s3:ListBucket", Resource: "arn:aws:s3:::amzn-s3-demo-bucket"}, ImplicitlyDenied, nil},
		{"permissions boundaries: an explicit deny in the boundary", []*Policy{wide, boundary}, Request{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/k"}, ExplicitlyDenied, []string{"NoDelete"}},
		{"policy evaluation: identity policies are not read for a trust request", []*Policy{wide}, Request{Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/r", Principal: &Principal{"AWS", "111122223333"}}, ImplicitlyDenied, nil},
	})
}
