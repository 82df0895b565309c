package iameval

import "testing"

// TestPrincipals: "AWS JSON policy elements: Principal" (IAM User Guide):
// AWS account principals, IAM role principals, role session principals,
// AWS service principals, federated (OIDC) principals, and "*".
func TestPrincipals(t *testing.T) {
	const role = "arn:aws:iam::111122223333:role/path/app-role"
	trust := doc(t, Trust, "trust", `{"Version": "2012-10-17", "Statement": [
	  {"Sid": "Account", "Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole"},
	  {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"},
	  {"Sid": "Role", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/path/app-role"}, "Action": "sts:AssumeRole"},
	  {"Sid": "Session", "Effect": "Allow", "Principal": {"AWS": "arn:aws:sts::777788889999:assumed-role/ops/alice"}, "Action": "sts:AssumeRole"},
	  {"Sid": "Service", "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole",
	   "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}, "ArnLike": {"aws:SourceArn": "arn:aws:ecs:us-east-1:111122223333:*"}}},
	  {"Sid": "OIDC", "Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EX"}, "Action": "sts:AssumeRoleWithWebIdentity",
	   "Condition": {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/EX:sub": "system:serviceaccount:lakerunner:lakerunner", "oidc.eks.us-east-1.amazonaws.com/id/EX:aud": "sts.amazonaws.com"}}}
	]}`)
	everyone := doc(t, Trust, "everyone", `{"Version": "2012-10-17", "Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}`)
	assume := func(typ, id, action string, c map[string][]string) Request {
		return Request{Action: action, Resource: "arn:aws:iam::111122223333:role/target", Principal: &Principal{typ, id}, Context: c}
	}
	sa := ctx("oidc.eks.us-east-1.amazonaws.com/id/EX:sub", vals("system:serviceaccount:lakerunner:lakerunner"), "oidc.eks.us-east-1.amazonaws.com/id/EX:aud", vals("sts.amazonaws.com"))
	run(t, []evalCase{
		{"AWS account principals: the account ID names the account's principals", []*Policy{trust}, assume("AWS", "arn:aws:iam::123456789012:user/bob", "sts:AssumeRole", nil), Allowed, []string{"Account"}},
		{"AWS account principals: root names the account", []*Policy{trust}, assume("AWS", "arn:aws:sts::444455556666:assumed-role/any/s", "sts:AssumeRole", nil), Allowed, []string{"Root"}},
		{"AWS account principals: another account", []*Policy{trust}, assume("AWS", "arn:aws:iam::999988887777:role/x", "sts:AssumeRole", nil), ImplicitlyDenied, nil},
		{"IAM role principals: the role", []*Policy{trust}, assume("AWS", role, "sts:AssumeRole", nil), Allowed, []string{"Role"}},
		{"IAM role principals: a session of the role (no path in its ARN)", []*Policy{trust}, assume("AWS", "arn:aws:sts::111122223333:assumed-role/app-role/lakerunner", "sts:AssumeRole", nil), Allowed, []string{"Role"}},
		{"IAM role principals: another role of the account", []*Policy{trust}, assume("AWS", "arn:aws:sts::111122223333:assumed-role/other-role/lakerunner", "sts:AssumeRole", nil), ImplicitlyDenied, nil},
		{"role session principals: that session", []*Policy{trust}, assume("AWS", "arn:aws:sts::777788889999:assumed-role/ops/alice", "sts:AssumeRole", nil), Allowed, []string{"Session"}},
		{"role session principals: another session of the role", []*Policy{trust}, assume("AWS", "arn:aws:sts::777788889999:assumed-role/ops/bob", "sts:AssumeRole", nil), ImplicitlyDenied, nil},
		{"AWS service principals: with its confused-deputy context", []*Policy{trust}, assume("Service", "ecs-tasks.amazonaws.com", "sts:AssumeRole", ctx("aws:SourceAccount", vals("111122223333"), "aws:SourceArn", vals("arn:aws:ecs:us-east-1:111122223333:task/c/1"))), Allowed, []string{"Service"}},
		{"AWS service principals: without aws:SourceArn", []*Policy{trust}, assume("Service", "ecs-tasks.amazonaws.com", "sts:AssumeRole", ctx("aws:SourceAccount", vals("111122223333"))), ImplicitlyDenied, nil},
		{"AWS service principals: from another account", []*Policy{trust}, assume("Service", "ecs-tasks.amazonaws.com", "sts:AssumeRole", ctx("aws:SourceAccount", vals("999988887777"), "aws:SourceArn", vals("arn:aws:ecs:us-east-1:999988887777:task/c/1"))), ImplicitlyDenied, nil},
		{"AWS service principals: another service", []*Policy{trust}, assume("Service", "lambda.amazonaws.com", "sts:AssumeRole", ctx("aws:SourceAccount", vals("111122223333"), "aws:SourceArn", vals("arn:aws:ecs:us-east-1:111122223333:task/c/1"))), ImplicitlyDenied, nil},
		{"OIDC principals: the ServiceAccount and audience", []*Policy{trust}, assume("Federated", "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EX", "sts:AssumeRoleWithWebIdentity", sa), Allowed, []string{"OIDC"}},
		{"OIDC principals: another ServiceAccount", []*Policy{trust}, assume("Federated", "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EX", "sts:AssumeRoleWithWebIdentity", ctx("oidc.eks.us-east-1.amazonaws.com/id/EX:sub", vals("system:serviceaccount:default:default"), "oidc.eks.us-east-1.amazonaws.com/id/EX:aud", vals("sts.amazonaws.com"))), ImplicitlyDenied, nil},
		{"OIDC principals: sts:AssumeRole is not the web identity action", []*Policy{trust}, assume("Federated", "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EX", "sts:AssumeRole", sa), ImplicitlyDenied, nil},
		{"all principals: \"*\"", []*Policy{everyone}, assume("AWS", "arn:aws:iam::999988887777:user/x", "sts:AssumeRole", nil), Allowed, []string{"Anyone"}},
	})
}
