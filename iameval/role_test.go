package iameval_test

import (
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/iameval"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

func production(t testing.TB) *generator.Environment {
	t.Helper()
	m, _, diags := pipeline.Load("../examples/lakerunner.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return m.Environments[0]
}

// TestRolePolicies: a generated role's inline policy, its AWS managed
// policies (content shipped with its version) and its trust policy are
// evaluated, and each decision names where its statements came from.
func TestRolePolicies(t *testing.T) {
	env := production(t)
	role := func(kind string) *iameval.Role { return iameval.ForRole(env.Role(kind)) }
	cluster := map[string][]string{"ecs:cluster": {"arn:aws:ecs:us-east-1:123456789012:cluster/lakerunner-cluster"}}
	ecs := iameval.Principal{Type: "Service", ID: "ecs-tasks.amazonaws.com"}
	ecsContext := map[string][]string{"aws:SourceAccount": {"123456789012"}, "aws:SourceArn": {"arn:aws:ecs:us-east-1:123456789012:task/lakerunner-cluster/1"}}
	for _, c := range []struct {
		name  string
		got   iameval.Result
		want  iameval.Decision
		where string // in a deciding statement's Where
	}{
		{"data-task reads its bucket", role("data-task").Can("s3:GetObject", "arn:aws:s3:::lakerunner-data/k", nil), iameval.Allowed, "statement S3Access of identity policy lakerunner-data-access, from the catalog at templates/02-data-task.hcl:"},
		{"data-task, another bucket", role("data-task").Can("s3:GetObject", "arn:aws:s3:::other/k", nil), iameval.ImplicitlyDenied, ""},
		{"query-task lists tasks of its cluster", role("query-task").Can("ecs:ListTasks", "*", cluster), iameval.Allowed, "statement ECSServiceManagement"},
		{"query-task, no cluster in the request", role("query-task").Can("ecs:ListTasks", "*", nil), iameval.ImplicitlyDenied, ""},
		{"execution role pulls images (managed policy)", role("ecs-execution").Can("ecr:GetAuthorizationToken", "*", nil), iameval.Allowed, "statement 1 of AWS managed policy AmazonECSTaskExecutionRolePolicy (v1)"},
		{"instance role tags its registration (managed, conditional)", role("ecs-instance").Can("ecs:TagResource", "*", map[string][]string{"ecs:CreateAction": {"RegisterContainerInstance"}}), iameval.Allowed, "AmazonEC2ContainerServiceforEC2Role (v10)"},
		{"instance role tags anything else", role("ecs-instance").Can("ecs:TagResource", "*", nil), iameval.ImplicitlyDenied, ""},
		{"ECS tasks assume the data role", role("data-task").AssumableBy(ecs, "sts:AssumeRole", ecsContext), iameval.Allowed, "statement 1 of trust policy, from the template's trust service"},
		{"ECS tasks of another account", role("data-task").AssumableBy(ecs, "sts:AssumeRole", map[string][]string{"aws:SourceAccount": {"210987654321"}, "aws:SourceArn": {"arn:aws:ecs:us-east-1:210987654321:task/c/1"}}), iameval.ImplicitlyDenied, ""},
		{"cross-account with the ExternalId", role("cross-account").AssumableBy(iameval.Principal{Type: "AWS", ID: "arn:aws:iam::210987654321:role/reader"}, "sts:AssumeRole", map[string][]string{"sts:ExternalId": {"unique-external-id"}}), iameval.Allowed, "from the catalog at templates/08-cross-account.hcl:"},
		{"cross-account without the ExternalId", role("cross-account").AssumableBy(iameval.Principal{Type: "AWS", ID: "arn:aws:iam::210987654321:role/reader"}, "sts:AssumeRole", nil), iameval.ImplicitlyDenied, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.got.Decision != c.want {
				t.Fatalf("%s (%s), want %s", c.got.Decision, c.got.Reason, c.want)
			}
			var where []string
			for _, m := range c.got.Deciding {
				where = append(where, m.Where())
			}
			if c.where != "" && !strings.Contains(strings.Join(where, "\n"), c.where) {
				t.Errorf("deciding:\n%s\nwant %q", strings.Join(where, "\n"), c.where)
			}
		})
	}
}
