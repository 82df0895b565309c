package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"unicode/utf8"

	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// Parse decodes, defaults and validates spec source. The file is HCL
// native syntax, or HCL's JSON form when its name ends in ".json"; the
// parser keeps the source for printing diagnostics with snippets.
func Parse(parser *hclparse.Parser, filename string, src []byte) (*Spec, hcl.Diagnostics) {
	var file *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(filename, ".json") {
		file, diags = parser.ParseJSON(src, filename)
	} else {
		file, diags = parser.ParseHCL(src, filename)
	}
	if diags.HasErrors() {
		return nil, firstSyntaxErrors(diags)
	}
	if d := checkNumbers(file, src); d.HasErrors() {
		return nil, d
	}
	spec := &Spec{Filename: filename, Src: src}
	diags = append(diags, explainDecodeDiags(file, gohcl.DecodeBody(file.Body, nil, spec))...)
	if diags.HasErrors() {
		return nil, diags
	}
	if len(spec.Environments) == 0 {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No environment in spec",
			Detail:   `A spec needs at least one environment block, e.g. environment "prod" { account_id = "123456789012" region = "us-east-1" }.`,
			Subject:  file.Body.MissingItemRange().Ptr(),
		})
		return nil, diags
	}
	for _, env := range spec.Environments {
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
	diags = append(diags, validate(spec)...)
	if diags.HasErrors() {
		return nil, diags
	}
	return spec, diags
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
var Partitions = []string{"aws", "aws-us-gov", "aws-cn"}

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
	if len(env.Services) == 0 {
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

var (
	accountIDRe   = regexp.MustCompile(`^\d{12}$`)
	regionRe      = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}$`)
	envNameRe     = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	namePrefixRe  = regexp.MustCompile(`^[A-Za-z0-9][\w+=,.@-]*$`)
	serviceRe     = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	iamPathRe     = regexp.MustCompile(`^/([\x21-\x7E]*/)?$`)
	arnRe         = regexp.MustCompile(`^arn:(aws|aws-us-gov|aws-cn):[a-z0-9-]+:[a-z0-9-]*:(\d{12}|aws)?:.+$`)
	ssmPathRe     = regexp.MustCompile(`^/[\w.\-/*]*/$`)
	namespaceRe   = regexp.MustCompile(`^[^:]{1,255}$`)
	dnsLabelRe    = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	findingCodeRe = regexp.MustCompile(`^LR\d{3}$`)
)

func validate(spec *Spec) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if t := spec.Terraform; t.Body != nil {
		for attr, c := range map[string]string{"required_version": t.RequiredVersion, "aws_provider_version": t.AWSProviderVersion} {
			if _, err := goversion.NewConstraint(c); err != nil {
				diags = append(diags, errorAt(t.Pos().Attr(attr), "Invalid version constraint",
					fmt.Sprintf("%q is not a Terraform version constraint such as \">= 1.5.0\" or \"~> 5.0\": %s.", c, err)))
			}
		}
	}
	seen := map[string]*Environment{}
	for _, env := range spec.Environments {
		if prev, dup := seen[env.Name]; dup {
			diags = append(diags, errorAt(env.DefRange, "Duplicate environment",
				fmt.Sprintf("Environment %q is already defined at %s. Each environment becomes out/<name>/: give each a unique name.", env.Name, prev.DefRange)))
			continue
		}
		seen[env.Name] = env
		diags = append(diags, validateEnvironment(env)...)
	}
	return diags
}

func validateEnvironment(env *Environment) hcl.Diagnostics {
	var diags hcl.Diagnostics
	pos := env.Pos()
	bad := func(attr, summary, detail string) {
		diags = append(diags, errorAt(pos.Attr(attr), summary, detail))
	}
	if !envNameRe.MatchString(env.Name) {
		diags = append(diags, errorAt(env.DefRange, "Invalid environment name",
			fmt.Sprintf("%q is not a valid environment name: it becomes a directory and Terraform identifiers, so use lower-case letters, digits, '-' and '_' (at most 63), starting with a letter or digit.", env.Name)))
	}
	if !accountIDRe.MatchString(env.AccountID) {
		if a := pos.attribute("account_id"); a != nil && writtenAsNumber(a.Expr) && len(env.AccountID) < 12 {
			bad("account_id", "Invalid AWS account ID",
				fmt.Sprintf("account_id is written as a number, so it lost its leading zeros and became %q. Write it as a string: account_id = \"%s\".", env.AccountID, strings.Repeat("0", 12-len(env.AccountID))+env.AccountID))
		} else {
			bad("account_id", "Invalid AWS account ID",
				fmt.Sprintf("%q is not an AWS account ID: it must be exactly 12 digits, written as a string (quote it so leading zeros are kept).", env.AccountID))
		}
	}
	if !regionRe.MatchString(env.Region) {
		bad("region", "Invalid AWS region", fmt.Sprintf("%q is not an AWS region name such as \"us-east-1\", \"us-gov-west-1\" or \"cn-north-1\".", env.Region))
	}
	if !contains(Partitions, env.Partition) {
		bad("partition", "Invalid AWS partition",
			fmt.Sprintf("%q is not a partition this tool supports; use one of %s.", env.Partition, quoteList(Partitions)))
	} else if regionRe.MatchString(env.Region) && PartitionOf(env.Region) != env.Partition {
		bad("partition", "Partition does not match region",
			fmt.Sprintf("Region %q is in partition %q, not %q. Remove partition to let it follow the region.", env.Region, PartitionOf(env.Region), env.Partition))
	}
	if !namePrefixRe.MatchString(env.NamePrefix) || len(env.NamePrefix) > 38 {
		bad("name_prefix", "Invalid name prefix",
			fmt.Sprintf("%q (%d characters) cannot start IAM role names: use at most 38 letters, digits and +=,.@_- characters, starting with a letter or digit, so that every role name stays within IAM's 64.", env.NamePrefix, len(env.NamePrefix)))
	}
	if env.Compute != "fargate" && env.Compute != "ec2" {
		bad("compute", "Invalid compute type",
			fmt.Sprintf("%q is not a compute type: use \"fargate\", or \"ec2\" to also generate the ECS instance role and its instance profile.", env.Compute))
	}
	if env.AWSEndpoint != "" && !strings.HasPrefix(env.AWSEndpoint, "http://") && !strings.HasPrefix(env.AWSEndpoint, "https://") {
		bad("aws_endpoint", "Invalid AWS endpoint",
			fmt.Sprintf("%q is not an http(s) URL; a LocalStack endpoint looks like \"http://localhost:4566\".", env.AWSEndpoint))
	}
	for i, slr := range env.ServiceLinkedRoles {
		if !strings.HasSuffix(slr, ".amazonaws.com") {
			diags = append(diags, errorAt(elemRange(pos, "service_linked_roles", i, len(env.ServiceLinkedRoles)), "Invalid service-linked role service",
				fmt.Sprintf("%q is not an AWS service principal: name the service, e.g. \"ecs.amazonaws.com\".", slr)))
		}
	}
	diags = append(diags, validateTags(pos, "tags", env.Tags)...)
	diags = append(diags, validateResources(env)...)
	if env.CrossAccount != nil {
		diags = append(diags, validateCrossAccount(env.CrossAccount)...)
	}
	if k := env.KECS; k != nil {
		pos := k.Pos()
		if !dnsLabelRe.MatchString(k.Namespace) {
			diags = append(diags, errorAt(pos.Attr("namespace"), "Invalid Kubernetes namespace",
				fmt.Sprintf("%q is not a Kubernetes namespace name: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit.", k.Namespace)))
		}
		if !strings.HasPrefix(k.Endpoint, "http://") && !strings.HasPrefix(k.Endpoint, "https://") {
			diags = append(diags, errorAt(pos.Attr("endpoint"), "Invalid LocalStack endpoint",
				fmt.Sprintf("%q is not an http(s) URL such as %q.", k.Endpoint, DefaultKECSEndpoint)))
		}
		if k.RolePrefix != "" && !regexp.MustCompile(`^[\w+=,.@-]{1,20}$`).MatchString(k.RolePrefix) {
			diags = append(diags, errorAt(pos.Attr("role_prefix"), "Invalid role prefix",
				fmt.Sprintf("%q cannot start IAM role names: use at most 20 letters, digits and +=,.@_- characters.", k.RolePrefix)))
		}
	}
	if b := env.Backend; b != nil {
		pos := b.Pos()
		if !regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`).MatchString(b.Bucket) {
			diags = append(diags, errorAt(pos.Attr("bucket"), "Invalid S3 bucket name",
				fmt.Sprintf("%q is not an S3 bucket name (3-63 lower-case letters, digits, '.' and '-').", b.Bucket)))
		}
		if b.DynamoDBTable != "" && *b.UseLockfile {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Two state locks",
				Detail: "Both use_lockfile and dynamodb_table are set: Terraform takes both locks. Keep one unless you are migrating between them.", Subject: pos.Attr("use_lockfile").Ptr()})
		}
		if !regionRe.MatchString(b.Region) {
			diags = append(diags, errorAt(pos.Attr("region"), "Invalid AWS region", fmt.Sprintf("%q is not an AWS region name.", b.Region)))
		}
	}
	diags = append(diags, validateServices(env)...)
	diags = append(diags, validateRoleOverrides(env)...)
	return diags
}

func validateResources(env *Environment) hcl.Diagnostics {
	var diags hcl.Diagnostics
	r := env.Resources
	pos := r.Pos()
	bad := func(attr, summary, detail string) {
		diags = append(diags, errorAt(pos.Attr(attr), summary, detail))
	}
	names := []struct {
		attr string
		vals []string
		what string
		re   *regexp.Regexp
	}{
		{"s3_buckets", r.S3Buckets, "S3 bucket name or pattern", regexp.MustCompile(`^[a-z0-9*?][a-z0-9.*?-]{0,62}$`)},
		{"sqs_queues", r.SQSQueues, "SQS queue name or pattern", regexp.MustCompile(`^[\w*?-]{1,80}(\.fifo)?$`)},
		{"secrets", r.Secrets, "Secrets Manager secret name or pattern", regexp.MustCompile(`^[\w/+=.@*?-]{1,512}$`)},
		{"database_secrets", r.DatabaseSecrets, "Secrets Manager secret name or pattern", regexp.MustCompile(`^[\w/+=.@*?-]{1,512}$`)},
		{"log_groups", r.LogGroups, "CloudWatch log group name or pattern", regexp.MustCompile(`^[\w/.#*?-]{1,512}$`)},
	}
	for _, n := range names {
		for i, v := range n.vals {
			if !n.re.MatchString(v) {
				diags = append(diags, errorAt(elemRange(pos, n.attr, i, len(n.vals)), "Invalid resource name", fmt.Sprintf("%q is not a valid %s. Give the name, not the ARN; IAM wildcards * and ? are allowed.", v, n.what)))
			}
		}
	}
	for i, p := range r.SSMParameterPaths {
		if !ssmPathRe.MatchString(p) {
			diags = append(diags, errorAt(elemRange(pos, "ssm_parameter_paths", i, len(r.SSMParameterPaths)), "Invalid SSM parameter path", fmt.Sprintf("%q is not an SSM parameter path: it starts and ends with '/', e.g. \"/lakerunner/\".", p)))
		}
	}
	for i, k := range r.KMSKeyARNs {
		if k != "*" && !arnRe.MatchString(k) {
			diags = append(diags, errorAt(elemRange(pos, "kms_key_arns", i, len(r.KMSKeyARNs)), "Invalid KMS key ARN", fmt.Sprintf("%q is not a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), nor \"*\" for any key used through Secrets Manager and SSM.", k)))
		}
	}
	if !regexp.MustCompile(`^[\w/.#-]{1,512}$`).MatchString(r.MigrationLogGroup) {
		bad("migration_log_group", "Invalid log group name", fmt.Sprintf("%q is not a CloudWatch log group name.", r.MigrationLogGroup))
	}
	if !namespaceRe.MatchString(r.MetricsNamespace) || strings.HasPrefix(r.MetricsNamespace, "AWS/") {
		bad("metrics_namespace", "Invalid metrics namespace", fmt.Sprintf("%q is not a custom CloudWatch namespace (1-255 characters, no ':', not starting with \"AWS/\").", r.MetricsNamespace))
	}
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`).MatchString(r.ECSCluster) {
		bad("ecs_cluster", "Invalid ECS cluster name", fmt.Sprintf("%q is not an ECS cluster name (letters, digits, '-' and '_').", r.ECSCluster))
	}
	if !regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`).MatchString(r.MSKCluster) {
		bad("msk_cluster", "Invalid MSK cluster name", fmt.Sprintf("%q is not an MSK cluster name (letters, digits and '-', at most 64).", r.MSKCluster))
	}
	return diags
}

func validateCrossAccount(c *CrossAccount) hcl.Diagnostics {
	var diags hcl.Diagnostics
	pos := c.Pos()
	if len(c.TrustedAccountIDs) == 0 && len(c.TrustedPrincipalARNs) == 0 {
		diags = append(diags, errorAt(c.DefRange, "Cross-account role trusts nobody",
			"Set trusted_account_ids or trusted_principal_arns to say who may assume the cross-account role."))
	}
	for i, id := range c.TrustedAccountIDs {
		if !accountIDRe.MatchString(id) {
			diags = append(diags, errorAt(elemRange(pos, "trusted_account_ids", i, len(c.TrustedAccountIDs)), "Invalid AWS account ID",
				fmt.Sprintf("%q is not an AWS account ID: it must be exactly 12 digits, as a string.", id)))
		}
	}
	for i, a := range c.TrustedPrincipalARNs {
		rng := elemRange(pos, "trusted_principal_arns", i, len(c.TrustedPrincipalARNs))
		if a == "*" {
			diags = append(diags, errorAt(rng, "Wildcard principal", wildcardPrincipalDetail))
		} else if !arnRe.MatchString(a) || !strings.Contains(a, ":iam::") {
			diags = append(diags, errorAt(rng, "Invalid principal ARN",
				fmt.Sprintf("%q is not an IAM principal ARN such as \"arn:aws:iam::210987654321:role/lakerunner\".", a)))
		} else if strings.ContainsAny(a, "*?") {
			diags = append(diags, errorAt(rng, "Wildcard in principal ARN",
				fmt.Sprintf("%q contains a wildcard; IAM does not allow wildcards in a trust policy principal. Name the role exactly, or trust the account and narrow with an aws:PrincipalArn condition.", a)))
		}
	}
	if c.ExternalID == "" {
		diags = append(diags, errorAt(c.DefRange, "Cross-account role without ExternalId",
			"Set external_id: a role that another account can assume must require an sts:ExternalId (confused-deputy protection), as the console guide's trust relationship does."))
	} else if len(c.ExternalID) < 2 || len(c.ExternalID) > 1224 || !regexp.MustCompile(`^[\w+=,.@:/-]+$`).MatchString(c.ExternalID) {
		diags = append(diags, errorAt(pos.Attr("external_id"), "Invalid ExternalId",
			"An ExternalId is 2 to 1224 characters of letters, digits and +=,.@:/-_."))
	}
	return diags
}

func validateServices(env *Environment) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]bool{}
	for _, s := range env.Services {
		if seen[s.Name] {
			diags = append(diags, errorAt(s.DefRange, "Duplicate service", fmt.Sprintf("Service %q is listed twice in environment %q.", s.Name, env.Name)))
		}
		seen[s.Name] = true
		if !serviceRe.MatchString(s.Name) {
			diags = append(diags, errorAt(s.DefRange, "Invalid service name", fmt.Sprintf("%q is not a service name: use lower-case letters, digits and '-'.", s.Name)))
		} else if !contains(Services, s.Name) && s.TaskRole == "" {
			detail := fmt.Sprintf("%q is not a Lakerunner service, so its role cannot be defaulted: set task_role, or use one of %s.", s.Name, quoteList(Services))
			if m := closest(s.Name, Services); m != "" {
				detail = fmt.Sprintf("%q is not a Lakerunner service; did you mean %q? A custom service needs task_role set.", s.Name, m)
			}
			diags = append(diags, errorAt(s.DefRange, "Unknown service", detail))
		}
	}
	return diags
}

func validateRoleOverrides(env *Environment) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]*RoleOverride{}
	for _, o := range env.Roles {
		pos := o.Pos()
		if prev, dup := seen[o.Kind]; dup {
			diags = append(diags, errorAt(o.DefRange, "Duplicate role block",
				fmt.Sprintf("Role %q is already customized at %s; merge the two blocks.", o.Kind, prev.DefRange)))
		}
		seen[o.Kind] = o
		if o.Path != "" && (!iamPathRe.MatchString(o.Path) || len(o.Path) > 512) {
			diags = append(diags, errorAt(pos.Attr("path"), "Invalid IAM path",
				fmt.Sprintf("%q is not an IAM path: it starts and ends with '/', e.g. \"/lakerunner/\", at most 512 characters.", o.Path)))
		}
		if o.PermissionsBoundary != "" && (!arnRe.MatchString(o.PermissionsBoundary) || !strings.Contains(o.PermissionsBoundary, ":policy/")) {
			diags = append(diags, errorAt(pos.Attr("permissions_boundary"), "Invalid permissions boundary",
				fmt.Sprintf("%q is not a managed policy ARN such as \"arn:aws:iam::123456789012:policy/boundary\".", o.PermissionsBoundary)))
		} else if o.PermissionsBoundary != "" && !strings.HasPrefix(o.PermissionsBoundary, "arn:"+env.Partition+":") {
			diags = append(diags, errorAt(pos.Attr("permissions_boundary"), "Permissions boundary in another partition",
				fmt.Sprintf("%q is not in partition %q of environment %q: write it as %q.", o.PermissionsBoundary, env.Partition, env.Name, inPartition(o.PermissionsBoundary, env.Partition))))
		}
		if pos.Has("max_session_duration") && (o.MaxSessionDuration < 3600 || o.MaxSessionDuration > 43200) {
			diags = append(diags, errorAt(pos.Attr("max_session_duration"), "Invalid max session duration",
				fmt.Sprintf("%d is outside IAM's range for a role's maximum session duration: 3600 to 43200 seconds (1 to 12 hours).", o.MaxSessionDuration)))
		}
		if o.Description != nil && len(*o.Description) > 1000 {
			diags = append(diags, errorAt(pos.Attr("description"), "Description too long",
				fmt.Sprintf("The description has %d characters; IAM allows at most 1000.", len(*o.Description))))
		}
		for i, a := range o.ManagedPolicyARNs {
			rng := elemRange(pos, "managed_policy_arns", i, len(o.ManagedPolicyARNs))
			if !arnRe.MatchString(a) || !strings.Contains(a, ":policy/") {
				diags = append(diags, errorAt(rng, "Invalid managed policy ARN",
					fmt.Sprintf("%q is not a managed policy ARN such as \"arn:aws:iam::aws:policy/ReadOnlyAccess\".", a)))
			} else {
				diags = append(diags, policyOwner(rng, env, "Managed policy", a)...)
			}
		}
		for i, a := range o.TrustedPrincipals {
			rng := elemRange(pos, "trusted_principal_arns", i, len(o.TrustedPrincipals))
			switch {
			case a == "*":
				diags = append(diags, errorAt(rng, "Wildcard principal", wildcardPrincipalDetail))
			case !arnRe.MatchString(a) || !strings.Contains(a, ":iam::") || strings.ContainsAny(a, "*?"):
				diags = append(diags, errorAt(rng, "Invalid principal ARN",
					fmt.Sprintf("%q is not an IAM principal ARN without wildcards, such as \"arn:aws:iam::123456789012:role/break-glass\".", a)))
			}
		}
		if o.PermissionsBoundary != "" && arnRe.MatchString(o.PermissionsBoundary) && strings.Contains(o.PermissionsBoundary, ":policy/") &&
			strings.HasPrefix(o.PermissionsBoundary, "arn:"+env.Partition+":") {
			diags = append(diags, policyOwner(pos.Attr("permissions_boundary"), env, "Permissions boundary", o.PermissionsBoundary)...)
		}
		if o.Description != nil && !descriptionRe.MatchString(*o.Description) {
			diags = append(diags, errorAt(pos.Attr("description"), "Invalid character in description",
				"IAM role descriptions may contain only tab, line feed, carriage return, printable ASCII and the characters U+00A1 to U+00FF."))
		}
		diags = append(diags, duplicateSids(o)...)
		diags = append(diags, validateTags(pos, "tags", o.Tags)...)
		for _, a := range o.Accepts {
			if !findingCodeRe.MatchString(a.Code) {
				diags = append(diags, errorAt(a.DefRange, "Invalid finding code",
					fmt.Sprintf("%q is not a finding code of lakerunner-iam check, such as \"LR003\".", a.Code)))
			}
			if strings.TrimSpace(a.Reason) == "" {
				diags = append(diags, errorAt(a.Pos().Attr("reason"), "Accepted finding without a reason",
					"Say why the finding is accepted: reviewers read it."))
			}
		}
		for _, st := range o.Statements {
			diags = append(diags, validateStatement(st)...)
		}
	}
	return diags
}

var conditionOperatorRe = regexp.MustCompile(`^(ForAllValues:|ForAnyValue:)?(String(Not)?Equals(IgnoreCase)?|String(Not)?Like|Numeric(Not)?Equals|Numeric(Less|Greater)Than(Equals)?|Date(Not)?Equals|Date(Less|Greater)Than(Equals)?|Bool|BinaryEquals|IpAddress|NotIpAddress|Arn(Not)?Equals|Arn(Not)?Like)(IfExists)?$|^Null$`)

func validateStatement(st *Statement) hcl.Diagnostics {
	var diags hcl.Diagnostics
	pos := st.Pos()
	if st.Effect != "" && st.Effect != "Allow" && st.Effect != "Deny" {
		diags = append(diags, errorAt(pos.Attr("effect"), "Invalid effect", fmt.Sprintf("%q is not an IAM effect: use \"Allow\" or \"Deny\".", st.Effect)))
	}
	if st.Sid != "" && !regexp.MustCompile(`^[A-Za-z0-9]+$`).MatchString(st.Sid) {
		detail := fmt.Sprintf("%q is not a statement ID: IAM allows only letters and digits.", st.Sid)
		if sid := sidFrom(st.Sid); sid != "" {
			detail += fmt.Sprintf(" Write it as %q, for example.", sid)
		}
		diags = append(diags, errorAt(pos.Attr("sid"), "Invalid Sid", detail))
	}
	if (len(st.Actions) == 0) == (len(st.NotActions) == 0) {
		diags = append(diags, errorAt(st.DefRange, "Statement needs actions", "Set exactly one of actions and not_actions."))
	}
	if (len(st.Resources) == 0) == (len(st.NotResources) == 0) {
		diags = append(diags, errorAt(st.DefRange, "Statement needs resources", "Set exactly one of resources and not_resources (use [\"*\"] only when the actions cannot be scoped)."))
	}
	diags = append(diags, validatePolicyVariables(st)...)
	for _, l := range []struct {
		attr string
		list []string
	}{{"actions", st.Actions}, {"not_actions", st.NotActions}} {
		attr, list := l.attr, l.list
		for i, a := range list {
			if a != "*" && !regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9*?]+$`).MatchString(a) {
				diags = append(diags, errorAt(elemRange(pos, attr, i, len(list)), "Invalid action", fmt.Sprintf("%q is not an IAM action such as \"s3:GetObject\".", a)))
			}
		}
	}
	for _, l := range []struct {
		attr string
		list []string
	}{{"resources", st.Resources}, {"not_resources", st.NotResources}} {
		attr, list := l.attr, l.list
		for i, r := range list {
			if r != "*" && !strings.HasPrefix(r, "arn:") {
				diags = append(diags, errorAt(elemRange(pos, attr, i, len(list)), "Invalid resource", fmt.Sprintf("%q is not an ARN (or \"*\").", r)))
			}
		}
	}
	for _, c := range st.Conditions {
		if !conditionOperatorRe.MatchString(c.Test) {
			detail := fmt.Sprintf("%q is not an IAM condition operator such as \"StringEquals\" or \"ArnLike\".", c.Test)
			if m := closest(c.Test, conditionOperators); m != "" {
				detail = fmt.Sprintf("%q is not an IAM condition operator. Did you mean %q?", c.Test, m)
			}
			diags = append(diags, errorAt(c.Pos().Attr("test"), "Invalid condition operator", detail))
		}
		if !strings.Contains(c.Variable, ":") {
			diags = append(diags, errorAt(c.Pos().Attr("variable"), "Invalid condition key", fmt.Sprintf("%q is not a condition key such as \"aws:SourceAccount\".", c.Variable)))
		}
		if len(c.Values) == 0 {
			diags = append(diags, errorAt(c.Pos().Attr("values"), "Condition without values",
				fmt.Sprintf("Condition %s on %q has no values; IAM rejects the policy. Give at least one value, or remove the condition.", c.Test, c.Variable)))
		}
	}
	return diags
}

// validateTags applies IAM's tag limits: at most 50, keys up to 128 and
// values up to 256 characters of letters, digits, spaces and _.:/=+-@, no
// "aws:" prefix. Each problem points at its key or value in the map.
func validateTags(pos Pos, attr string, tags map[string]string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if len(tags) > 50 {
		diags = append(diags, errorAt(pos.Attr(attr), "Too many tags", fmt.Sprintf("%d tags given; IAM allows at most 50 per role.", len(tags))))
	}
	for _, k := range sortedKeys(tags) {
		v := tags[k]
		keyRng, valRng := mapItemRanges(pos, attr, k)
		switch {
		case utf8.RuneCountInString(k) == 0 || utf8.RuneCountInString(k) > 128:
			diags = append(diags, errorAt(keyRng, "Invalid tag key", fmt.Sprintf("Tag key %q has %d characters; it must be 1 to 128 characters.", k, utf8.RuneCountInString(k))))
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			diags = append(diags, errorAt(keyRng, "Reserved tag key", fmt.Sprintf("Tag key %q uses the reserved prefix \"aws:\".", k)))
		case !tagTextRe.MatchString(k):
			diags = append(diags, errorAt(keyRng, "Invalid tag key", fmt.Sprintf("Tag key %q has characters IAM does not allow in tags: use letters, digits, spaces and _.:/=+-@.", k)))
		case utf8.RuneCountInString(v) > 256:
			diags = append(diags, errorAt(valRng, "Tag value too long", fmt.Sprintf("The value of tag %q has %d characters; IAM allows at most 256.", k, utf8.RuneCountInString(v))))
		case !tagTextRe.MatchString(v):
			diags = append(diags, errorAt(valRng, "Invalid tag value", fmt.Sprintf("The value of tag %q has characters IAM does not allow in tags: use letters, digits, spaces and _.:/=+-@.", k)))
		}
	}
	return diags
}

// tagTextRe is what IAM allows in tag keys and values.
var tagTextRe = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// descriptionRe is what IAM allows in a role description.
var descriptionRe = regexp.MustCompile(`^[\t\n\r\x{20}-\x{7E}\x{A1}-\x{FF}]*$`)

// wildcardPrincipalDetail explains why "*" cannot be trusted.
const wildcardPrincipalDetail = `"*" lets any AWS principal of any account assume the role (checkov CKV_AWS_60). Name each principal exactly, e.g. "arn:aws:iam::123456789012:role/break-glass", or trust an account and require an ExternalId with a cross_account block.`

// policyOwner checks that a managed policy ARN can be attached in env:
// its partition, and its account (AWS's own, or the environment's).
func policyOwner(rng hcl.Range, env *Environment, what, arn string) hcl.Diagnostics {
	parts := strings.SplitN(arn, ":", 6)
	switch {
	case parts[1] != env.Partition:
		return hcl.Diagnostics{errorAt(rng, what+" in another partition",
			fmt.Sprintf("%q is in partition %q, but environment %q is in %q: write it as %q.", arn, parts[1], env.Name, env.Partition, inPartition(arn, env.Partition)))}
	case parts[4] != "aws" && parts[4] != env.AccountID:
		return hcl.Diagnostics{errorAt(rng, what+" of another account",
			fmt.Sprintf("%q belongs to account %s, but IAM attaches only AWS managed policies and policies of the role's own account (%s, environment %q). Create the policy in account %s, or add its statements to the role as statement blocks.", arn, parts[4], env.AccountID, env.Name, env.AccountID))}
	}
	return nil
}

// conditionOperators are IAM's condition operators without the
// ForAllValues:/ForAnyValue: and IfExists decorations, for "did you mean".
var conditionOperators = []string{
	"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
	"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
	"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
	"Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike", "Null",
}

// sidFrom turns an invalid Sid such as "read-reports" into a valid one,
// "ReadReports"; "" when nothing is left.
func sidFrom(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			if upper && r >= 'a' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			upper = false
		default:
			upper = true
		}
	}
	return b.String()
}

// inPartition is arn moved to another partition.
func inPartition(arn, partition string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 3 {
		return arn
	}
	return "arn:" + partition + ":" + parts[2]
}

// firstSyntaxErrors keeps, of a file's syntax errors, those at the first
// position: one mistake (an unterminated string) makes the parser report
// errors all the way down, which only the first explains.
func firstSyntaxErrors(diags hcl.Diagnostics) hcl.Diagnostics {
	var first *hcl.Range
	for _, d := range diags {
		if d.Severity == hcl.DiagError && d.Subject != nil && (first == nil || d.Subject.Start.Byte < first.Start.Byte) {
			first = d.Subject
		}
	}
	if first == nil {
		return diags
	}
	var kept hcl.Diagnostics
	for _, d := range diags {
		if d.Severity != hcl.DiagError || d.Subject == nil || d.Subject.Start.Byte == first.Start.Byte {
			kept = append(kept, d)
		}
	}
	if dropped := len(diags) - len(kept); dropped > 0 {
		last := *kept[len(kept)-1]
		note := "1 later syntax error, which may follow from this one, is not shown"
		if dropped > 1 {
			note = fmt.Sprintf("%d later syntax errors, which may follow from this one, are not shown", dropped)
		}
		last.Detail += " (" + note + ": fix this and run again.)"
		kept[len(kept)-1] = &last
	}
	return kept
}

// duplicateSids finds statements of one role block that share a Sid: IAM
// rejects such a policy, and the later would silently replace the earlier.
func duplicateSids(o *RoleOverride) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]*Statement{}
	for _, st := range o.Statements {
		if st.Sid == "" {
			continue
		}
		if prev, dup := seen[st.Sid]; dup {
			diags = append(diags, errorAt(st.Pos().Attr("sid"), "Duplicate Sid",
				fmt.Sprintf("Role %q already has a statement with Sid %q at %s; statement IDs must be unique within a policy. Rename one, or merge the two statements.", o.Kind, st.Sid, prev.Pos().Attr("sid"))))
			continue
		}
		seen[st.Sid] = st
	}
	return diags
}

// elemRange is the range of element i of a list attribute that has n
// elements, so a diagnostic can point at the one bad value; the whole
// attribute when the list is not written out element by element.
func elemRange(pos Pos, attr string, i, n int) hcl.Range {
	a := pos.attribute(attr)
	if a == nil {
		return pos.DefRange
	}
	elems, diags := hcl.ExprList(a.Expr)
	if diags.HasErrors() || len(elems) != n || i >= n {
		return a.Expr.Range()
	}
	return elems[i].Range()
}

// mapItemRanges are the ranges of the key and the value of one item of a
// map attribute; the whole attribute when the item cannot be found.
func mapItemRanges(pos Pos, attr, key string) (keyRng, valRng hcl.Range) {
	a := pos.attribute(attr)
	if a == nil {
		return pos.DefRange, pos.DefRange
	}
	pairs, diags := hcl.ExprMap(a.Expr)
	if diags.HasErrors() {
		return a.Expr.Range(), a.Expr.Range()
	}
	for _, p := range pairs {
		k, diags := p.Key.Value(nil)
		if diags.HasErrors() || !k.IsKnown() || k.IsNull() {
			continue
		}
		if k, err := convert.Convert(k, cty.String); err == nil && k.AsString() == key {
			return p.Key.Range(), p.Value.Range()
		}
	}
	return a.Expr.Range(), a.Expr.Range()
}

// writtenAsNumber reports whether an expression is a number literal.
func writtenAsNumber(expr hcl.Expression) bool {
	v, diags := expr.Value(nil)
	return !diags.HasErrors() && v.Type() == cty.Number
}

// requiredHints complete gohcl's "Missing required argument" with what
// the argument is and how to write it.
var requiredHints = map[string]string{
	"account_id": `Add the 12-digit AWS account the environment deploys to, as a string: account_id = "123456789012".`,
	"region":     `Add the AWS region the environment runs in: region = "us-east-1".`,
	"bucket":     `Add the S3 bucket that holds the Terraform state: bucket = "acme-terraform-state".`,
	"reason":     `Say why the finding is accepted: reason = "...". Reviewers read it.`,
	"test":       `Add the condition operator: test = "StringEquals".`,
	"variable":   `Add the condition key: variable = "aws:SourceAccount".`,
	"values":     `Add the values the key is compared with: values = ["123456789012"].`,
}

var missingArgRe = regexp.MustCompile(`^The argument "([^"]+)" is required`)

// explainDecodeDiags adds hints to gohcl's diagnostics for missing
// arguments and values of the wrong type, which say what is wrong but not
// how to write it right.
func explainDecodeDiags(file *hcl.File, diags hcl.Diagnostics) hcl.Diagnostics {
	for _, d := range diags {
		switch d.Summary {
		case "Missing required argument":
			if m := missingArgRe.FindStringSubmatch(d.Detail); m != nil && requiredHints[m[1]] != "" {
				d.Detail += " " + requiredHints[m[1]]
			}
			if d.Subject != nil {
				if rng, ok := blockAt(file, d.Subject.Start); ok {
					d.Subject = &rng // the block, rather than its opening brace
				}
			}
		case "Unsuitable value type":
			if d.Subject == nil {
				continue
			}
			problem := strings.TrimPrefix(d.Detail, "Unsuitable value: ")
			name := attributeAt(file, d.Subject.Start)
			d.Summary = "Wrong type of value"
			if name != "" {
				d.Detail = fmt.Sprintf("The value of %s is not suitable: %s.", name, problem)
			} else {
				d.Detail = fmt.Sprintf("This value is not suitable: %s.", problem)
			}
			if hint := typeHint(problem, name, strings.HasSuffix(d.Subject.Filename, ".json")); hint != "" {
				d.Detail += " " + hint
			}
		}
	}
	return diags
}

// typeHint says how to write a value of the type gohcl asked for.
func typeHint(problem, name string, json bool) string {
	switch {
	case strings.Contains(problem, "null value is not allowed"):
		if requiredHints[name] != "" {
			return requiredHints[name]
		}
		return "Give a value, or remove the argument to use its default."
	case strings.Contains(problem, "bool is required"):
		return "Write true or false, without quotes."
	case strings.Contains(problem, "number is required"):
		return "Write a whole number without quotes, e.g. 7200."
	case strings.HasPrefix(problem, "list of string required") && json:
		return `Write a JSON array of strings, e.g. ["lakerunner-data"], even for one value.`
	case strings.HasPrefix(problem, "list of string required"):
		return `Write a list of strings in brackets, e.g. ["lakerunner-data"], even for one value.`
	case strings.HasPrefix(problem, "map of string required") && json:
		return `Write a JSON object of strings, e.g. {"Team": "platform"}.`
	case strings.HasPrefix(problem, "map of string required"):
		return `Write a map of strings in braces, e.g. { Team = "platform" }.`
	case strings.Contains(problem, "string required"):
		return `Write a quoted string.`
	}
	return ""
}

// blockAt returns the header of the native-syntax block whose opening
// brace is at pos.
func blockAt(file *hcl.File, pos hcl.Pos) (hcl.Range, bool) {
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		return hcl.Range{}, false
	}
	var rng hcl.Range
	found := false
	_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
		if b, ok := n.(*hclsyntax.Block); ok && b.OpenBraceRange.Start.Byte == pos.Byte {
			rng, found = b.DefRange(), true
		}
		return nil
	})
	return rng, found
}

// maxNumberExp bounds the binary exponent of a number in a spec (about
// 10^±1200). Decoding converts numbers to strings digit by digit, so a
// literal such as 1e99999999 would take minutes and gigabytes; no value of
// a spec is anywhere near this.
const maxNumberExp = 4000

// checkNumbers rejects number literals too large or too small to decode:
// in native syntax from the syntax tree, in JSON from its tokens and the
// templates in its strings.
func checkNumbers(file *hcl.File, src []byte) hcl.Diagnostics {
	var diags hcl.Diagnostics
	bad := func(v cty.Value, rng hcl.Range) {
		if v.Type() != cty.Number || v.IsNull() || !v.IsKnown() {
			return
		}
		if exp := v.AsBigFloat().MantExp(nil); exp > maxNumberExp || exp < -maxNumberExp {
			diags = append(diags, errorAt(rng, "Number out of range",
				"This number is too large or too small for a spec: its values are durations, counts and IDs such as 7200. Write an AWS account ID as a quoted string of 12 digits."))
		}
	}
	visit := func(n hclsyntax.Node) hcl.Diagnostics {
		if lit, ok := n.(*hclsyntax.LiteralValueExpr); ok {
			bad(lit.Val, lit.SrcRange)
		}
		return nil
	}
	if body, ok := file.Body.(*hclsyntax.Body); ok {
		_ = hclsyntax.VisitAll(body, visit)
		return diags
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	filename := file.Body.MissingItemRange().Filename
	for {
		prev := int(dec.InputOffset())
		tok, err := dec.Token()
		if err != nil {
			return diags // io.EOF, or JSON that HCL's parser accepted and this one does not
		}
		// The token starts after the white space and separators that
		// follow the previous one.
		start := prev + len(src[prev:]) - len(bytes.TrimLeft(src[prev:], " \t\r\n:,"))
		rng := hcl.Range{Filename: filename, Start: posAt(src, start), End: posAt(src, int(dec.InputOffset()))}
		switch tok := tok.(type) {
		case json.Number:
			f, _, err := big.ParseFloat(string(tok), 10, 64, big.ToNearestEven)
			if err == nil {
				bad(cty.NumberVal(f), rng)
			}
		case string:
			if strings.Contains(tok, "${") || strings.Contains(tok, "%{") {
				if expr, d := hclsyntax.ParseTemplate([]byte(tok), rng.Filename, rng.Start); !d.HasErrors() {
					_ = hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
						if lit, ok := n.(*hclsyntax.LiteralValueExpr); ok {
							bad(lit.Val, rng)
						}
						return nil
					})
				}
			}
		}
	}
}

// posAt is the position of a byte offset in src.
func posAt(src []byte, off int) hcl.Pos {
	off = min(max(off, 0), len(src))
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	col := 1 + utf8.RuneCount(src[bytes.LastIndexByte(src[:off], '\n')+1:off])
	return hcl.Pos{Line: line, Column: col, Byte: off}
}

// attributeAt names the attribute whose value is at pos: from the syntax
// tree for native syntax, from the context path ("environment.prod.tags")
// for JSON.
func attributeAt(file *hcl.File, pos hcl.Pos) string {
	if body, ok := file.Body.(*hclsyntax.Body); ok {
		name := ""
		_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
			if a, ok := n.(*hclsyntax.Attribute); ok && a.Expr.Range().ContainsPos(pos) {
				name = a.Name
			}
			return nil
		})
		return name
	}
	if cs, ok := file.Nav.(interface{ ContextString(offset int) string }); ok {
		if c := cs.ContextString(pos.Byte); c != "" {
			return c[strings.LastIndex(c, ".")+1:]
		}
	}
	return ""
}

func errorAt(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()}
}
