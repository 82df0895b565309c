package emulator

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// EnableAuth turns on moto's policy enforcement: from now on every call
// must be signed with credentials moto issued (an IAM user's access key or
// assumed-role credentials) and is allowed or denied by the caller's
// policies. The DefaultAccessKey credentials stop working, so create the
// test user with CreateUser first.
func (e *Emulator) EnableAuth(ctx context.Context) error {
	return e.resetAuth(ctx, "0")
}

// DisableAuth turns moto's policy enforcement off again.
func (e *Emulator) DisableAuth(ctx context.Context) error {
	return e.resetAuth(ctx, "inf")
}

// resetAuth sets how many more calls moto lets through unauthenticated.
// moto 5.2.1 parses the raw body with float(), so it must be a bare number
// ("0", "inf") sent with a non-form content type: a JSON object, or a
// form-encoded body (which Flask consumes), answers 500.
func (e *Emulator) resetAuth(ctx context.Context, count string) error {
	return e.motoPost(ctx, "/moto-api/reset-auth", count)
}

// Reset deletes everything in the emulator and turns policy enforcement
// off. moto's own reset keeps enforcement on while deleting every user,
// which would lock all clients out, hence the DisableAuth first.
func (e *Emulator) Reset(ctx context.Context) error {
	if err := e.DisableAuth(ctx); err != nil {
		return err
	}
	return e.motoPost(ctx, "/moto-api/reset", "")
}

func (e *Emulator) motoPost(ctx context.Context, path, body string) error {
	if !e.isMoto {
		return fmt.Errorf("emulator: %s needs moto, and %s is not moto", path, e.endpoint)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.endpoint+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("emulator: POST %s: %w", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("emulator: POST %s: %s: %s", path, resp.Status, strings.TrimSpace(string(b)))
	}
	return nil
}

// User is an IAM user with an access key, made by CreateUser.
type User struct {
	Name            string
	ARN             string
	AccessKeyID     string
	SecretAccessKey string
}

// Config returns an AWS SDK configuration signed with u's access key.
func (u *User) Config(ctx context.Context, e *Emulator) (aws.Config, error) {
	return e.AWSConfig(ctx, u.AccessKeyID, u.SecretAccessKey, "")
}

// CreateUser creates an IAM user with an access key and, unless
// policyJSON is empty, an inline policy named "test". Call it while
// enforcement is off (it signs with the default credentials). Under moto
// a user needs an identity policy allowing sts:AssumeRole before it can
// assume any role, even one whose trust policy names it.
func (e *Emulator) CreateUser(ctx context.Context, name, policyJSON string) (*User, error) {
	cfg, err := e.AWSConfig(ctx, "", "", "")
	if err != nil {
		return nil, err
	}
	c := iam.NewFromConfig(cfg)
	out, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("emulator: creating user %s: %w", name, err)
	}
	if policyJSON != "" {
		if _, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{
			UserName:       aws.String(name),
			PolicyName:     aws.String("test"),
			PolicyDocument: aws.String(policyJSON),
		}); err != nil {
			return nil, fmt.Errorf("emulator: policy for user %s: %w", name, err)
		}
	}
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		return nil, fmt.Errorf("emulator: access key for user %s: %w", name, err)
	}
	return &User{
		Name:            name,
		ARN:             aws.ToString(out.User.Arn),
		AccessKeyID:     aws.ToString(key.AccessKey.AccessKeyId),
		SecretAccessKey: aws.ToString(key.AccessKey.SecretAccessKey),
	}, nil
}
