package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/internal/emulator"
	"github.com/cardinalhq/lakerunner-iam/internal/tfenv"
	"github.com/cardinalhq/lakerunner-iam/outtree"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
	"github.com/cardinalhq/lakerunner-iam/schema"
)

// teamStateSpec has one environment that locks its S3 state with a lock
// file and one that locks it with a DynamoDB table.
const teamStateSpec = "../testdata/specs/team-state.hcl"

// TestTeamState proves the S3 backend that gen writes for backend blocks,
// on an emulator of its own, for each environment of teamStateSpec:
// terraform init reaches the emulator through -backend-config alone (a
// backend block cannot use variables, so this is how a team points it at
// LocalStack); while one apply holds the state lock a second apply is
// refused; afterwards the state is in S3 and the lock is gone; and (for
// secondCopyEnvironment) a second working copy, another member of the
// team, plans against the same state and finds nothing to change.
func TestTeamState(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform against an emulator; skipped with -short")
	}
	t.Parallel() // its own emulators: overlaps with the other e2e tests
	tools := tfenv.RequireOrSkip(t)
	if tools == nil {
		return
	}
	emulator.RequireOrSkip(t)
	res, diags := pipeline.Generate(teamStateSpec, pipeline.Options{OutDir: "out"})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}

	done := timings.track("team-state", "emulator")
	emu := emulator.StartT(t, emulator.Options{})
	regions := map[string]string{}
	for _, e := range res.Model.Environments {
		regions[e.Spec.AccountID] = e.Spec.Region
	}
	accounts := setupAccounts(t, emu, regions)
	done()

	for _, env := range res.Model.Environments {
		env := env
		t.Run(env.Spec.Name, func(t *testing.T) {
			t.Parallel()
			s := &stateRun{tools: tools, emu: emu, files: res.Files, env: env, acct: accounts[env.Spec.AccountID], scope: "team-state/" + env.Spec.Name}
			s.prove(t)
		})
	}
}

// secondCopyEnvironment is the environment of teamStateSpec whose state a
// second working copy reads back.
const secondCopyEnvironment = "production"

// stateRun proves one environment's backend.
type stateRun struct {
	tools *tfenv.Tools
	emu   *emulator.Emulator
	files []generator.File
	env   *generator.Environment
	acct  *account
	scope string
}

func (s *stateRun) backend() *schema.Backend { return s.env.Spec.Backend }

// lockHolder is the ID of the state lock as the backend stores it, "" when
// the state is not locked.
type lockHolder func(ctx context.Context) (string, error)

func (s *stateRun) prove(t *testing.T) {
	ctx := context.Background()
	b := s.backend()
	admin := userConfig(t, s.emu, s.acct.Admin, b.Region)
	held := s.createStateStore(t, admin)

	dir := s.workingCopy(t)
	tf := s.terraform(t, dir)
	s.step(t, "init", func() error { return tf.Init(ctx, s.initOptions()...) })

	// Apply, and hold it at its confirmation prompt: Terraform keeps the
	// state locked until the apply ends.
	holder := s.startApply(t, dir)
	lockID := s.waitForLock(t, held, holder)
	s.step(t, "refused apply", func() error {
		err := tf.Apply(ctx, s.endpointVar(), tfexec.LockTimeout("0s"))
		switch {
		case err == nil:
			return errors.New("a second apply ran while the first held the state lock")
		case !strings.Contains(err.Error(), "Error acquiring the state lock") || !strings.Contains(err.Error(), lockID):
			return fmt.Errorf("a second apply failed, but not on the lock %s held by the first: %v", lockID, err)
		}
		return nil
	})
	s.step(t, "apply", holder.confirm)

	if id, err := held(ctx); err != nil || id != "" {
		t.Errorf("after apply the state is still locked (%q, %v)", id, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "terraform.tfstate")); err == nil {
		t.Errorf("apply wrote a local terraform.tfstate; the state belongs in s3://%s/%s", b.Bucket, b.Key)
	}
	s.checkState(t, admin)

	// Another member of the team: a fresh copy of the generated files
	// finds the state in S3 and nothing to change. Without refresh, the
	// plan compares the configuration with that state alone. The backends
	// differ only in how they lock, which the refused apply proved for
	// each, so one environment proves this for both.
	if s.env.Spec.Name != secondCopyEnvironment {
		return
	}
	other := s.terraform(t, s.workingCopy(t))
	s.step(t, "init 2", func() error { return other.Init(ctx, s.initOptions()...) })
	var changed bool
	s.step(t, "plan 2", func() error {
		var err error
		changed, err = other.Plan(ctx, s.endpointVar(), tfexec.Refresh(false))
		return err
	})
	if changed {
		t.Errorf("%s: a second working copy plans changes: it does not see the state the first applied", s.scope)
	}
}

// createStateStore makes the state bucket (and the lock table), as a team
// does once before the first init, and returns how to read the lock.
func (s *stateRun) createStateStore(t *testing.T, admin aws.Config) lockHolder {
	t.Helper()
	ctx := context.Background()
	b := s.backend()
	in := &s3.CreateBucketInput{Bucket: aws.String(b.Bucket)}
	if b.Region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(b.Region)}
	}
	if _, err := emulator.S3Client(admin).CreateBucket(ctx, in); err != nil {
		t.Fatalf("creating state bucket %s: %v", b.Bucket, err)
	}
	if *b.UseLockfile == (b.DynamoDBTable != "") {
		t.Fatalf("%s: the test expects one lock per environment, a lock file or a DynamoDB table", s.scope)
	}
	if *b.UseLockfile {
		// Terraform writes <key>.tflock with If-None-Match: *, which moto
		// (5.2 and later) refuses with 412 while the object exists.
		return func(ctx context.Context) (string, error) {
			out, err := emulator.S3Client(admin).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.Bucket), Key: aws.String(b.Key + ".tflock")})
			var missing *s3types.NoSuchKey
			if errors.As(err, &missing) {
				return "", nil
			}
			if err != nil {
				return "", err
			}
			defer out.Body.Close()
			return lockInfoID(out.Body)
		}
	}
	lockID := b.Bucket + "/" + b.Key
	if err := dynamoDB(ctx, admin, s.emu.Endpoint(), "CreateTable", map[string]any{
		"TableName":            b.DynamoDBTable,
		"AttributeDefinitions": []map[string]string{{"AttributeName": "LockID", "AttributeType": "S"}},
		"KeySchema":            []map[string]string{{"AttributeName": "LockID", "KeyType": "HASH"}},
		"BillingMode":          "PAY_PER_REQUEST",
	}, nil); err != nil {
		t.Fatalf("creating lock table %s: %v", b.DynamoDBTable, err)
	}
	return func(ctx context.Context) (string, error) {
		var out struct {
			Item struct{ Info struct{ S string } }
		}
		err := dynamoDB(ctx, admin, s.emu.Endpoint(), "GetItem", map[string]any{
			"TableName": b.DynamoDBTable,
			"Key":       map[string]any{"LockID": map[string]string{"S": lockID}},
		}, &out)
		if err != nil || out.Item.Info.S == "" {
			return "", err
		}
		return lockInfoID(strings.NewReader(out.Item.Info.S))
	}
}

// lockInfoID reads the ID of a Terraform lock info document.
func lockInfoID(r io.Reader) (string, error) {
	var info struct{ ID string }
	if err := json.NewDecoder(r).Decode(&info); err != nil {
		return "", fmt.Errorf("reading lock info: %w", err)
	}
	if info.ID == "" {
		return "", errors.New("lock info without an ID")
	}
	return info.ID, nil
}

// workingCopy writes the generated files into a new directory and returns
// the environment's root in it.
func (s *stateRun) workingCopy(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	if _, err := outtree.WriteTree(out, s.files, outtree.Options{}); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(out, s.env.Spec.Name)
}

// environ is what terraform runs with: the account's administrator, and
// no AWS_ENDPOINT_URL, so that the backend finds the emulator only through
// -backend-config and the provider only through var.aws_endpoint.
func (s *stateRun) environ() map[string]string {
	env := s.tools.Env()
	for k, v := range s.emu.EnvVars(s.acct.Admin.AccessKeyID, s.acct.Admin.SecretAccessKey, "") {
		env[k] = v
	}
	delete(env, "AWS_ENDPOINT_URL")
	env["AWS_REGION"], env["AWS_DEFAULT_REGION"] = s.env.Spec.Region, s.env.Spec.Region
	env["AWS_EC2_METADATA_DISABLED"] = "true"
	return env
}

func (s *stateRun) terraform(t *testing.T, dir string) *tfexec.Terraform {
	t.Helper()
	tf, err := s.tools.NewTerraform(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := tf.SetEnv(s.environ()); err != nil {
		t.Fatal(err)
	}
	return tf
}

// initOptions point the S3 backend at the emulator, as README "Team state"
// documents.
func (s *stateRun) initOptions() []tfexec.InitOption {
	endpoints := fmt.Sprintf(`endpoints={s3=%q}`, s.emu.Endpoint())
	if s.backend().DynamoDBTable != "" {
		endpoints = fmt.Sprintf(`endpoints={s3=%q,dynamodb=%q}`, s.emu.Endpoint(), s.emu.Endpoint())
	}
	return append(s.tools.InitOptions(),
		tfexec.BackendConfig(endpoints),
		tfexec.BackendConfig("use_path_style=true"),
		tfexec.BackendConfig("skip_credentials_validation=true"),
		tfexec.BackendConfig("skip_requesting_account_id=true"),
	)
}

func (s *stateRun) endpointVar() *tfexec.VarOption {
	return tfexec.Var("aws_endpoint=" + s.emu.Endpoint())
}

func (s *stateRun) step(t *testing.T, name string, f func() error) {
	t.Helper()
	done := timings.track(s.scope, name)
	err := f()
	done()
	if err != nil {
		t.Fatalf("%s: %s: %v", s.scope, name, err)
	}
}

// pendingApply is a terraform apply waiting at its confirmation prompt.
type pendingApply struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	output *syncBuffer
	exited chan error
}

// startApply starts an interactive terraform apply in dir; the test's
// cleanup ends it if the test does not.
func (s *stateRun) startApply(t *testing.T, dir string) *pendingApply {
	t.Helper()
	cmd := exec.Command(s.tools.Terraform, "apply", "-no-color", "-var", "aws_endpoint="+s.emu.Endpoint())
	cmd.Dir = dir
	for k, v := range s.environ() {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &pendingApply{cmd: cmd, output: &syncBuffer{}, exited: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.output, p.output
	var err error
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- cmd.Wait() }()
	t.Cleanup(func() {
		p.stdin.Close() // at the prompt, end of input cancels the apply and releases the lock
		select {
		case <-p.exited:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// confirm answers the prompt and waits for the apply to finish.
func (p *pendingApply) confirm() error {
	if _, err := io.WriteString(p.stdin, "yes\n"); err != nil {
		return err
	}
	p.stdin.Close()
	select {
	case err := <-p.exited:
		p.exited <- err // for the cleanup
		if err != nil || !strings.Contains(p.output.String(), "Apply complete!") {
			return fmt.Errorf("terraform apply: %v\n%s", err, p.output.String())
		}
		return nil
	case <-time.After(3 * time.Minute):
		return fmt.Errorf("terraform apply did not finish:\n%s", p.output.String())
	}
}

// waitForLock waits until the backend shows the state lock that apply
// holds, and returns its ID.
func (s *stateRun) waitForLock(t *testing.T, held lockHolder, apply *pendingApply) string {
	t.Helper()
	defer timings.track(s.scope, "lock")()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		id, err := held(context.Background())
		if err != nil {
			t.Fatalf("%s: reading the state lock: %v", s.scope, err)
		}
		if id != "" {
			return id
		}
		select {
		case err := <-apply.exited:
			apply.exited <- err
			t.Fatalf("%s: terraform apply ended before it locked the state: %v\n%s", s.scope, err, apply.output.String())
		case <-time.After(100 * time.Millisecond):
		}
	}
	t.Fatalf("%s: terraform apply did not lock the state within a minute:\n%s", s.scope, apply.output.String())
	return ""
}

// checkState reads the state from S3: every role of the environment is in
// it.
func (s *stateRun) checkState(t *testing.T, admin aws.Config) {
	t.Helper()
	b := s.backend()
	out, err := emulator.S3Client(admin).GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(b.Bucket), Key: aws.String(b.Key)})
	if err != nil {
		t.Fatalf("no state at s3://%s/%s after apply: %v", b.Bucket, b.Key, err)
	}
	defer out.Body.Close()
	var state struct {
		Serial    int
		Resources []struct{ Module, Type string }
	}
	if err := json.NewDecoder(out.Body).Decode(&state); err != nil {
		t.Fatalf("s3://%s/%s: %v", b.Bucket, b.Key, err)
	}
	roles := map[string]bool{}
	for _, r := range state.Resources {
		if r.Type == "aws_iam_role" {
			roles[r.Module] = true
		}
	}
	var want []string
	for _, r := range s.env.Roles {
		want = append(want, "module."+r.ModuleName())
	}
	sort.Strings(want)
	if got := slices.Sorted(maps.Keys(roles)); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("s3://%s/%s holds the roles of %v, want %v", b.Bucket, b.Key, got, want)
	}
}

// dynamoDB calls an action of DynamoDB's JSON API, signed as cfg's user.
// Two calls do not warrant the SDK's DynamoDB client as a dependency.
func dynamoDB(ctx context.Context, cfg aws.Config, endpoint, action string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint+"/", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+action)
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "dynamodb", cfg.Region, time.Now()); err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("DynamoDB %s: %s: %s", action, resp.Status, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

// syncBuffer is an output buffer that a running command writes and the
// test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
