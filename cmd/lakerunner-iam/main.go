// Command lakerunner-iam turns a Lakerunner deployment spec into Terraform
// modules for every IAM role Lakerunner needs on AWS.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
