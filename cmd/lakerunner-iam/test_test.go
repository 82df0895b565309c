package main

import (
	"encoding/xml"
	"path/filepath"
	"strings"
	"testing"
)

// brokenSpec overrides the query role's S3 statement: it loses
// s3:ListBucket (a catalog "allow" expectation) and gains s3:PutObject (a
// catalog "deny" one); a service expects a bucket the spec never grants.
const brokenSpec = `environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  resources { s3_buckets = ["acme-lake"] }
  role "query-task" {
    statement {
      sid       = "S3ReadAccess"
      actions   = ["s3:GetObject", "s3:PutObject"]
      resources = ["arn:aws:s3:::acme-lake/*"]
    }
  }
  service "query-api" {
    expect "reads-reports" {
      effect    = "allow"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::acme-reports/r.csv"]
    }
  }
}
`

// brokenTiersSpec overrides the tier query role's object statement: it
// loses s3:GetObject (Required) and gains s3:PutObject (Must-NOT).
const brokenTiersSpec = `catalog = "tiers"

environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  resources {
    s3_buckets = ["acme-lake"]
    sqs_queues = ["acme-ingest"]
  }
  service "query-api" {}
  role "query-task" {
    statement {
      sid       = "IngestObjectsRead"
      actions   = ["s3:PutObject"]
      resources = ["arn:aws:s3:::acme-lake/*"]
    }
  }
}
`

func TestTest(t *testing.T) {
	t.Parallel()
	broken := writeCheckSpec(t, brokenSpec)
	runCLICases(t, "test", []cliCase{
		{name: "the example passes", args: []string{exampleSpecPath}, code: exitOK,
			stdout: []string{"Environment production (account 123456789012, us-east-1)", "  ok   query-task       only-reads-objects (2 requests)  templates/03-query-task.hcl:", "  ok   cross-account    trust: AWS arn:aws:iam::210987654321:root (4 requests)", ", 0 failed."}},
		{name: "an override breaks catalog expectations, a service's fails", args: []string{broken}, code: exitIssues,
			stdout: []string{
				"  FAIL query-task       lists-bucket (2 requests)  templates/03-query-task.hcl:",
				"       s3:ListBucket on arn:aws:s3:::acme-lake: implicitly denied, must be allowed",
				"  FAIL query-task       only-reads-objects (2 requests)",
				"       s3:PutObject on arn:aws:s3:::acme-lake/expect/object: allowed, must not be allowed",
				"         by Allow statement S3ReadAccess of identity policy lakerunner-query-access, from the spec at " + broken + ":6,5-14",
				"  FAIL query-task       query-api/reads-reports (1 request)  " + broken + ":13,5-27",
				", 3 failed.",
			}},
		{name: "a tier loses a Required permission and gains a Must-NOT one", args: []string{writeCheckSpec(t, brokenTiersSpec)}, code: exitIssues,
			stdout: []string{
				"  FAIL query-task       read-objects (1 request)  templates/tiers/03-query-task.hcl:",
				"       s3:GetObject on arn:aws:s3:::acme-lake/db/part-0.parquet: implicitly denied, must be allowed",
				"  FAIL query-task       no-s3-write (2 requests)  templates/tiers/03-query-task.hcl:",
				"       s3:PutObject on arn:aws:s3:::acme-lake/db/part-0.parquet: allowed, must not be allowed",
				", 2 failed.",
			}},
		{name: "json", args: []string{"-f", "json", broken}, code: exitIssues, jsonOutput: true,
			stdout: []string{`"format_version": "1"`, `"name": "only-reads-objects"`, `"kind": "catalog"`, `"must": "deny"`, `"decision": "allowed"`, `"passed": false`, `"failed": 3`, `"note": "without aws:SourceArn"`}},
		{name: "junit", args: []string{"-f", "junit", broken}, code: exitIssues,
			stdout: []string{`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuite name="prod" tests="15" failures="3">`, `<testcase classname="prod.query-task" name="only-reads-objects" file="templates/03-query-task.hcl:`, `<failure message="1 of 2 requests decided otherwise than they must: s3:PutObject on arn:aws:s3:::acme-lake/expect/object, allowed" type="excess-permission">`, `type="missing-permission"`}},
		{name: "one environment", args: []string{"--env", "production", exampleSpecPath}, code: exitOK, stdout: []string{"Environment production"}},
		{name: "unknown environment", args: []string{"--env", "staging", exampleSpecPath}, code: exitError, emptyOut: true, stderr: []string{"Error: Unknown environment"}},
		{name: "invalid spec as json", args: []string{"-f", "json", writeCheckSpec(t, "environment \"x\" {}\n")}, code: exitError, jsonOutput: true,
			stdout: []string{`"summary": "Missing required argument"`}, stderr: []string{"Missing required argument"}},
		{name: "invalid spec as junit", args: []string{"-f", "junit", writeCheckSpec(t, "environment \"x\" {}\n")}, code: exitError,
			stdout: []string{`<testsuite name="spec" tests="2" failures="0" errors="2">`, `<error message="Missing required argument" type="invalid-spec">`}, stderr: []string{"Missing required argument"}},
		{name: "bad format", args: []string{"-f", "tap", exampleSpecPath}, code: exitError, emptyOut: true, stderr: []string{"--format must be text, json or junit"}},
		{name: "help", args: []string{"--help"}, code: exitOK, stdout: []string{"Usage: lakerunner-iam test [flags] [SPEC]", "Exit status: 0 when every check holds, 2"}},
	})
	// The JUnit output is well-formed XML.
	_, stdout, _ := cli(t, "test", "-f", "junit", broken)
	var suites junitSuites
	if err := xml.Unmarshal([]byte(stdout), &suites); err != nil || suites.Failures != 3 || len(suites.Suites) != 1 {
		t.Errorf("junit: %+v, %v", suites, err)
	}
}

// TestGenWarnsOnCatalogExpectations: gen writes the output all the same,
// and says which catalog expectation the spec breaks, at its role block.
func TestGenWarnsOnCatalogExpectations(t *testing.T) {
	t.Parallel()
	broken := writeCheckSpec(t, brokenSpec)
	code, _, stderr := cli(t, "gen", "-q", "-o", t.TempDir(), broken)
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	for _, want := range []string{"Warning: Catalog expectation fails", `role "query-task" breaks the catalog's expectation "lists-bucket"`, "on " + broken + ":5:3"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	// The service's own expectation is test's to report, not gen's.
	if strings.Contains(stderr, "reads-reports") {
		t.Errorf("gen reports a spec expectation:\n%s", stderr)
	}
}

// TestShippedSpecsPass: every example and test spec holds every catalog
// expectation and trust property.
func TestShippedSpecsPass(t *testing.T) {
	t.Parallel()
	specs, err := filepath.Glob("../../examples/*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("../../testdata/specs/*.hcl")
	if err != nil {
		t.Fatal(err)
	}
	for _, spec := range append(specs, more...) {
		if code, stdout, stderr := cli(t, "test", spec); code != exitOK {
			t.Errorf("%s: exit %d\n%s%s", spec, code, stdout, stderr)
		}
	}
}
