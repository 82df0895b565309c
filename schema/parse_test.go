package schema

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
)

func parse(t *testing.T, filename, src string) *Spec {
	t.Helper()
	spec, diags := Parse(hclparse.NewParser(), filename, []byte(src))
	if diags.HasErrors() {
		t.Fatalf("unexpected diagnostics: %s", diags.Error())
	}
	return spec
}

func TestDefaults(t *testing.T) {
	spec := parse(t, "min.hcl", `
environment "dev" {
  account_id = "123456789012"
  region     = "us-east-1"
}`)
	env := spec.Environments[0]
	checks := []struct {
		name      string
		got, want interface{}
	}{
		{"name prefix", env.NamePrefix, "lakerunner"},
		{"partition", env.Partition, "aws"},
		{"compute", env.Compute, "fargate"},
		{"confused deputy", *env.ConfusedDeputyProtection, true},
		{"buckets", env.Resources.S3Buckets, []string{"lakerunner-*"}},
		{"queues", env.Resources.SQSQueues, []string{"lakerunner-*"}},
		{"secrets", env.Resources.Secrets, []string{"lakerunner-*"}},
		{"database secrets", env.Resources.DatabaseSecrets, []string{"lakerunner-database-secret"}},
		{"ssm paths", env.Resources.SSMParameterPaths, []string{"/lakerunner/"}},
		{"kms keys", env.Resources.KMSKeyARNs, []string{"*"}},
		{"log groups", len(env.Resources.LogGroups), 0},
		{"migration log group", env.Resources.MigrationLogGroup, "/ecs/lakerunner-migration"},
		{"namespace", env.Resources.MetricsNamespace, "Lakerunner"},
		{"cluster", env.Resources.ECSCluster, "lakerunner-cluster"},
		{"msk", env.Resources.MSKCluster, "lakerunner-msk"},
		{"services", len(env.Services), len(Services)},
		{"terraform", spec.Terraform.RequiredVersion, DefaultTerraformVersion},
		{"provider", spec.Terraform.AWSProviderVersion, DefaultAWSProviderVersion},
		{"no kecs", env.KECS == nil, true},
		{"no backend", env.Backend == nil, true},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestDefaultsFollowPrefixAndRegion(t *testing.T) {
	spec := parse(t, "x.hcl", `
environment "gov" {
  account_id  = "123456789012"
  region      = "us-gov-west-1"
  name_prefix = "acme"
  kecs {}
  backend { bucket = "acme-state" }
}
environment "cn" {
  account_id = "123456789012"
  region     = "cn-north-1"
}`)
	gov, cn := spec.Environments[0], spec.Environments[1]
	if gov.Partition != "aws-us-gov" || cn.Partition != "aws-cn" {
		t.Errorf("partitions = %s, %s", gov.Partition, cn.Partition)
	}
	if got := gov.Resources.S3Buckets; !reflect.DeepEqual(got, []string{"acme-*"}) {
		t.Errorf("buckets = %v", got)
	}
	if got := gov.Resources.ECSCluster; got != "acme-cluster" {
		t.Errorf("cluster = %v", got)
	}
	if k := gov.KECS; k.Namespace != "default" || k.Endpoint != "http://localhost:4566" || k.RolePrefix != "kecs-" {
		t.Errorf("kecs defaults = %+v", *k)
	}
	if b := gov.Backend; b.Key != "lakerunner-iam/gov/terraform.tfstate" || b.Region != "us-gov-west-1" || !*b.UseLockfile || !*b.Encrypt {
		t.Errorf("backend defaults = %+v", *b)
	}
}

func TestExplicitValuesWin(t *testing.T) {
	spec := parse(t, "x.hcl", `
environment "prod" {
  account_id                 = "123456789012"
  region                     = "eu-west-1"
  compute                    = "ec2"
  confused_deputy_protection = false
  resources {
    s3_buckets = ["lakerunner-123456789012-eu-west-1"]
    log_groups = ["/ecs/lakerunner"]
  }
  service "query-api" {
    task_role = "data-task"
  }
  role "data-task" {
    name                 = "my-data-role"
    max_session_duration = 7200
    statement {
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::other/*"]
    }
  }
}`)
	env := spec.Environments[0]
	if env.Compute != "ec2" || *env.ConfusedDeputyProtection {
		t.Errorf("compute %q, confused deputy %v", env.Compute, *env.ConfusedDeputyProtection)
	}
	if got := env.Resources.S3Buckets; !reflect.DeepEqual(got, []string{"lakerunner-123456789012-eu-west-1"}) {
		t.Errorf("buckets = %v", got)
	}
	if got := env.Resources.SQSQueues; !reflect.DeepEqual(got, []string{"lakerunner-*"}) {
		t.Errorf("queues keep their default, got %v", got)
	}
	if len(env.Services) != 1 || env.Services[0].TaskRole != "data-task" {
		t.Errorf("services = %+v", env.Services)
	}
	o := env.Roles[0]
	if o.Name != "my-data-role" || o.MaxSessionDuration != 7200 || len(o.Statements) != 1 || o.Statements[0].Actions[0] != "s3:GetObject" {
		t.Errorf("role override = %+v", o)
	}
}

// TestJSONSyntax decodes the JSON form of HCL to the same spec.
func TestJSONSyntax(t *testing.T) {
	h := parse(t, "a.hcl", `
environment "dev" {
  account_id = "123456789012"
  region     = "us-east-1"
  tags       = { Team = "obs" }
  cross_account {
    trusted_account_ids = ["210987654321"]
    external_id         = "abc-123"
  }
}`)
	j := parse(t, "a.hcl.json", `{
  "environment": {
    "dev": {
      "account_id": "123456789012",
      "region": "us-east-1",
      "tags": {"Team": "obs"},
      "cross_account": {"trusted_account_ids": ["210987654321"], "external_id": "abc-123"}
    }
  }
}`)
	he, je := h.Environments[0], j.Environments[0]
	if he.Name != je.Name || he.AccountID != je.AccountID || !reflect.DeepEqual(he.Tags, je.Tags) ||
		!reflect.DeepEqual(he.Resources.S3Buckets, je.Resources.S3Buckets) ||
		!reflect.DeepEqual(he.CrossAccount.TrustedAccountIDs, je.CrossAccount.TrustedAccountIDs) ||
		he.CrossAccount.ExternalID != je.CrossAccount.ExternalID {
		t.Errorf("HCL and JSON forms differ:\n%+v\n%+v", he, je)
	}
}

// TestPositions checks that values keep where they were written, so
// later diagnostics point at the spec.
func TestPositions(t *testing.T) {
	spec := parse(t, "pos.hcl", `environment "dev" {
  account_id = "123456789012"
  region     = "us-east-1"
  role "data-task" {
    max_session_duration = 7200
  }
}`)
	env := spec.Environments[0]
	r := env.Pos().Attr("region")
	if r.Filename != "pos.hcl" || r.Start.Line != 3 || r.Start.Column != 16 {
		t.Errorf("region at %s", r)
	}
	o := env.Roles[0].Pos()
	if got := o.Attr("max_session_duration"); got.Start.Line != 5 {
		t.Errorf("max_session_duration at %s", got)
	}
	if got := o.Attr("path"); got.Start.Line != 4 {
		t.Errorf("an unset attribute points at its block, got %s", got)
	}
	if o.Has("path") || !o.Has("max_session_duration") {
		t.Error("Has reports written attributes only")
	}
}

func TestInvalid(t *testing.T) {
	cases := []struct {
		name, src, summary string
	}{
		{"account id", `environment "a" {
  account_id = "1234"
  region = "us-east-1"
}`, "Invalid AWS account ID"},
		{"region", `environment "a" {
  account_id = "123456789012"
  region = "mars-1"
}`, "Invalid AWS region"},
		{"partition mismatch", `environment "a" {
  account_id = "123456789012"
  region = "us-east-1"
  partition = "aws-cn"
}`, "Partition does not match region"},
		{"compute", `environment "a" {
  account_id = "123456789012"
  region = "us-east-1"
  compute = "lambda"
}`, "Invalid compute type"},
		{"duplicate env", `environment "a" {
  account_id = "123456789012"
  region = "us-east-1"
}
environment "a" {
  account_id = "123456789012"
  region = "us-east-1"
}`, "Duplicate environment"},
		{"cross account with a one-character external id", `environment "a" {
  account_id = "123456789012"
  region = "us-east-1"
  cross_account {
    trusted_account_ids = ["210987654321"]
    external_id = "x"
  }
}`, "Invalid ExternalId"},
		{"unknown service", `environment "a" {
  account_id = "123456789012"
  region = "us-east-1"
  service "ingest-log" {}
}`, "Unknown service"},
		{"session duration", `environment "a" {
  account_id = "123456789012"
  region = "us-east-1"
  role "data-task" { max_session_duration = 60 }
}`, "Invalid max session duration"},
		{"no environment", `# nothing`, "No environment in spec"},
		{"version constraint", `terraform { required_version = "latest" }
environment "a" {
  account_id = "123456789012"
  region = "us-east-1"
}`, "Invalid version constraint"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, diags := Parse(hclparse.NewParser(), "bad.hcl", []byte(c.src))
			if !diags.HasErrors() {
				t.Fatal("no error")
			}
			if !strings.Contains(diags.Error(), c.summary) {
				t.Errorf("diagnostics %q do not say %q", diags.Error(), c.summary)
			}
			for _, d := range diags {
				if d.Subject == nil && c.name != "no environment" {
					t.Errorf("diagnostic %q has no source range", d.Summary)
				}
			}
		})
	}
}
