// Package emulator gives tests an AWS-compatible endpoint: a moto_server
// it starts and always stops, or a running LocalStack named by
// LAKERUNNER_IAM_AWS_ENDPOINT. It exists because LocalStack cannot run
// where these tests run (no Docker), while moto, which LocalStack's IAM,
// STS and S3 are built on, can.
//
// Start picks a free loopback port, runs `moto_server -H 127.0.0.1 -p PORT`
// with MOTO_IAM_LOAD_MANAGED_POLICIES=true in its own process group and
// waits for GET /moto-api/ to answer. Stop signals the whole group. On
// Linux the kernel also kills moto_server if the test binary dies
// (PR_SET_PDEATHSIG), which covers panics in tests and test timeouts;
// Main covers SIGINT/SIGTERM/SIGHUP. Measured here: moto_server answers
// about 0.8 s after exec; AWS managed policies load on the first IAM call,
// which then takes another 0.8-1.8 s.
//
// # moto 5.2.1 behaviour, verified in server mode
//
// Enforcement is off by default. POST /moto-api/reset-auth turns it on;
// the body is a bare number of calls still allowed unauthenticated ("0"),
// parsed with Python's float(), so "inf" turns it off again. A JSON body
// such as {"allowed_nr_unauthenticated_requests": 0}, or any body sent as
// application/x-www-form-urlencoded (curl -d's default), answers 500.
// POST /moto-api/reset deletes all resources but leaves enforcement as it
// was, so after a reset with enforcement on every credential is refused;
// Reset here therefore turns enforcement off first. The /moto-api/
// endpoints themselves are never authenticated.
//
// With enforcement on, only credentials moto issued work (an IAM user's
// access key, or AssumeRole results); the default "test" key gets
// InvalidClientTokenId. A caller needs an identity policy allowing
// sts:AssumeRole as well as a trust policy that names it, unlike AWS for
// same-account principals.
//
// (a) A user with an access key can AssumeRole a role whose trust
// statement names both Service ecs-tasks.amazonaws.com and AWS <user ARN>
// in one Principal block (a list of AWS ARNs works too, as does "*").
//
// (b) AssumeRole on a role whose trust has only a Service principal
// answers HTTP 500 (a TypeError in moto's principal check). So does a
// trust with a Service-only statement followed by a separate AWS
// statement: keep the AWS principal in the same statement. A statement
// naming a different AWS principal counts as an explicit deny, so two
// statements for two users refuse both. arn:aws:iam::ACCOUNT:root never
// matches a user. AssumeRole on a role that does not exist succeeds.
//
// (c) With the assumed-role credentials, the role's inline policy is
// enforced per resource: s3:GetObject, s3:PutObject and s3:ListBucket
// (ListObjectsV2) succeed on lakerunner-test and are AccessDenied on
// other-bucket; sqs:SendMessage and sqs:ReceiveMessage succeed on the
// allowed queue and are denied on another. Caveat: ListObjectsV2 with a
// "/" delimiter (as `aws s3 ls` sends) fails with SignatureDoesNotMatch,
// whatever the policy.
//
// (d) Trust conditions on keys moto does not supply count as met:
// StringEquals on cloudwatch:namespace or aws:SourceAccount, and ArnLike
// on aws:SourceArn, with values that could never match, still allow
// AssumeRole. The only key moto supplies is sts:ExternalId: a wrong
// external ID is denied, a missing one is allowed.
//
// (e) iam:CreateUser (and any IAM call the role's policies do not grant,
// such as iam:ListRoles) is AccessDenied for the role.
//
// Denials carry <ErrorResponse><Errors><Error><Code>AccessDenied… bodies
// for every service; the SDK for Go cannot decode that shape for IAM/STS
// (UnknownError) or SQS (JSON protocol), so AWSConfig adds a small
// decoder and IsAccessDenied works for all of them. TestPolicyEnforcement
// pins (a), (c), (d) and (e).
package emulator
