package moddocs_test

import (
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil/testspec"
	"github.com/cardinalhq/lakerunner-iam/moddocs"
)

// matrixSpec: the query role gets an explicit Deny on object writes and a
// Bedrock grant; the data role loses s3:ListBucket, so it reads its bucket
// only partly.
const matrixSpec = `environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  resources { s3_buckets = ["lake"] }
  role "query-task" {
    statement {
      sid       = "NoWrites"
      effect    = "Deny"
      actions   = ["s3:PutObject"]
      resources = ["arn:aws:s3:::lake/*"]
    }
    statement {
      sid       = "Bedrock"
      actions   = ["bedrock:InvokeModel"]
      resources = ["arn:aws:bedrock:*::foundation-model/*"]
    }
  }
  role "data-task" {
    statement {
      sid       = "S3Access"
      actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
      resources = ["arn:aws:s3:::lake/*"]
    }
  }
  service "query-api" {}
  service "ingest-logs" {}
}
`

// TestAccessMatrix: every cell is the evaluator's decision; a column no
// service has is left out unless it shows a must-not (IAM users).
func TestAccessMatrix(t *testing.T) {
	var readme string
	for _, f := range moddocs.Docs(testspec.LoadText(t, matrixSpec), "lakerunner.hcl") {
		if f.Path == "prod/README.md" {
			readme = string(f.Content)
		}
	}
	for _, want := range []string{
		"| Service | Read bucket `lake` | Write bucket `lake` | Delete from bucket `lake` | Consume queue `lakerunner-*` | Secret `lakerunner-*` at launch | ECS discovery in `lakerunner-cluster` | Update ECS services | Bedrock models | Create IAM users |",
		"| `query-api` | yes | denied | — | — | yes | yes | yes | yes | — |",
		"| `ingest-logs` | partly | yes | yes | yes | yes | — | — | — | — |",
		"- Bedrock models: `bedrock:InvokeModel` on `arn:aws:bedrock:us-east-1::foundation-model/any`",
	} {
		if !strings.Contains(readme, want) {
			t.Errorf("README lacks %q:\n%s", want, readme[strings.Index(readme, "## Access matrix"):])
		}
	}
	if strings.Contains(readme, "MSK") || strings.Contains(readme, "Assume other roles") {
		t.Error("a column no service has is shown")
	}
}

// Buckets and queues of other accounts are given by ARN; the matrix asks
// about them as they are, not with a second "arn:" prefix.
func TestAccessMatrixResourcesByARN(t *testing.T) {
	m := testspec.LoadText(t, `catalog = "tiers"
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  resources {
    s3_buckets = ["arn:aws:s3:::archive-210987654321"]
    sqs_queues = ["arn:aws:sqs:eu-west-1:210987654321:remote-ingest"]
  }
  service "process-logs" {}
}
`)
	var readme string
	for _, f := range moddocs.Docs(m, "lakerunner.hcl") {
		if f.Path == "prod/README.md" {
			readme = string(f.Content)
		}
	}
	for _, want := range []string{
		"`s3:GetObject` on `arn:aws:s3:::archive-210987654321/any/key`",
		"`sqs:ReceiveMessage` on `arn:aws:sqs:eu-west-1:210987654321:remote-ingest`",
		"| `process-logs` | yes | yes | yes | yes |",
	} {
		if !strings.Contains(readme, want) {
			t.Errorf("README lacks %q:\n%s", want, readme[strings.Index(readme, "## Access matrix"):])
		}
	}
}
