package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// cliCase is a command line, its exit code and what its output holds.
type cliCase struct {
	name           string
	args           []string
	code           int
	stdout, stderr []string // substrings
	emptyOut       bool
	jsonOutput     bool
}

// exampleSpecPath is the guide example, whose roles explain answers for.
const exampleSpecPath = "../../examples/lakerunner.hcl"

func runCLICases(t *testing.T, command string, cases []cliCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := cli(t, append([]string{command}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			for _, want := range tt.stderr {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if tt.emptyOut && stdout != "" {
				t.Errorf("stdout should be empty:\n%s", stdout)
			}
			if tt.jsonOutput && !json.Valid([]byte(stdout)) {
				t.Errorf("stdout is not JSON:\n%s", stdout)
			}
		})
	}
}

// denySpec gives the query role an explicit Deny of its own.
const denySpec = `environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  role "query-task" {
    statement {
      sid       = "NoSecretObjects"
      effect    = "Deny"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::lakerunner-data/secret/*"]
    }
  }
}
environment "dev" {
  account_id = "123456789012"
  region     = "us-west-2"
  name_prefix = "dev"
}
`

func TestExplain(t *testing.T) {
	t.Parallel()
	spec := writeCheckSpec(t, denySpec)
	cluster := "ecs:cluster=arn:aws:ecs:us-east-1:123456789012:cluster/lakerunner-cluster"
	runCLICases(t, "explain", []cliCase{
		{name: "allowed, with the deciding statement and where it is", args: []string{exampleSpecPath, "--role", "query-task", "--action", "ecs:ListTasks", "--resource", "*", "--context", cluster}, code: exitOK,
			stdout: []string{"ALLOWED", "May role lakerunner-query-task-role (query-task) call ecs:ListTasks on *?", "Allow statement ECSServiceManagement of identity policy lakerunner-query-access, from the catalog at templates/03-query-task.hcl:39", "when StringEquals ecs:cluster"}},
		{name: "implicitly denied, and the condition that failed", args: []string{exampleSpecPath, "--role", "lakerunner-query-task-role", "--action", "ecs:ListTasks", "--resource", "*"}, code: exitOK,
			stdout: []string{"IMPLICITLY DENIED", "Would apply but for its conditions: statement ECSServiceManagement", "not met: StringEquals ecs:cluster = arn:aws:ecs:us-east-1:123456789012:cluster/lakerunner-cluster (absent from the request)"}},
		{name: "explicitly denied by the spec's statement", args: []string{spec, "--env", "prod", "--role", "query-task", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::lakerunner-data/secret/k"}, code: exitOK,
			stdout: []string{"EXPLICITLY DENIED", "Deny statement NoSecretObjects of identity policy lakerunner-query-access, from the spec at " + spec + ":5"}},
		{name: "EKS shared layout: a workload kind names the shared role", args: []string{"../../examples/eks-irsa.hcl", "--role", "query-task", "--action", "s3:GetObject", "--resource", "arn:aws:s3:::lakerunner-123456789012-us-east-1/x"}, code: exitOK,
			stdout: []string{"ALLOWED", "May role lakerunner-workload-role (workload) call s3:GetObject"}},
		{name: "trust, the intended principal", args: []string{exampleSpecPath, "--role", "data-task", "--principal", "ecs-tasks.amazonaws.com", "--context", "aws:SourceAccount=123456789012", "--context", "aws:SourceArn=arn:aws:ecs:us-east-1:123456789012:task/lakerunner-cluster/1"}, code: exitOK,
			stdout: []string{"ALLOWED", "May Service ecs-tasks.amazonaws.com call sts:AssumeRole on role lakerunner-data-task-role (data-task)?", "from the template's trust service"}},
		{name: "trust, another account", args: []string{exampleSpecPath, "--role", "cross-account", "--principal", "arn:aws:iam::999988887777:root", "--context", "sts:ExternalId=unique-external-id"}, code: exitOK,
			stdout: []string{"IMPLICITLY DENIED"}},
		{name: "json", args: []string{exampleSpecPath, "--role", "cross-account", "--principal", "210987654321", "--context", "sts:ExternalId=unique-external-id", "-f", "json"}, code: exitOK, jsonOutput: true,
			stdout: []string{`"decision": "allowed"`, `"origin": "catalog"`, `"principal": {` + "\n" + `      "type": "AWS",` + "\n" + `      "id": "210987654321"`, `"arn:aws:iam::210987654321:root"`}},
		{name: "json, a managed policy's statement and version", args: []string{exampleSpecPath, "--role", "ecs-instance", "--action", "ssm:UpdateInstanceInformation", "--resource", "*", "-f", "json"}, code: exitOK, jsonOutput: true,
			stdout: []string{`"policy": "AmazonSSMManagedInstanceCore"`, `"policy_version": "v2"`, `"origin": "aws_managed"`}},
		{name: "a multi-valued context key", args: []string{exampleSpecPath, "--role", "query-task", "--action", "ecs:ListTasks", "--resource", "*", "--context", "ecs:cluster=x", "--context", "ecs:cluster=y"}, code: exitOK,
			stdout: []string{"Context ecs:cluster = x, y", "(the request has x, y)"}},
		{name: "which environment", args: []string{spec, "--role", "query-task", "--action", "s3:GetObject", "--resource", "*"}, code: exitError, emptyOut: true,
			stderr: []string{"Error: Which environment?", "name one with --env (prod, dev)"}},
		{name: "unknown environment", args: []string{spec, "--env", "staging", "--role", "query-task", "--action", "s3:GetObject", "--resource", "*"}, code: exitError, emptyOut: true,
			stderr: []string{"Error: Unknown environment"}},
		{name: "unknown role, did you mean", args: []string{exampleSpecPath, "--role", "query-tsk", "--action", "s3:GetObject", "--resource", "*"}, code: exitError, emptyOut: true,
			stderr: []string{"Error: Unknown role", `Did you mean "query-task"?`}},
		{name: "unknown role as json", args: []string{exampleSpecPath, "--role", "nope", "--action", "s3:GetObject", "--resource", "*", "-f", "json"}, code: exitError, jsonOutput: true,
			stdout: []string{`"summary": "Unknown role"`}},
		{name: "invalid spec", args: []string{writeCheckSpec(t, "environment \"x\" {}\n"), "--role", "x", "--action", "s3:GetObject", "--resource", "*"}, code: exitError, emptyOut: true,
			stderr: []string{"Missing required argument"}},
		{name: "no role", args: []string{exampleSpecPath, "--action", "s3:GetObject", "--resource", "*"}, code: exitError, stderr: []string{"--role is required"}},
		{name: "both resource and principal", args: []string{exampleSpecPath, "--role", "x", "--resource", "*", "--principal", "123456789012"}, code: exitError, stderr: []string{"give exactly one of --resource"}},
		{name: "neither", args: []string{exampleSpecPath, "--role", "x"}, code: exitError, stderr: []string{"give exactly one of --resource"}},
		{name: "no action with a resource", args: []string{exampleSpecPath, "--role", "x", "--resource", "*"}, code: exitError, stderr: []string{"--action is required with --resource"}},
		{name: "bad action", args: []string{exampleSpecPath, "--role", "x", "--action", "s3:*", "--resource", "*"}, code: exitError, stderr: []string{`--action "s3:*" is not an IAM action`}},
		{name: "bad context", args: []string{exampleSpecPath, "--role", "x", "--action", "s3:GetObject", "--resource", "*", "--context", "SourceIp"}, code: exitError, stderr: []string{`--context "SourceIp" is not KEY=VALUE`}},
		{name: "bad principal", args: []string{exampleSpecPath, "--role", "x", "--principal", "bob"}, code: exitError, stderr: []string{`--principal "bob" is not an account ID`}},
		{name: "bad format", args: []string{exampleSpecPath, "--role", "x", "--action", "s3:GetObject", "--resource", "*", "-f", "xml"}, code: exitError, stderr: []string{"--format must be text or json"}},
		{name: "help", args: []string{"--help"}, code: exitOK, stdout: []string{"Usage: lakerunner-iam explain [flags] [SPEC]", "--principal", "--context"}},
	})
}

func TestParsePrincipal(t *testing.T) {
	for in, want := range map[string]string{
		"123456789012":                             "AWS 123456789012",
		"arn:aws:iam::1:role/x":                    "AWS arn:aws:iam::1:role/x",
		"ecs-tasks.amazonaws.com":                  "Service ecs-tasks.amazonaws.com",
		"Service:ecs-tasks.example":                "Service ecs-tasks.example",
		"arn:aws:iam::1:oidc-provider/x":           "Federated arn:aws:iam::1:oidc-provider/x",
		"arn:aws:iam::1:saml-provider/x":           "Federated arn:aws:iam::1:saml-provider/x",
		"Federated:cognito-identity.amazonaws.com": "Federated cognito-identity.amazonaws.com",
	} {
		p, err := parsePrincipal(in)
		if err != nil || p.Type+" "+p.ID != want {
			t.Errorf("parsePrincipal(%q) = %+v, %v; want %s", in, p, err, want)
		}
	}
}
