package schema

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
)

var (
	regionRe       = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-\d{1,2}$`)
	envNameRe      = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,62}$`)
	namePrefixRe   = regexp.MustCompile(`^[A-Za-z0-9][\w+=,.@-]*$`)
	serviceRe      = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	ssmPathRe      = regexp.MustCompile(`^/[\w.\-/*]*/$`)
	namespaceRe    = mustBounded(`^[^:]+$`, 255)
	dnsLabelRe     = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)
	kecsPrefixRe   = regexp.MustCompile(`^[\w+=,.@-]{1,20}$`)
	bucketNameRe   = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	bucketGlobRe   = regexp.MustCompile(`^[a-z0-9*?][a-z0-9.*?-]{0,62}$`)
	queueGlobRe    = regexp.MustCompile(`^[\w*?-]{1,80}(\.fifo)?$`)
	secretGlobRe   = mustBounded(`^[\w/+=.@*?-]+$`, 512)
	logGroupGlobRe = mustBounded(`^[\w/.#*?-]+$`, 512)
	logGroupRe     = mustBounded(`^[\w/.#-]+$`, 512)
	ecsClusterRe   = mustBounded(`^[A-Za-z0-9_-]+$`, 255)
	mskClusterRe   = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)
)

func validateEnvironment(env *Environment) hcl.Diagnostics {
	var diags hcl.Diagnostics
	pos := env.Pos()
	bad := func(attr, summary, detail string) {
		diags = append(diags, errorAt(pos.Attr(attr), summary, detail))
	}
	if !envNameRe.MatchString(env.Name) {
		diags = append(diags, errorAt(env.DefRange, "Invalid environment name",
			fmt.Sprintf("%s is not a valid environment name: it becomes a directory and Terraform identifiers, so use lower-case letters, digits, '-' and '_' (at most 63), starting with a letter or digit.", Quote(env.Name))))
	}
	if !iamlimits.AccountIDRe.MatchString(env.AccountID) {
		if a := pos.attribute("account_id"); a != nil && writtenAsNumber(a.Expr) && len(env.AccountID) < 12 {
			bad("account_id", "Invalid AWS account ID",
				fmt.Sprintf("account_id is written as a number, so it lost its leading zeros and became %q. Write it as a string: account_id = \"%s\".", env.AccountID, strings.Repeat("0", 12-len(env.AccountID))+env.AccountID))
		} else {
			bad("account_id", "Invalid AWS account ID",
				fmt.Sprintf("%s is not an AWS account ID: it must be exactly 12 digits, written as a string (quote it so leading zeros are kept).", Quote(env.AccountID)))
		}
	}
	if !regionRe.MatchString(env.Region) {
		bad("region", "Invalid AWS region", fmt.Sprintf("%s is not an AWS region name such as \"us-east-1\", \"us-gov-west-1\" or \"cn-north-1\".", Quote(env.Region)))
	} else if d := unknownRegion(env, pos.Attr("region"), env.Region); d != nil {
		diags = append(diags, d)
	}
	if !slices.Contains(Partitions, env.Partition) {
		bad("partition", "Invalid AWS partition",
			fmt.Sprintf("%s is not a partition this tool supports; use one of %s.", Quote(env.Partition), quoteList(Partitions)))
	} else if regionRe.MatchString(env.Region) && PartitionOf(env.Region) != env.Partition {
		bad("partition", "Partition does not match region",
			fmt.Sprintf("Region %q is in partition %q, not %q. Remove partition to let it follow the region.", env.Region, PartitionOf(env.Region), env.Partition))
	}
	if !namePrefixRe.MatchString(env.NamePrefix) || len(env.NamePrefix) > iamlimits.NamePrefixMax {
		bad("name_prefix", "Invalid name prefix",
			fmt.Sprintf("%s (%d characters) cannot start IAM role names: use at most %d letters, digits and +=,.@_- characters, starting with a letter or digit, so that every role name stays within IAM's %d.", Quote(env.NamePrefix), len(env.NamePrefix), iamlimits.NamePrefixMax, iamlimits.RoleNameMax))
	}
	if env.Compute != "fargate" && env.Compute != "ec2" {
		bad("compute", "Invalid compute type",
			fmt.Sprintf("%s is not a compute type: use \"fargate\", or \"ec2\" to also generate the ECS instance role and its instance profile.", Quote(env.Compute)))
	}
	if env.AWSEndpoint != "" && !isHTTPURL(env.AWSEndpoint) {
		bad("aws_endpoint", "Invalid AWS endpoint",
			fmt.Sprintf("%s is not an http(s) URL; a LocalStack endpoint looks like \"http://localhost:4566\".", Quote(env.AWSEndpoint)))
	}
	diags = append(diags, validateServiceLinkedRoles(env)...)
	diags = append(diags, validateTags(pos, "tags", env.Tags)...)
	diags = append(diags, validateResources(env)...)
	if env.CrossAccount != nil {
		diags = append(diags, validateCrossAccount(env, env.CrossAccount)...)
	}
	if k := env.KECS; k != nil {
		pos := k.Pos()
		if !dnsLabelRe.MatchString(k.Namespace) {
			diags = append(diags, errorAt(pos.Attr("namespace"), "Invalid Kubernetes namespace",
				fmt.Sprintf("%s is not a Kubernetes namespace name: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit.", Quote(k.Namespace))))
		}
		if !isHTTPURL(k.Endpoint) {
			diags = append(diags, errorAt(pos.Attr("endpoint"), "Invalid LocalStack endpoint",
				fmt.Sprintf("%s is not an http(s) URL such as %q.", Quote(k.Endpoint), DefaultKECSEndpoint)))
		}
		if k.RolePrefix != "" && !kecsPrefixRe.MatchString(k.RolePrefix) {
			diags = append(diags, errorAt(pos.Attr("role_prefix"), "Invalid role prefix",
				fmt.Sprintf("%s cannot start IAM role names: use at most 20 letters, digits and +=,.@_- characters.", Quote(k.RolePrefix))))
		}
	}
	if b := env.Backend; b != nil {
		pos := b.Pos()
		if !bucketNameRe.MatchString(b.Bucket) {
			diags = append(diags, errorAt(pos.Attr("bucket"), "Invalid S3 bucket name",
				fmt.Sprintf("%s is not an S3 bucket name (3-63 lower-case letters, digits, '.' and '-').", Quote(b.Bucket))))
		}
		if b.DynamoDBTable != "" && *b.UseLockfile {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Two state locks",
				Detail: "Both use_lockfile and dynamodb_table are set: Terraform takes both locks. Keep one unless you are migrating between them.", Subject: pos.Attr("use_lockfile").Ptr()})
		}
		if !regionRe.MatchString(b.Region) {
			diags = append(diags, errorAt(pos.Attr("region"), "Invalid AWS region", fmt.Sprintf("%s is not an AWS region name.", Quote(b.Region))))
		} else if d := unknownRegion(env, pos.Attr("region"), b.Region); d != nil {
			diags = append(diags, d)
		}
	}
	diags = append(diags, validatePlatform(env)...)
	diags = append(diags, validateServices(env)...)
	diags = append(diags, validateRoleOverrides(env)...)
	diags = append(diags, validateExpects(env)...)
	return diags
}

func isHTTPURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// validateServiceLinkedRoles checks that each names an AWS service, once:
// IAM has one service-linked role per service and account.
func validateServiceLinkedRoles(env *Environment) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]string{}
	for i, slr := range env.ServiceLinkedRoles {
		rng := elemRange(env.Pos(), "service_linked_roles", i, len(env.ServiceLinkedRoles))
		if !strings.HasSuffix(slr, ".amazonaws.com") {
			diags = append(diags, errorAt(rng, "Invalid service-linked role service",
				fmt.Sprintf("%s is not an AWS service principal: name the service, e.g. \"ecs.amazonaws.com\".", Quote(slr))))
		}
		if prev, dup := seen[strings.ToLower(slr)]; dup {
			diags = append(diags, errorAt(rng, "Duplicate service-linked role",
				fmt.Sprintf("%s is listed already (as %s); an account has one service-linked role per service. Remove this entry.", Quote(slr), Quote(prev))))
		}
		seen[strings.ToLower(slr)] = slr
	}
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
		re   interface{ MatchString(string) bool }
	}{
		{"s3_buckets", r.S3Buckets, "S3 bucket name or pattern", bucketGlobRe},
		{"sqs_queues", r.SQSQueues, "SQS queue name or pattern", queueGlobRe},
		{"secrets", r.Secrets, "Secrets Manager secret name or pattern", secretGlobRe},
		{"database_secrets", r.DatabaseSecrets, "Secrets Manager secret name or pattern", secretGlobRe},
		{"log_groups", r.LogGroups, "CloudWatch log group name or pattern", logGroupGlobRe},
	}
	for _, n := range names {
		for i, v := range n.vals {
			if d, isARN := resourceARN(env, n.attr, v, func() hcl.Range { return elemRange(pos, n.attr, i, len(n.vals)) }); isARN { // validate_tiers.go
				if d != nil {
					diags = append(diags, d)
				}
			} else if !n.re.MatchString(v) {
				diags = append(diags, errorAt(elemRange(pos, n.attr, i, len(n.vals)), "Invalid resource name", fmt.Sprintf("%s is not a valid %s. Give the name, not the ARN; IAM wildcards * and ? are allowed.", Quote(v), n.what)))
			}
		}
	}
	for i, p := range r.SSMParameterPaths {
		if !ssmPathRe.MatchString(p) {
			diags = append(diags, errorAt(elemRange(pos, "ssm_parameter_paths", i, len(r.SSMParameterPaths)), "Invalid SSM parameter path", fmt.Sprintf("%s is not an SSM parameter path: it starts and ends with '/', e.g. \"/lakerunner/\".", Quote(p))))
		}
	}
	for i, k := range r.KMSKeyARNs {
		if k == "*" {
			continue
		}
		rng := elemRange(pos, "kms_key_arns", i, len(r.KMSKeyARNs))
		if a, err := iamlimits.KMSKeyARN(k); err != nil {
			diags = append(diags, errorAt(rng, "Invalid KMS key ARN", fmt.Sprintf("%s is not a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>), nor \"*\" for any key used through Secrets Manager and SSM: %s.", Quote(k), err)))
		} else if a.Partition != env.Partition {
			diags = append(diags, otherPartition(rng, env, "KMS key", k, a.Partition))
		}
	}
	if !logGroupRe.MatchString(r.MigrationLogGroup) {
		bad("migration_log_group", "Invalid log group name", fmt.Sprintf("%s is not a CloudWatch log group name.", Quote(r.MigrationLogGroup)))
	}
	if !namespaceRe.MatchString(r.MetricsNamespace) || strings.HasPrefix(r.MetricsNamespace, "AWS/") {
		bad("metrics_namespace", "Invalid metrics namespace", fmt.Sprintf("%s is not a custom CloudWatch namespace (1-255 characters, no ':', not starting with \"AWS/\").", Quote(r.MetricsNamespace)))
	}
	if !ecsClusterRe.MatchString(r.ECSCluster) {
		bad("ecs_cluster", "Invalid ECS cluster name", fmt.Sprintf("%s is not an ECS cluster name (letters, digits, '-' and '_').", Quote(r.ECSCluster)))
	}
	if !mskClusterRe.MatchString(r.MSKCluster) {
		bad("msk_cluster", "Invalid MSK cluster name", fmt.Sprintf("%s is not an MSK cluster name (letters, digits and '-', at most 64).", Quote(r.MSKCluster)))
	}
	return diags
}

func validateCrossAccount(env *Environment, c *CrossAccount) hcl.Diagnostics {
	var diags hcl.Diagnostics
	pos := c.Pos()
	if len(c.TrustedAccountIDs) == 0 && len(c.TrustedPrincipalARNs) == 0 {
		diags = append(diags, errorAt(c.DefRange, "Cross-account role trusts nobody",
			"Set trusted_account_ids or trusted_principal_arns to say who may assume the cross-account role."))
	}
	for i, id := range c.TrustedAccountIDs {
		if !iamlimits.AccountIDRe.MatchString(id) {
			diags = append(diags, errorAt(elemRange(pos, "trusted_account_ids", i, len(c.TrustedAccountIDs)), "Invalid AWS account ID",
				fmt.Sprintf("%s is not an AWS account ID: it must be exactly 12 digits, as a string.", Quote(id))))
		}
	}
	diags = append(diags, validatePrincipals(env, pos, "trusted_principal_arns", c.TrustedPrincipalARNs)...)
	// Without external_id the role trusts without one (kind
	// cross-account-no-external-id); lint warns (LR009) for whole accounts.
	if err := iamlimits.ExternalID(c.ExternalID); c.Pos().Has("external_id") && err != nil {
		diags = append(diags, errorAt(pos.Attr("external_id"), "Invalid ExternalId", sentence(err)))
	}
	return diags
}

func validateServices(env *Environment) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]bool{}
	known := KnownServices(env.catalog)
	for _, s := range env.Services {
		if seen[s.Name] {
			diags = append(diags, errorAt(s.DefRange, "Duplicate service", fmt.Sprintf("Service %s is listed twice in environment %q.", Quote(s.Name), env.Name)))
		}
		seen[s.Name] = true
		if !serviceRe.MatchString(s.Name) {
			diags = append(diags, errorAt(s.DefRange, "Invalid service name", fmt.Sprintf("%s is not a service name: use lower-case letters, digits and '-'.", Quote(s.Name))))
		} else if !slices.Contains(known, s.Name) && s.TaskRole == "" {
			detail := fmt.Sprintf("%q is not a Lakerunner service, so its role cannot be defaulted: set task_role, or use one of %s.", s.Name, quoteList(known))
			if m := closest(s.Name, known); m != "" {
				detail = fmt.Sprintf("%q is not a Lakerunner service; did you mean %q? A custom service needs task_role set.", s.Name, m)
			}
			diags = append(diags, errorAt(s.DefRange, "Unknown service", detail))
		}
	}
	return diags
}
