// Package e2e proves the generated Terraform on an AWS API: for the example
// spec and the test specs it generates the modules, then drives Terraform
// with terraform-exec through init, plan (failing on any diagnostic, as
// validate would), apply and a second plan against a LocalStack-compatible
// endpoint (moto, started by the tests, or LAKERUNNER_IAM_AWS_ENDPOINT),
// and checks the plan, what IAM holds after apply, and what each role may
// and may not do. Destroy is proven on the specs that have every resource
// type and deletion option (specCase.destroy), and run for every root on
// an external endpoint, which outlives the tests.
//
// Each spec of TestE2E has its own AWS account, so the specs run in
// parallel on one emulator; the other tests start emulators of their own
// and run in parallel with it. Policy enforcement is on: Terraform acts as
// an administrator user of the account, and the probes as a user that may
// only assume roles.
package e2e
