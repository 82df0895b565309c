package schema_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"

	"github.com/cardinalhq/lakerunner-iam/schema"
)

// FuzzParse feeds arbitrary source to the spec decoder, as HCL native
// syntax or as JSON. Whatever the input, Parse must not panic, and must
// return either errors (and no spec) or a spec with every default applied.
// Seeds: the example specs and every bad spec.
//
//	go test -run '^$' -fuzz FuzzParse -fuzztime 10s ./schema
func FuzzParse(f *testing.F) {
	var seeds []string
	for _, pattern := range []string{"../examples/*.hcl", "../testdata/specs/*.hcl*", "../testdata/badspecs/*.hcl", "../testdata/badspecs/*.hcl.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, m...)
	}
	if len(seeds) < 30 {
		f.Fatalf("found %d seed specs, want the examples and the bad specs", len(seeds))
	}
	for _, p := range seeds {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, strings.HasSuffix(p, ".json"))
	}
	f.Fuzz(func(t *testing.T, src []byte, json bool) {
		name := "fuzz.hcl"
		if json {
			name += ".json"
		}
		spec, diags := schema.Parse(hclparse.NewParser(), name, src)
		if diags.HasErrors() {
			if spec != nil {
				t.Errorf("errors and a spec: %s", diags.Error())
			}
			for _, d := range diags {
				if d.Severity == hcl.DiagError && (d.Summary == "" || d.Subject == nil) {
					t.Errorf("error without a summary or a position: %#v", d)
				}
			}
			return
		}
		if spec == nil {
			t.Fatal("no errors and no spec")
		}
		assertDefaulted(t, spec)
	})
}

// assertDefaulted fails unless every default of the spec was applied.
func assertDefaulted(t *testing.T, spec *schema.Spec) {
	t.Helper()
	if spec.Terraform == nil || spec.Terraform.RequiredVersion == "" || spec.Terraform.AWSProviderVersion == "" {
		t.Errorf("terraform versions not defaulted: %+v", spec.Terraform)
	}
	if len(spec.Environments) == 0 {
		t.Fatal("a valid spec without environments")
	}
	for _, env := range spec.Environments {
		missing := func(what string) { t.Errorf("environment %q: %s not defaulted", env.Name, what) }
		if env.NamePrefix == "" {
			missing("name_prefix")
		}
		if env.Partition != schema.PartitionOf(env.Region) {
			missing("partition")
		}
		if env.Compute != "fargate" && env.Compute != "ec2" {
			missing("compute")
		}
		if env.ConfusedDeputyProtection == nil {
			missing("confused_deputy_protection")
		}
		if env.Tags == nil {
			missing("tags")
		}
		if len(env.Services) == 0 && !env.IsSatellite() { // a satellite runs no service
			missing("services")
		}
		r := env.Resources
		if r == nil {
			missing("resources")
			continue
		}
		for what, list := range map[string][]string{
			"s3_buckets": r.S3Buckets, "sqs_queues": r.SQSQueues, "secrets": r.Secrets,
			"database_secrets": r.DatabaseSecrets, "ssm_parameter_paths": r.SSMParameterPaths, "kms_key_arns": r.KMSKeyARNs,
		} {
			if list == nil {
				missing(what)
			}
		}
		for what, v := range map[string]string{
			"migration_log_group": r.MigrationLogGroup, "metrics_namespace": r.MetricsNamespace,
			"ecs_cluster": r.ECSCluster, "msk_cluster": r.MSKCluster,
		} {
			if v == "" {
				missing(what)
			}
		}
		if k := env.KECS; k != nil && (k.Namespace == "" || k.Endpoint == "") {
			missing("kecs namespace or endpoint")
		}
		if b := env.Backend; b != nil && (b.Key == "" || b.Region == "" || b.UseLockfile == nil || b.Encrypt == nil) {
			missing("backend key, region, use_lockfile or encrypt")
		}
	}
}
