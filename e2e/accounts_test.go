package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/cardinalhq/lakerunner-iam/internal/emulator"
)

// account is one AWS account of the emulator and its two users.
type account struct {
	ID string
	// Admin may do anything; Terraform runs as it.
	Admin *emulator.User
	// Prober may only assume roles; the probes run as it, through the
	// roles under test.
	Prober *emulator.User
}

const (
	adminPolicy  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	proberPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`
)

// inAccount makes SDK calls act in account id, in region (moto keeps a
// partition's IAM apart: GovCloud users must be made in a GovCloud
// region). moto takes the account from this header; LocalStack takes it
// from a 12-digit access key ID.
func inAccount(emu *emulator.Emulator, id, region string) (aws.Config, error) {
	if !emu.IsMoto() {
		cfg, err := emu.AWSConfig(context.Background(), id, "test", "")
		cfg.Region = region
		return cfg, err
	}
	cfg, err := emu.AWSConfig(context.Background(), "", "", "")
	if err != nil {
		return cfg, err
	}
	cfg.Region = region
	// As userConfig: moto's development server sometimes closes a
	// kept-alive connection under load ("use of closed network
	// connection"), which the standard retryer retries.
	cfg.Retryer = func() aws.Retryer { return retry.AddWithMaxAttempts(retry.NewStandard(), 4) }
	cfg.APIOptions = append(cfg.APIOptions, func(stack *middleware.Stack) error {
		return stack.Build.Add(middleware.BuildMiddlewareFunc("MotoAccountID",
			func(ctx context.Context, in middleware.BuildInput, next middleware.BuildHandler) (middleware.BuildOutput, middleware.Metadata, error) {
				if req, ok := in.Request.(*smithyhttp.Request); ok {
					req.Header.Set("x-moto-account-id", id)
				}
				return next.HandleBuild(ctx, in)
			}), middleware.After)
	})
	return cfg, nil
}

// setupAccounts creates the admin and prober users of each account while
// the emulator does not enforce policies yet.
func setupAccounts(t *testing.T, emu *emulator.Emulator, regions map[string]string) map[string]*account {
	t.Helper()
	ctx := context.Background()
	accounts := map[string]*account{}
	for _, id := range slices.Sorted(maps.Keys(regions)) {
		cfg, err := inAccount(emu, id, regions[id])
		if err != nil {
			t.Fatal(err)
		}
		c := iam.NewFromConfig(cfg)
		acct := &account{ID: id}
		for _, u := range []struct {
			name, policy string
			dst          **emulator.User
		}{{"lakerunner-e2e-admin", adminPolicy, &acct.Admin}, {"lakerunner-e2e-prober", proberPolicy, &acct.Prober}} {
			user, err := createUser(ctx, c, u.name, u.policy)
			if err != nil {
				t.Fatalf("account %s: %v", id, err)
			}
			*u.dst = user
		}
		accounts[id] = acct
	}
	return accounts
}

func createUser(ctx context.Context, c *iam.Client, name, policy string) (*emulator.User, error) {
	out, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("creating user %s: %w", name, err)
	}
	if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{
		UserName: aws.String(name), PolicyName: aws.String("e2e"), PolicyDocument: aws.String(policy),
	}); err != nil {
		return nil, fmt.Errorf("policy of user %s: %w", name, err)
	}
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("access key of user %s: %w", name, err)
	}
	return &emulator.User{
		Name:            name,
		ARN:             aws.ToString(out.User.Arn),
		AccessKeyID:     aws.ToString(key.AccessKey.AccessKeyId),
		SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey),
	}, nil
}

// userConfig is an SDK config acting as user in region. Unlike the
// emulator's default it retries: moto's development server sometimes
// closes a kept-alive connection under load.
func userConfig(t *testing.T, emu *emulator.Emulator, u *emulator.User, region string) aws.Config {
	t.Helper()
	cfg, err := u.Config(context.Background(), emu)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Region = region
	cfg.Retryer = func() aws.Retryer { return retry.AddWithMaxAttempts(retry.NewStandard(), 4) }
	return cfg
}

// mustJSON is for building policy documents in tests.
func mustJSON(v interface{}) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
