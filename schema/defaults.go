package schema

import (
	"strings"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
)

// applySpecDefaults fills in what the spec leaves out.
func applySpecDefaults(spec *Spec) {
	if spec.Catalog == "" {
		spec.Catalog = CatalogGuide
	}
	for _, env := range spec.Environments {
		env.catalog = spec.Catalog
		if spec.Catalog == CatalogTiers {
			applyTierDefaults(env) // validate_tiers.go
		}
		applyDefaults(env)
	}
	if spec.Terraform == nil {
		spec.Terraform = &TerraformSettings{}
	}
	if spec.Terraform.RequiredVersion == "" {
		spec.Terraform.RequiredVersion = DefaultTerraformVersion
	}
	if spec.Terraform.AWSProviderVersion == "" {
		spec.Terraform.AWSProviderVersion = DefaultAWSProviderVersion
	}
}

// Services are the Lakerunner services the spec knows, in the order the
// generator lists them.
var Services = []string{
	"pubsub-sqs",
	"ingest-logs", "ingest-metrics", "ingest-traces",
	"compact-logs", "compact-metrics", "compact-traces",
	"rollup-metrics", "sweeper",
	"query-api", "query-worker",
	"migration",
}

// Partitions are the AWS partitions the generator supports.
var Partitions = iamlimits.Partitions

// DefaultNamePrefix is the console guide's prefix for every name.
const DefaultNamePrefix = "lakerunner"

// Version constraints written into versions.tf unless the spec pins its
// own. Terraform 1.5 brought the functions and import blocks the output
// uses; the AWS provider 5.x is the one tested (see README).
const (
	DefaultTerraformVersion   = ">= 1.5.0"
	DefaultAWSProviderVersion = ">= 5.0, < 7.0"
)

// KECS defaults, from the KECS IAM integration guide.
const (
	DefaultKECSNamespace  = "default"
	DefaultKECSEndpoint   = "http://localhost:4566"
	DefaultKECSRolePrefix = "kecs-"
)

func applyDefaults(env *Environment) {
	if env.NamePrefix == "" {
		env.NamePrefix = DefaultNamePrefix
	}
	if env.Partition == "" {
		env.Partition = PartitionOf(env.Region)
	}
	if env.Compute == "" {
		env.Compute = "fargate"
	}
	if env.Platform == "" {
		env.Platform = PlatformECS
	}
	applyEKSDefaults(env)
	if env.ConfusedDeputyProtection == nil {
		on := true
		env.ConfusedDeputyProtection = &on
	}
	if env.Tags == nil {
		env.Tags = map[string]string{}
	}
	if env.Resources == nil {
		env.Resources = &Resources{DefRange: env.DefRange}
	}
	r, p := env.Resources, env.NamePrefix
	def := func(v *[]string, d ...string) {
		if *v == nil {
			*v = d
		}
	}
	def(&r.S3Buckets, p+"-*")
	def(&r.SQSQueues, p+"-*")
	def(&r.Secrets, p+"-*")
	def(&r.DatabaseSecrets, p+"-database-secret")
	def(&r.SSMParameterPaths, "/"+p+"/")
	def(&r.KMSKeyARNs, "*")
	def(&r.LogGroups)
	if r.MigrationLogGroup == "" {
		r.MigrationLogGroup = "/ecs/" + p + "-migration"
	}
	if r.MetricsNamespace == "" {
		r.MetricsNamespace = "Lakerunner"
	}
	if r.ECSCluster == "" {
		r.ECSCluster = p + "-cluster"
	}
	if r.MSKCluster == "" {
		r.MSKCluster = p + "-msk"
	}
	if k := env.KECS; k != nil {
		if k.Namespace == "" {
			k.Namespace = DefaultKECSNamespace
		}
		if k.Endpoint == "" {
			k.Endpoint = DefaultKECSEndpoint
		}
		if !k.Pos().Has("role_prefix") {
			k.RolePrefix = DefaultKECSRolePrefix
		}
	}
	if b := env.Backend; b != nil {
		if b.Key == "" {
			b.Key = "lakerunner-iam/" + env.Name + "/terraform.tfstate"
		}
		if b.Region == "" {
			b.Region = env.Region
		}
		if b.UseLockfile == nil {
			lock := b.DynamoDBTable == ""
			b.UseLockfile = &lock
		}
		if b.Encrypt == nil {
			on := true
			b.Encrypt = &on
		}
	}
	if len(env.Services) == 0 && !env.IsSatellite() {
		for _, name := range Services {
			env.Services = append(env.Services, &Service{Name: name, DefRange: env.DefRange})
		}
	}
}

// PartitionOf is the partition a region belongs to.
func PartitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	}
	return "aws"
}
