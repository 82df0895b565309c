package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/cardinalhq/lakerunner-iam/internal/emulator"
)

// doc renders an IAM policy document.
func doc(t *testing.T, statements ...map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPolicyEnforcement pins the moto behaviour documented in doc.go:
// (a) a user named in a trust policy next to a Service principal can
// assume the role, (c) the role's inline policy allows and denies S3 and
// SQS calls per resource, (e) IAM calls it does not grant are denied, and
// the quirks (b) and (d).
func TestPolicyEnforcement(t *testing.T) {
	if testing.Short() {
		t.Skip("starts moto_server")
	}
	e := emulator.StartT(t, emulator.Options{})
	if !e.IsMoto() {
		t.Skip("policy enforcement is only checked against moto")
	}
	ctx := context.Background()
	if e.Pgid() == 0 { // an external moto may hold an earlier run's state
		if err := e.Reset(ctx); err != nil {
			t.Fatal(err)
		}
	}
	admin, err := e.AWSConfig(ctx, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	iamc, s3c, sqsc := iam.NewFromConfig(admin), emulator.S3Client(admin), sqs.NewFromConfig(admin)

	// Set up while enforcement is off.
	user, err := e.CreateUser(ctx, "lakerunner-e2e", doc(t, map[string]any{
		"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*",
	}))
	if err != nil {
		t.Fatal(err)
	}
	queues := map[string]string{}
	for _, q := range []string{"lakerunner-test", "other-queue"} {
		out, err := sqsc.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(q)})
		if err != nil {
			t.Fatal(err)
		}
		queues[q] = aws.ToString(out.QueueUrl)
	}
	queueARN := func(name string) string {
		out, err := sqsc.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
			QueueUrl: aws.String(queues[name]), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameQueueArn},
		})
		if err != nil {
			t.Fatal(err)
		}
		return out.Attributes["QueueArn"]
	}
	for _, b := range []string{"lakerunner-test", "other-bucket"} {
		if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String("seed.txt"), Body: strings.NewReader("seed")}); err != nil {
			t.Fatal(err)
		}
	}
	workerPolicy := doc(t,
		map[string]any{"Effect": "Allow", "Action": []string{"s3:GetObject", "s3:PutObject"}, "Resource": "arn:aws:s3:::lakerunner-test/*"},
		map[string]any{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::lakerunner-test"},
		map[string]any{"Effect": "Allow", "Action": []string{"sqs:ReceiveMessage", "sqs:SendMessage"}, "Resource": queueARN("lakerunner-test")},
	)
	roles := map[string]string{
		"worker": doc(t, map[string]any{"Effect": "Allow", "Action": "sts:AssumeRole",
			"Principal": map[string]any{"Service": "ecs-tasks.amazonaws.com", "AWS": user.ARN}}),
		"service-only": doc(t, map[string]any{"Effect": "Allow", "Action": "sts:AssumeRole",
			"Principal": map[string]any{"Service": "ecs-tasks.amazonaws.com"}}),
		"conditional": doc(t, map[string]any{"Effect": "Allow", "Action": "sts:AssumeRole",
			"Principal": map[string]any{"AWS": user.ARN},
			"Condition": map[string]any{
				"StringEquals": map[string]any{"aws:SourceAccount": "999999999999", "cloudwatch:namespace": "Nope"},
			}}),
	}
	roleARN := map[string]string{}
	for name, trust := range roles {
		out, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})
		if err != nil {
			t.Fatal(err)
		}
		roleARN[name] = aws.ToString(out.Role.Arn)
		if _, err := iamc.PutRolePolicy(ctx, &iam.PutRolePolicyInput{
			RoleName: aws.String(name), PolicyName: aws.String("worker"), PolicyDocument: aws.String(workerPolicy),
		}); err != nil {
			t.Fatal(err)
		}
	}

	if err := e.EnableAuth(ctx); err != nil {
		t.Fatal(err)
	}
	// Enforcement is on: the default credentials are unknown to moto.
	if _, err := sts.NewFromConfig(admin).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err == nil {
		t.Fatal("default credentials still accepted after EnableAuth")
	}
	userCfg, err := user.Config(ctx, e)
	if err != nil {
		t.Fatal(err)
	}

	// (a) The user named next to a Service principal may assume the role.
	roleCfg, err := e.AssumeRole(ctx, userCfg, roleARN["worker"], "e2e")
	if err != nil {
		t.Fatalf("(a) AssumeRole worker: %v", err)
	}
	who, err := sts.NewFromConfig(roleCfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(aws.ToString(who.Arn), ":assumed-role/worker/e2e") {
		t.Errorf("(a) caller is %s", aws.ToString(who.Arn))
	}

	// (b) A trust policy with only a Service principal cannot be assumed by
	// the user; moto 5.2.1 answers 500 rather than AccessDenied.
	_, err = e.AssumeRole(ctx, userCfg, roleARN["service-only"], "e2e")
	var re *awshttp.ResponseError
	switch {
	case err == nil:
		t.Error("(b) AssumeRole on a Service-only trust succeeded")
	case errors.As(err, &re) && re.HTTPStatusCode() == 500:
		t.Logf("(b) AssumeRole on a Service-only trust: HTTP 500 (known moto crash)")
	default:
		t.Logf("(b) AssumeRole on a Service-only trust now fails with %v: update doc.go", err)
	}

	// (d) Conditions on keys moto does not supply count as met.
	if _, err := e.AssumeRole(ctx, userCfg, roleARN["conditional"], "e2e"); err != nil {
		t.Errorf("(d) AssumeRole with unsatisfiable aws:SourceAccount and cloudwatch:namespace conditions: %v; update doc.go", err)
	}

	// (c) The inline policy decides S3 and SQS calls per resource.
	rs3, rsqs := emulator.S3Client(roleCfg), sqs.NewFromConfig(roleCfg)
	type call struct {
		name    string
		allowed bool
		do      func() error
	}
	var calls []call
	for _, c := range []struct {
		bucket, queue string
		allowed       bool
	}{{"lakerunner-test", "lakerunner-test", true}, {"other-bucket", "other-queue", false}} {
		calls = append(calls,
			call{"s3:GetObject " + c.bucket, c.allowed, func() error {
				out, err := rs3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(c.bucket), Key: aws.String("seed.txt")})
				if err == nil {
					out.Body.Close()
				}
				return err
			}},
			call{"s3:PutObject " + c.bucket, c.allowed, func() error {
				_, err := rs3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(c.bucket), Key: aws.String("new.txt"), Body: strings.NewReader("new")})
				return err
			}},
			call{"s3:ListBucket " + c.bucket, c.allowed, func() error {
				_, err := rs3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(c.bucket), Prefix: aws.String("se")})
				return err
			}},
			call{"sqs:SendMessage " + c.queue, c.allowed, func() error {
				_, err := rsqs.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(queues[c.queue]), MessageBody: aws.String("hi")})
				return err
			}},
			call{"sqs:ReceiveMessage " + c.queue, c.allowed, func() error {
				_, err := rsqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(queues[c.queue])})
				return err
			}},
		)
	}
	// (e) IAM calls the role was not granted are denied.
	calls = append(calls, call{"iam:CreateUser", false, func() error {
		_, err := iam.NewFromConfig(roleCfg).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("intruder")})
		return err
	}})
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			err := c.do()
			switch {
			case c.allowed && err != nil:
				t.Errorf("denied: %v", err)
			case !c.allowed && !emulator.IsAccessDenied(err):
				t.Errorf("want AccessDenied, got %v", err)
			}
		})
	}

	// Known quirk: listing with a "/" delimiter fails moto's signature
	// check (it re-encodes the query string differently).
	_, err = rs3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lakerunner-test"), Delimiter: aws.String("/")})
	t.Logf(`ListObjectsV2 with Delimiter "/" under enforcement: %v`, err)

	// Reset wipes everything and turns enforcement off again.
	if err := e.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := iamc.ListRoles(ctx, &iam.ListRolesInput{}); err != nil {
		t.Errorf("default credentials rejected after Reset: %v", err)
	}
}

// TestEnvVars drives the AWS CLI, when installed, with EnvVars.
func TestEnvVars(t *testing.T) {
	aws, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("the aws CLI is not installed; EnvVars is also covered by the Terraform e2e tests")
	}
	e := emulator.Shared(t)
	cmd := exec.Command(aws, "sts", "get-caller-identity", "--output", "json")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") { // no profile or credentials of the developer's
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range e.EnvVars("", "", "") {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(string(out), `"Account"`) {
		t.Errorf("unexpected output:\n%s", out)
	}
}
