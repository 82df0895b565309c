package schema

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// Load reads, decodes, defaults and validates a spec file. The file is HCL
// native syntax, or HCL's JSON form when its name ends in ".json". The
// returned parser holds the sources for printing diagnostics with snippets.
func Load(filename string) (*Spec, *hclparse.Parser, hcl.Diagnostics) {
	parser := hclparse.NewParser()
	src, err := os.ReadFile(filename)
	if err != nil {
		return nil, parser, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read spec file",
			Detail:   fmt.Sprintf("%s. Pass the path of a Lakerunner spec (see examples/lakerunner.hcl).", err),
		}}
	}
	spec, diags := Parse(parser, filename, src)
	return spec, parser, diags
}

// Parse decodes spec source that was read already; see Load.
func Parse(parser *hclparse.Parser, filename string, src []byte) (*Spec, hcl.Diagnostics) {
	var file *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(filename, ".json") {
		file, diags = parser.ParseJSON(src, filename)
	} else {
		file, diags = parser.ParseHCL(src, filename)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	spec := &Spec{Filename: filename, Src: src}
	diags = append(diags, gohcl.DecodeBody(file.Body, nil, spec)...)
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
		bad("account_id", "Invalid AWS account ID",
			fmt.Sprintf("%q is not an AWS account ID: it must be exactly 12 digits, written as a string (quote it so leading zeros are kept).", env.AccountID))
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
			fmt.Sprintf("%q cannot start IAM role names: use at most 38 letters, digits and +=,.@_- characters, starting with a letter or digit.", env.NamePrefix))
	}
	if env.Compute != "fargate" && env.Compute != "ec2" {
		bad("compute", "Invalid compute type",
			fmt.Sprintf("%q is not a compute type: use \"fargate\", or \"ec2\" to also generate the ECS instance role and its instance profile.", env.Compute))
	}
	if env.AWSEndpoint != "" && !strings.HasPrefix(env.AWSEndpoint, "http://") && !strings.HasPrefix(env.AWSEndpoint, "https://") {
		bad("aws_endpoint", "Invalid AWS endpoint",
			fmt.Sprintf("%q is not an http(s) URL; a LocalStack endpoint looks like \"http://localhost:4566\".", env.AWSEndpoint))
	}
	for _, slr := range env.ServiceLinkedRoles {
		if !strings.HasSuffix(slr, ".amazonaws.com") {
			bad("service_linked_roles", "Invalid service-linked role service",
				fmt.Sprintf("%q is not an AWS service principal: name the service, e.g. \"ecs.amazonaws.com\".", slr))
		}
	}
	diags = append(diags, validateTags(pos.Attr("tags"), env.Tags)...)
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
		for _, v := range n.vals {
			if !n.re.MatchString(v) {
				bad(n.attr, "Invalid resource name", fmt.Sprintf("%q is not a valid %s. Give the name, not the ARN; IAM wildcards * and ? are allowed.", v, n.what))
			}
		}
	}
	for _, p := range r.SSMParameterPaths {
		if !ssmPathRe.MatchString(p) {
			bad("ssm_parameter_paths", "Invalid SSM parameter path", fmt.Sprintf("%q is not an SSM parameter path: it starts and ends with '/', e.g. \"/lakerunner/\".", p))
		}
	}
	for _, k := range r.KMSKeyARNs {
		if k != "*" && !arnRe.MatchString(k) {
			bad("kms_key_arns", "Invalid KMS key ARN", fmt.Sprintf("%q is not a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), nor \"*\" for any key used through Secrets Manager and SSM.", k))
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
	for _, id := range c.TrustedAccountIDs {
		if !accountIDRe.MatchString(id) {
			diags = append(diags, errorAt(pos.Attr("trusted_account_ids"), "Invalid AWS account ID",
				fmt.Sprintf("%q is not an AWS account ID: it must be exactly 12 digits, as a string.", id)))
		}
	}
	for _, a := range c.TrustedPrincipalARNs {
		if !arnRe.MatchString(a) || !strings.Contains(a, ":iam::") {
			diags = append(diags, errorAt(pos.Attr("trusted_principal_arns"), "Invalid principal ARN",
				fmt.Sprintf("%q is not an IAM principal ARN such as \"arn:aws:iam::210987654321:role/lakerunner\".", a)))
		} else if strings.ContainsAny(a, "*?") {
			diags = append(diags, errorAt(pos.Attr("trusted_principal_arns"), "Wildcard in principal ARN",
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
				fmt.Sprintf("%q is not in partition %q of environment %q.", o.PermissionsBoundary, env.Partition, env.Name)))
		}
		if pos.Has("max_session_duration") && (o.MaxSessionDuration < 3600 || o.MaxSessionDuration > 43200) {
			diags = append(diags, errorAt(pos.Attr("max_session_duration"), "Invalid max session duration",
				fmt.Sprintf("%d is outside IAM's range for a role's maximum session duration: 3600 to 43200 seconds (1 to 12 hours).", o.MaxSessionDuration)))
		}
		if o.Description != nil && len(*o.Description) > 1000 {
			diags = append(diags, errorAt(pos.Attr("description"), "Description too long",
				fmt.Sprintf("The description has %d characters; IAM allows at most 1000.", len(*o.Description))))
		}
		for _, a := range o.ManagedPolicyARNs {
			if !arnRe.MatchString(a) || !strings.Contains(a, ":policy/") {
				diags = append(diags, errorAt(pos.Attr("managed_policy_arns"), "Invalid managed policy ARN",
					fmt.Sprintf("%q is not a managed policy ARN such as \"arn:aws:iam::aws:policy/ReadOnlyAccess\".", a)))
			}
		}
		for _, a := range o.TrustedPrincipals {
			if !arnRe.MatchString(a) || strings.ContainsAny(a, "*?") {
				diags = append(diags, errorAt(pos.Attr("trusted_principal_arns"), "Invalid principal ARN",
					fmt.Sprintf("%q is not an IAM principal ARN without wildcards, such as \"arn:aws:iam::123456789012:role/break-glass\".", a)))
			}
		}
		diags = append(diags, validateTags(pos.Attr("tags"), o.Tags)...)
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
		diags = append(diags, errorAt(pos.Attr("sid"), "Invalid Sid", fmt.Sprintf("%q is not a statement ID: IAM allows only letters and digits.", st.Sid)))
	}
	if (len(st.Actions) == 0) == (len(st.NotActions) == 0) {
		diags = append(diags, errorAt(st.DefRange, "Statement needs actions", "Set exactly one of actions and not_actions."))
	}
	if (len(st.Resources) == 0) == (len(st.NotResources) == 0) {
		diags = append(diags, errorAt(st.DefRange, "Statement needs resources", "Set exactly one of resources and not_resources (use [\"*\"] only when the actions cannot be scoped)."))
	}
	for _, list := range [][]string{st.Actions, st.NotActions} {
		for _, a := range list {
			if a != "*" && !regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9*?]+$`).MatchString(a) {
				diags = append(diags, errorAt(pos.Attr("actions"), "Invalid action", fmt.Sprintf("%q is not an IAM action such as \"s3:GetObject\".", a)))
			}
		}
	}
	for _, list := range [][]string{st.Resources, st.NotResources} {
		for _, r := range list {
			if r != "*" && !strings.HasPrefix(r, "arn:") {
				diags = append(diags, errorAt(pos.Attr("resources"), "Invalid resource", fmt.Sprintf("%q is not an ARN (or \"*\").", r)))
			}
		}
	}
	for _, c := range st.Conditions {
		if !conditionOperatorRe.MatchString(c.Test) {
			diags = append(diags, errorAt(c.Pos().Attr("test"), "Invalid condition operator", fmt.Sprintf("%q is not an IAM condition operator such as \"StringEquals\" or \"ArnLike\".", c.Test)))
		}
		if !strings.Contains(c.Variable, ":") {
			diags = append(diags, errorAt(c.Pos().Attr("variable"), "Invalid condition key", fmt.Sprintf("%q is not a condition key such as \"aws:SourceAccount\".", c.Variable)))
		}
	}
	return diags
}

// validateTags applies IAM's tag limits: at most 50, keys up to 128 and
// values up to 256 characters, no "aws:" prefix.
func validateTags(rng hcl.Range, tags map[string]string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if len(tags) > 50 {
		diags = append(diags, errorAt(rng, "Too many tags", fmt.Sprintf("%d tags given; IAM allows at most 50 per role.", len(tags))))
	}
	for _, k := range sortedKeys(tags) {
		v := tags[k]
		switch {
		case len(k) == 0 || len(k) > 128:
			diags = append(diags, errorAt(rng, "Invalid tag key", fmt.Sprintf("Tag key %q must be 1 to 128 characters.", k)))
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			diags = append(diags, errorAt(rng, "Reserved tag key", fmt.Sprintf("Tag key %q uses the reserved prefix \"aws:\".", k)))
		case len(v) > 256:
			diags = append(diags, errorAt(rng, "Tag value too long", fmt.Sprintf("The value of tag %q has %d characters; IAM allows at most 256.", k, len(v))))
		}
	}
	return diags
}

func errorAt(rng hcl.Range, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()}
}
