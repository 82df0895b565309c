package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/internal/emulator"
)

// probeTargets are the resources probes touch: one of each kind the spec
// scopes the roles to, and one of each it does not.
type probeTargets struct {
	bucket, otherBucket   string
	queueURL, otherQueue  string
	queueARN, otherQueueA string
}

// probe is the console guide's "Testing IAM Roles", automated: assume each
// role and show that what it must do is allowed and what it must not do is
// denied. Roles trust a test principal through the module's
// trusted_principal_arns input, set in an override file, which is how
// people grant break-glass access too. The emulator evaluates no
// confused-deputy condition (and cannot assume a role trusted only by a
// service), so the override also turns those conditions off; the trust
// policies themselves were checked in plan and read-back.
func (r *rootRun) probe(t *testing.T) {
	if !r.enforcing {
		t.Logf("%s: the AWS endpoint does not enforce IAM policies; probes skipped", r.scope)
		return
	}
	ctx := context.Background()
	if r.c.probeByOverride {
		r.writeProbeOverride(t)
		r.step(t, "apply-probe", func() error { return r.tf.Apply(ctx, r.endpointVar(), tfexec.Refresh(false)) })
	} else {
		r.trustProber(t)
	}
	targets := r.createTargets(t)
	defer timings.track(r.scope, "probes")()

	prober := userConfig(t, r.emu, r.acct.Prober, r.env.Spec.Region)
	for _, role := range r.env.Roles {
		if !probeable(role) {
			continue
		}
		creds, err := r.emu.AssumeRole(ctx, prober, role.ARN(), "lakerunner-e2e-probe")
		if err != nil {
			t.Errorf("%s (%s): the test principal cannot assume it: %v", role.Name, role.Kind(), err)
			continue
		}
		creds.Region = r.env.Spec.Region
		for _, p := range probesFor(role.Kind(), targets) {
			err := p.call(ctx, creds)
			denied := emulator.IsAccessDenied(err)
			switch {
			case err != nil && !denied:
				t.Errorf("%s (%s): %s on %s failed for another reason than IAM: %v", role.Name, role.Kind(), p.action, p.resource, err)
			case p.allowed && denied:
				t.Errorf("%s (%s): %s on %s was denied; the role must be allowed to do it", role.Name, role.Kind(), p.action, p.resource)
			case !p.allowed && !denied:
				t.Errorf("%s (%s): %s on %s was allowed; the role must not be able to do it (least privilege)", role.Name, role.Kind(), p.action, p.resource)
			}
		}
	}
}

// probeable: roles a test principal can be made to assume. The cross-
// account role trusts other accounts' root principals, which the emulator
// never matches. The auditor of examples/templates/ trusts principals of
// its account, which the override replaces with the test principal.
func probeable(r *generator.Role) bool {
	return r.Template.Trust.Service != "" || r.Kind() == "auditor"
}

// trustProber lets the prober assume every probeable role by replacing
// its trust policy through IAM, as the account's administrator: what
// writeProbeOverride and an apply do, without starting terraform. The
// trust the module writes was read back before.
func (r *rootRun) trustProber(t *testing.T) {
	t.Helper()
	defer timings.track(r.scope, "trust-prober")()
	trust, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]string{"AWS": r.acct.Prober.ARN},
			"Action":    "sts:AssumeRole",
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := r.iam(t)
	for _, role := range r.env.Roles {
		if !probeable(role) {
			continue
		}
		if _, err := c.UpdateAssumeRolePolicy(context.Background(), &iam.UpdateAssumeRolePolicyInput{
			RoleName: aws.String(role.Name), PolicyDocument: aws.String(string(trust)),
		}); err != nil {
			t.Fatalf("%s: trusting the prober: %v", role.Name, err)
		}
	}
}

// writeProbeOverride writes out/<env>/e2e_override.tf, letting the prober
// assume every probeable role.
func (r *rootRun) writeProbeOverride(t *testing.T) {
	t.Helper()
	f := hclwrite.NewEmptyFile()
	for _, role := range r.env.Roles {
		if !probeable(role) {
			continue
		}
		b := f.Body().AppendNewBlock("module", []string{role.ModuleName()}).Body()
		b.SetAttributeValue("trusted_principal_arns", cty.ListVal([]cty.Value{cty.StringVal(r.acct.Prober.ARN)}))
		if role.Module.Has("confused_deputy_protection") {
			b.SetAttributeValue("confused_deputy_protection", cty.False)
		}
		// The auditor (examples/templates/auditor.hcl) trusts principals of
		// its own in a separate statement, and moto refuses AssumeRole
		// when any trust statement names only other principals.
		if role.Module.Has("auditor_principal_arns") {
			b.SetAttributeValue("auditor_principal_arns", cty.ListVal([]cty.Value{cty.StringVal(r.acct.Prober.ARN)}))
		}
	}
	if err := os.WriteFile(filepath.Join(r.dir, "e2e_override.tf"), hclwrite.Format(f.Bytes()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// createTargets makes, as the account's administrator, a bucket and a
// queue that the spec scopes the roles to and one of each that it does not.
func (r *rootRun) createTargets(t *testing.T) probeTargets {
	t.Helper()
	ctx := context.Background()
	res := r.env.Spec.Resources
	name := func(pattern, fill string) string { return strings.ReplaceAll(pattern, "*", fill) }
	tg := probeTargets{
		bucket:      name(res.S3Buckets[0], "e2e-"+r.acct.ID),
		otherBucket: "forbidden-e2e-" + r.acct.ID,
	}
	admin := userConfig(t, r.emu, r.acct.Admin, r.env.Spec.Region)
	s3c := emulator.S3Client(admin)
	for _, b := range []string{tg.bucket, tg.otherBucket} {
		in := &s3.CreateBucketInput{Bucket: aws.String(b)}
		if r.env.Spec.Region != "us-east-1" {
			in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(r.env.Spec.Region)}
		}
		if _, err := s3c.CreateBucket(ctx, in); err != nil {
			t.Fatalf("creating bucket %s: %v", b, err)
		}
		for _, key := range []string{"probe/existing.txt", "probe/delete-me.txt"} {
			if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(b), Key: aws.String(key), Body: strings.NewReader("lakerunner")}); err != nil {
				t.Fatalf("creating s3://%s/%s: %v", b, key, err)
			}
		}
	}
	sqsc := sqs.NewFromConfig(admin)
	for _, q := range []struct {
		name     string
		url, arn *string
	}{
		{name(res.SQSQueues[0], "e2e"), &tg.queueURL, &tg.queueARN},
		{"forbidden-e2e", &tg.otherQueue, &tg.otherQueueA},
	} {
		out, err := sqsc.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(q.name)})
		if err != nil {
			t.Fatalf("creating queue %s: %v", q.name, err)
		}
		*q.url = aws.ToString(out.QueueUrl)
		*q.arn = fmt.Sprintf("arn:aws:sqs:%s:%s:%s", r.env.Spec.Region, r.acct.ID, q.name)
	}
	return tg
}

// probeCall is one AWS call made with a role's credentials.
type probeCall struct {
	action, resource string
	allowed          bool
	call             func(context.Context, aws.Config) error
}

// probesFor lists what a role of a kind must and must not be able to do.
func probesFor(kind string, tg probeTargets) []probeCall {
	s3obj := func(bucket, key string) string { return "arn:aws:s3:::" + bucket + "/" + key }
	get := func(bucket string) func(context.Context, aws.Config) error {
		return func(ctx context.Context, cfg aws.Config) error {
			out, err := emulator.S3Client(cfg).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("probe/existing.txt")})
			if err == nil {
				out.Body.Close()
			}
			return err
		}
	}
	put := func(bucket string) func(context.Context, aws.Config) error {
		return func(ctx context.Context, cfg aws.Config) error {
			_, err := emulator.S3Client(cfg).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("probe/written.txt"), Body: strings.NewReader("probe")})
			return err
		}
	}
	list := func(bucket string) func(context.Context, aws.Config) error {
		return func(ctx context.Context, cfg aws.Config) error {
			_, err := emulator.S3Client(cfg).ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
			return err
		}
	}
	del := func(bucket string) func(context.Context, aws.Config) error {
		return func(ctx context.Context, cfg aws.Config) error {
			_, err := emulator.S3Client(cfg).DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String("probe/delete-me.txt")})
			return err
		}
	}
	send := func(url string) func(context.Context, aws.Config) error {
		return func(ctx context.Context, cfg aws.Config) error {
			_, err := sqs.NewFromConfig(cfg).SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("probe")})
			return err
		}
	}
	receive := func(url string) func(context.Context, aws.Config) error {
		return func(ctx context.Context, cfg aws.Config) error {
			_, err := sqs.NewFromConfig(cfg).ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url)})
			return err
		}
	}
	createUser := func(ctx context.Context, cfg aws.Config) error {
		_, err := iam.NewFromConfig(cfg).CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("lakerunner-e2e-escalation")})
		return err
	}
	whoami := func(ctx context.Context, cfg aws.Config) error {
		_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	}

	data, query := kind == "data-task", kind == "query-task"
	query = query || kind == "auditor" // examples/templates/auditor.hcl reads the buckets as query-task does
	return []probeCall{
		{"sts:GetCallerIdentity", "*", true, whoami},
		{"s3:GetObject", s3obj(tg.bucket, "probe/existing.txt"), data || query, get(tg.bucket)},
		{"s3:ListBucket", "arn:aws:s3:::" + tg.bucket, data || query, list(tg.bucket)},
		{"s3:PutObject", s3obj(tg.bucket, "probe/written.txt"), data, put(tg.bucket)},
		{"s3:DeleteObject", s3obj(tg.bucket, "probe/delete-me.txt"), data, del(tg.bucket)},
		{"s3:GetObject", s3obj(tg.otherBucket, "probe/existing.txt"), false, get(tg.otherBucket)},
		{"s3:ListBucket", "arn:aws:s3:::" + tg.otherBucket, false, list(tg.otherBucket)},
		{"s3:PutObject", s3obj(tg.otherBucket, "probe/written.txt"), false, put(tg.otherBucket)},
		{"sqs:SendMessage", tg.queueARN, data, send(tg.queueURL)},
		{"sqs:ReceiveMessage", tg.queueARN, data, receive(tg.queueURL)},
		{"sqs:SendMessage", tg.otherQueueA, false, send(tg.otherQueue)},
		{"sqs:ReceiveMessage", tg.otherQueueA, false, receive(tg.otherQueue)},
		{"iam:CreateUser", "arn:aws:iam::*:user/lakerunner-e2e-escalation", false, createUser},
	}
}
