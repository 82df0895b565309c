package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/internal/emulator"
	"github.com/cardinalhq/lakerunner-iam/internal/tfenv"
	"github.com/cardinalhq/lakerunner-iam/outtree"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

const tiersSpec = "../examples/lakerunner-tiers.hcl"

// TestE2ETiers applies the tiers example's two roots, the central
// production install and its satellite acme-logs, in two accounts of the
// emulator and probes the collection chain: the prober assumes the central
// process role, which assumes the satellite access role, which reads and
// deletes in the satellite's raw bucket and consumes its queue and may do
// nothing else. Every tier role is then probed for its Must-NOT list where
// the emulator enforces it (S3, SQS, IAM, STS).
func TestE2ETiers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform against an emulator; skipped with -short")
	}
	parallelOnOwnEmulators(t)
	tools := tfenv.RequireOrSkip(t)
	if tools == nil {
		return
	}
	emulator.RequireOrSkip(t)
	ctx := context.Background()

	out := filepath.Join(t.TempDir(), "out")
	res, diags := pipeline.Generate(tiersSpec, pipeline.Options{OutDir: out})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if _, err := outtree.WriteTree(out, res.Files, outtree.Options{}); err != nil {
		t.Fatal(err)
	}
	regions := map[string]string{}
	envs := map[string]*generator.Environment{}
	for _, e := range res.Model.Environments {
		regions[e.Spec.AccountID] = e.Spec.Region
		envs[e.Spec.Name] = e
	}
	central, satellite := envs["production"], envs["acme-logs"]
	if central == nil || satellite == nil || len(central.Satellites) != 1 {
		t.Fatal("the tiers example has environments production and its satellite acme-logs")
	}

	emu := emulator.StartT(t, emulator.Options{})
	s := &suite{tools: tools, emu: emu}
	s.accounts = setupAccounts(t, emu, regions)
	if !emu.IsMoto() {
		t.Skip("the probes need an endpoint that enforces IAM policies (moto)")
	}
	if err := emu.EnableAuth(ctx); err != nil {
		t.Fatal(err)
	}
	s.enforcing = true

	c := specCase{name: "tiers", spec: tiersSpec, apply: true}
	// The two roots are in accounts of their own: prove them side by side
	// (init, plan and apply in one, read back, no changes; destroy: see
	// specCase.destroy), then probe the chain between them.
	roots := map[string]*rootRun{}
	t.Run("roots", func(t *testing.T) {
		for _, e := range []*generator.Environment{central, satellite} {
			r := &rootRun{suite: s, c: c, env: e, dir: filepath.Join(out, e.Spec.Name), acct: s.accounts[e.Spec.AccountID], scope: "tiers/" + e.Spec.Name}
			roots[e.Spec.Name] = r
			t.Run(e.Spec.Name, func(t *testing.T) {
				t.Parallel()
				r.prove(t)
			})
		}
	})
	if t.Failed() {
		t.FailNow()
	}

	// The prober may assume the central tier roles (as TestE2E's probes
	// do; TestE2E/example proves the override-file way of granting it).
	cr := roots["production"]
	cr.trustProber(t)

	sat := central.Satellites[0]
	satAcct := s.accounts[satellite.Spec.AccountID]
	satRes := satellite.Spec.Resources
	otherBucket := "forbidden-e2e-" + satAcct.ID
	makeBucketsAndQueue(t, userConfig(t, emu, satAcct.Admin, satellite.Spec.Region), satellite.Spec.Region,
		[]string{satRes.S3Buckets[0], otherBucket}, satRes.SQSQueues[0])
	// A role of the satellite account that trusts the central process role
	// but is not one of its satellites: only the process role's own policy
	// keeps it out.
	unlisted := "arn:aws:iam::" + satAcct.ID + ":role/lakerunner-e2e-unlisted"
	createTrustingRole(t, userConfig(t, emu, satAcct.Admin, satellite.Spec.Region), "lakerunner-e2e-unlisted", central.Role("process-task").ARN())

	prober := userConfig(t, emu, cr.acct.Prober, central.Spec.Region)
	process, err := emu.AssumeRole(ctx, prober, central.Role("process-task").ARN(), "lakerunner")
	if err != nil {
		t.Fatalf("the prober cannot assume the process role: %v", err)
	}
	process.Region = central.Spec.Region
	if _, err := emu.AssumeRole(ctx, process, unlisted, "lakerunner"); !emulator.IsAccessDenied(err) {
		t.Errorf("the process role assumed %s, which is not a satellite role (err %v)", unlisted, err)
	}
	access, err := emu.AssumeRole(ctx, process, sat.RoleARN, "lakerunner")
	if err != nil {
		t.Fatalf("the process role cannot assume the satellite role %s: %v", sat.RoleARN, err)
	}
	access.Region = sat.Region
	if out, err := sts.NewFromConfig(access).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil || aws.ToString(out.Account) != satAcct.ID {
		t.Fatalf("the satellite session is not in account %s: %v %v", satAcct.ID, out, err)
	}
	bucket, queueURL := satRes.S3Buckets[0], sat.QueueURL
	queueURL = queueURLIn(t, userConfig(t, emu, satAcct.Admin, sat.Region), satRes.SQSQueues[0], queueURL)
	runProbes(t, "satellite-access", access, []probeCall{
		{"s3:ListBucket", bucket, true, listObjects(bucket)},
		{"s3:GetObject", bucket + "/otel-raw/probe.txt", true, getObject(bucket, "otel-raw/probe.txt")},
		{"s3:DeleteObject", bucket + "/otel-raw/delete-me.txt", true, deleteObject(bucket, "otel-raw/delete-me.txt")},
		{"s3:PutObject", bucket + "/otel-raw/written.txt", false, putObject(bucket, "otel-raw/written.txt")},
		{"s3:GetObject", otherBucket + "/otel-raw/probe.txt", false, getObject(otherBucket, "otel-raw/probe.txt")},
		{"s3:ListBucket", otherBucket, false, listObjects(otherBucket)},
		// sqs:GetQueueUrl is not probed: moto authorizes it on "*" (it
		// takes the queue from a QueueUrl parameter the call does not have),
		// where AWS uses the queue's ARN; TestTierExpectations proves it.
		{"sqs:ReceiveMessage+DeleteMessage", queueURL, true, consume(queueURL)},
		{"sqs:GetQueueAttributes", queueURL, true, queueAttributes(queueURL)},
		{"sqs:SendMessage", queueURL, false, sendMessage(queueURL)},
		{"iam:CreateUser", "lakerunner-e2e-escalation", false, createIAMUser},
	})

	// Must-NOT lists of the central tiers, on the install's own bucket and queue.
	cres := central.Spec.Resources
	cb := cres.S3Buckets[0]
	makeBucketsAndQueue(t, userConfig(t, emu, cr.acct.Admin, central.Spec.Region), central.Spec.Region, []string{cb}, cres.SQSQueues[0])
	cq := queueURLIn(t, userConfig(t, emu, cr.acct.Admin, central.Spec.Region), cres.SQSQueues[0], "")
	for _, role := range central.Roles {
		creds, err := emu.AssumeRole(ctx, prober, role.ARN(), "lakerunner-e2e-probe")
		if err != nil {
			t.Errorf("%s: the prober cannot assume it: %v", role.Name, err)
			continue
		}
		creds.Region = central.Spec.Region
		runProbes(t, role.Kind(), creds, tierProbes(role.Kind(), cb, cq, unlisted))
	}
}

// tierProbes are what a central tier role must and must not do that the
// emulator enforces, from the catalog's Required and Must-NOT lists.
func tierProbes(kind, bucket, queueURL, unlisted string) []probeCall {
	reads := kind == "process-task" || kind == "query-task" || kind == "control-task"
	return []probeCall{
		{"s3:GetObject", bucket + "/db/probe.txt", reads, getObject(bucket, "db/probe.txt")},
		{"s3:ListBucket", bucket, reads, listObjects(bucket)},
		{"s3:PutObject", bucket + "/db/written.txt", kind == "process-task", putObject(bucket, "db/written.txt")},
		{"s3:PutObject", bucket + "/otel-raw/written.txt", kind == "process-task" || kind == "otel-task", putObject(bucket, "otel-raw/written.txt")},
		{"s3:DeleteObject", bucket + "/otel-raw/delete-me.txt", kind == "process-task" || kind == "control-task", deleteObject(bucket, "otel-raw/delete-me.txt")},
		{"s3:GetObject", "forbidden bucket", false, getObject("forbidden-e2e-nowhere", "db/probe.txt")},
		{"sqs:ReceiveMessage+DeleteMessage", queueURL, kind == "process-task", consume(queueURL)},
		{"sqs:SendMessage", queueURL, false, sendMessage(queueURL)},
		{"iam:CreateUser", "lakerunner-e2e-escalation", false, createIAMUser},
		{"sts:AssumeRole", unlisted, false, func(ctx context.Context, cfg aws.Config) error {
			_, err := sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(unlisted), RoleSessionName: aws.String("x")})
			return err
		}},
	}
}

func runProbes(t *testing.T, who string, cfg aws.Config, probes []probeCall) {
	t.Helper()
	ctx := context.Background()
	for _, p := range probes {
		err := p.call(ctx, cfg)
		denied := emulator.IsAccessDenied(err)
		switch {
		case err != nil && !denied:
			t.Errorf("%s: %s on %s failed for another reason than IAM: %v", who, p.action, p.resource, err)
		case p.allowed && denied:
			t.Errorf("%s: %s on %s was denied; the role must be allowed to do it", who, p.action, p.resource)
		case !p.allowed && !denied:
			t.Errorf("%s: %s on %s was allowed; the role must not be able to do it", who, p.action, p.resource)
		}
	}
}

// makeBucketsAndQueue creates, as an account's administrator, buckets with
// a few objects and a queue holding a message.
func makeBucketsAndQueue(t *testing.T, admin aws.Config, region string, buckets []string, queue string) {
	t.Helper()
	ctx := context.Background()
	s3c := emulator.S3Client(admin)
	for _, b := range buckets {
		in := &s3.CreateBucketInput{Bucket: aws.String(b)}
		if region != "us-east-1" {
			in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
		}
		if _, err := s3c.CreateBucket(ctx, in); err != nil {
			t.Fatalf("creating bucket %s: %v", b, err)
		}
		for _, key := range []string{"otel-raw/probe.txt", "otel-raw/delete-me.txt", "db/probe.txt"} {
			if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String(key), Body: strings.NewReader("lakerunner")}); err != nil {
				t.Fatalf("creating s3://%s/%s: %v", b, key, err)
			}
		}
	}
	out, err := sqs.NewFromConfig(admin).CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(queue)})
	if err != nil {
		t.Fatalf("creating queue %s: %v", queue, err)
	}
	for range 2 {
		if _, err := sqs.NewFromConfig(admin).SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: out.QueueUrl, MessageBody: aws.String(`{"Records":[]}`)}); err != nil {
			t.Fatalf("sending to %s: %v", queue, err)
		}
	}
}

// queueURLIn is the URL the emulator gives a queue; the generated output's
// URL (want) is AWS's form, which the emulator's differs from only in host.
func queueURLIn(t *testing.T, admin aws.Config, queue, want string) string {
	t.Helper()
	out, err := sqs.NewFromConfig(admin).GetQueueUrl(context.Background(), &sqs.GetQueueUrlInput{QueueName: aws.String(queue)})
	if err != nil {
		t.Fatal(err)
	}
	got := aws.ToString(out.QueueUrl)
	if want != "" && !strings.HasSuffix(want, strings.TrimPrefix(got, got[:strings.Index(got[len("https://"):], "/")+len("https://")])) {
		t.Errorf("the central root outputs queue URL %s; the queue is %s", want, got)
	}
	return got
}

func createTrustingRole(t *testing.T, admin aws.Config, name, principal string) {
	t.Helper()
	trust := mustJSON(map[string]interface{}{"Version": "2012-10-17", "Statement": []interface{}{map[string]interface{}{
		"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": map[string]string{"AWS": principal}}}})
	c := iam.NewFromConfig(admin)
	if _, err := c.CreateRole(context.Background(), &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		t.Fatalf("creating role %s: %v", name, err)
	}
	// Before the roots' destroy, which checks that no role is left.
	t.Cleanup(func() {
		if _, err := c.DeleteRole(context.Background(), &iam.DeleteRoleInput{RoleName: aws.String(name)}); err != nil {
			t.Errorf("deleting role %s: %v", name, err)
		}
	})
}

func getObject(bucket, key string) func(context.Context, aws.Config) error {
	return func(ctx context.Context, cfg aws.Config) error {
		out, err := emulator.S3Client(cfg).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		if err == nil {
			out.Body.Close()
		}
		return err
	}
}

func putObject(bucket, key string) func(context.Context, aws.Config) error {
	return func(ctx context.Context, cfg aws.Config) error {
		_, err := emulator.S3Client(cfg).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader("probe")})
		return err
	}
}

func deleteObject(bucket, key string) func(context.Context, aws.Config) error {
	return func(ctx context.Context, cfg aws.Config) error {
		_, err := emulator.S3Client(cfg).DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		return err
	}
}

func listObjects(bucket string) func(context.Context, aws.Config) error {
	return func(ctx context.Context, cfg aws.Config) error {
		_, err := emulator.S3Client(cfg).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
		return err
	}
}

// consume receives a message and deletes it, as pubsub-sqs does.
func consume(url string) func(context.Context, aws.Config) error {
	return func(ctx context.Context, cfg aws.Config) error {
		c := sqs.NewFromConfig(cfg)
		out, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 1})
		if err != nil {
			return err
		}
		if len(out.Messages) == 0 {
			return fmt.Errorf("no message to delete in %s", url)
		}
		_, err = c.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: out.Messages[0].ReceiptHandle})
		return err
	}
}

func queueAttributes(url string) func(context.Context, aws.Config) error {
	return func(ctx context.Context, cfg aws.Config) error {
		_, err := sqs.NewFromConfig(cfg).GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{QueueUrl: aws.String(url)})
		return err
	}
}

func sendMessage(url string) func(context.Context, aws.Config) error {
	return func(ctx context.Context, cfg aws.Config) error {
		_, err := sqs.NewFromConfig(cfg).SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("probe")})
		return err
	}
}

func createIAMUser(ctx context.Context, cfg aws.Config) error {
	_, err := iam.NewFromConfig(cfg).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("lakerunner-e2e-escalation")})
	return err
}
