// Command lakerunner-iam turns a Lakerunner deployment spec into Terraform
// modules for every IAM role Lakerunner needs on AWS.
package main

import "os"

func main() {
	tuneGC(os.Getenv)
	os.Exit(NewCLI(os.Stdout, os.Stderr).Run(os.Args[1:]))
}
