// Package e2e proves the generated Terraform on an AWS API: for the example
// spec and the test specs it generates the modules, then drives Terraform
// with terraform-exec through init, plan (failing on any diagnostic, as
// validate would), apply, a second plan, and destroy against one shared
// LocalStack-compatible endpoint (moto, started by the tests, or LAKERUNNER_IAM_AWS_ENDPOINT), and checks the
// plan, what IAM holds after apply, and what each role may and may not do.
//
// Each spec has its own AWS account, so the specs run in parallel on one
// emulator. Policy enforcement is on for the whole run: Terraform acts as
// an administrator user of the account, and the probes as a user that may
// only assume roles.
package e2e
