package emulator

import (
	"bytes"
	"context"
	"errors"
	"html"
	"io"
	"regexp"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// AWSConfig returns an AWS SDK configuration that sends every service to
// the emulator with static credentials (DefaultAccessKey/DefaultSecretKey
// when accessKey is empty; session may be empty). It is built from scratch
// rather than loaded, so nothing from ~/.aws or AWS_* variables leaks into
// tests, and it does not retry: a local endpoint has no throttling and
// retries only hide errors. Use S3Client for S3, which needs path-style
// addressing.
func (e *Emulator) AWSConfig(ctx context.Context, accessKey, secret, session string) (aws.Config, error) {
	if accessKey == "" {
		if secret != "" || session != "" {
			return aws.Config{}, errors.New("emulator: a secret or session token without an access key")
		}
		accessKey, secret = DefaultAccessKey, DefaultSecretKey
	}
	return aws.Config{
		Region:       e.region,
		Credentials:  aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(accessKey, secret, session)),
		BaseEndpoint: aws.String(e.endpoint),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
		APIOptions:   []func(*middleware.Stack) error{addMotoAuthErrors},
	}, nil
}

// motoAuthError matches the body moto's policy enforcement answers a
// refused call with, for every service and protocol:
// <ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>…
// The SDK's own decoders do not expect the extra <Errors> level, so
// without help a denied IAM call reads "api error UnknownError" and a
// denied SQS (JSON protocol) call "deserialization failed".
var motoAuthError = regexp.MustCompile(`(?s)^(?:<\?xml[^>]*>)?\s*<ErrorResponse>\s*<Errors>\s*<Error>\s*<Code>([^<]*)</Code>\s*<Message>([^<]*)</Message>`)

// addMotoAuthErrors turns moto's authorization error bodies into
// smithy.APIErrors with the right code (AccessDenied,
// InvalidClientTokenId, SignatureDoesNotMatch, ...). It sits next to the
// transport, before the protocol decoder, and leaves other responses as
// they are.
func addMotoAuthErrors(stack *middleware.Stack) error {
	return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("LakerunnerMotoAuthErrors",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleDeserialize(ctx, in)
			if err != nil {
				return out, md, err
			}
			resp, ok := out.RawResponse.(*smithyhttp.Response)
			if !ok || resp.StatusCode < 400 || resp.StatusCode >= 500 {
				return out, md, nil
			}
			body, readErr := io.ReadAll(resp.Body)
			resp.Body.Close()
			resp.Body = io.NopCloser(bytes.NewReader(body))
			if readErr != nil {
				return out, md, nil // let the protocol decoder report it
			}
			if m := motoAuthError.FindSubmatch(body); m != nil {
				return out, md, &smithy.GenericAPIError{
					Code:    string(m[1]),
					Message: html.UnescapeString(string(m[2])),
					Fault:   smithy.FaultClient,
				}
			}
			return out, md, nil
		}), middleware.After)
}

// IsAccessDenied reports whether err is an authorization refusal
// (AccessDenied or AccessDeniedException), as opposed to, say, a bad
// signature or a missing resource.
func IsAccessDenied(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.ErrorCode() {
	case "AccessDenied", "AccessDeniedException":
		return true
	}
	return false
}

// S3Client returns an S3 client for cfg with path-style addressing, which
// the emulator needs (bucket names are not resolvable host names).
func S3Client(cfg aws.Config, optFns ...func(*s3.Options)) *s3.Client {
	return s3.NewFromConfig(cfg, append([]func(*s3.Options){func(o *s3.Options) { o.UsePathStyle = true }}, optFns...)...)
}

// AssumeRole calls sts:AssumeRole with cfg and returns a configuration for
// the same endpoint that uses the role's temporary credentials.
func (e *Emulator) AssumeRole(ctx context.Context, cfg aws.Config, roleARN, sessionName string) (aws.Config, error) {
	out, err := sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String(roleARN),
		RoleSessionName: aws.String(sessionName),
	})
	if err != nil {
		return aws.Config{}, err
	}
	c := out.Credentials
	return e.AWSConfig(ctx, aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken))
}

// EnvVars returns the environment for a child process (the AWS CLI, the
// Terraform AWS provider) to reach the emulator with the given credentials
// (the defaults when accessKey is empty). S3 still needs path-style
// addressing configured in the client, e.g. the provider's
// s3_use_path_style.
func (e *Emulator) EnvVars(accessKey, secret, session string) map[string]string {
	if accessKey == "" {
		accessKey, secret = DefaultAccessKey, DefaultSecretKey
	}
	env := map[string]string{
		"AWS_ENDPOINT_URL":      e.endpoint,
		"AWS_ACCESS_KEY_ID":     accessKey,
		"AWS_SECRET_ACCESS_KEY": secret,
		"AWS_REGION":            e.region,
		"AWS_DEFAULT_REGION":    e.region,
	}
	if session != "" {
		env["AWS_SESSION_TOKEN"] = session
	}
	return env
}
