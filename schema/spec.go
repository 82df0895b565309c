// Package schema holds the typed Lakerunner deployment spec: what a platform
// team writes in lakerunner.hcl (or lakerunner.hcl.json), decoded with gohcl,
// given its defaults and validated. Every value keeps the source range it came
// from, so a problem found later (an IAM limit, a lint finding) can still
// point at the line that caused it.
package schema

import "github.com/hashicorp/hcl/v2"

// Spec is a whole spec file.
type Spec struct {
	// Terraform pins the versions written into every versions.tf.
	Terraform *TerraformSettings `hcl:"terraform,block"`
	// TemplatesDir adds role templates from a directory (relative to the
	// spec file), overriding built-in kinds of the same name.
	TemplatesDir string `hcl:"templates_dir,optional"`
	// Catalog picks the built-in role catalog: "console-guide" (the
	// default) or "tiers" (see validate_tiers.go).
	Catalog      string         `hcl:"catalog,optional"`
	Environments []*Environment `hcl:"environment,block"`

	// Filename is the spec file as it was given; Src its bytes.
	Filename string
	Src      []byte
	Body     hcl.Body `hcl:",body"`
}

// Environment is one AWS account and region that Lakerunner runs in; it
// becomes one Terraform root module, out/<name>/.
type Environment struct {
	Name       string `hcl:"name,label"`
	AccountID  string `hcl:"account_id"`
	Region     string `hcl:"region"`
	Partition  string `hcl:"partition,optional"`
	NamePrefix string `hcl:"name_prefix,optional"`
	Compute    string `hcl:"compute,optional"`
	// Platform is what runs Lakerunner: "ecs" (the default) or "eks", with
	// the EKS block saying how pods get their roles (validate_eks.go).
	Platform string            `hcl:"platform,optional"`
	Tags     map[string]string `hcl:"tags,optional"`

	// SkipRegionValidation accepts a region missing from schema/regions.txt
	// (one AWS opened after this release); the generated provider block
	// sets the AWS provider's argument of the same name, so Terraform
	// accepts it too.
	SkipRegionValidation bool `hcl:"skip_region_validation,optional"`

	// AWSEndpoint points the generated provider at a LocalStack-style
	// endpoint by default; unset means real AWS.
	AWSEndpoint string `hcl:"aws_endpoint,optional"`

	// ConfusedDeputyProtection adds aws:SourceAccount/aws:SourceArn
	// conditions to service trust policies. Defaults to true; false
	// reproduces roles made with the console guide.
	ConfusedDeputyProtection *bool `hcl:"confused_deputy_protection,optional"`

	LambdaMigrations   bool     `hcl:"lambda_migrations,optional"`
	MSKAccess          bool     `hcl:"msk_access,optional"`
	ServiceLinkedRoles []string `hcl:"service_linked_roles,optional"`

	// Adopt emits import blocks so that roles made by hand (e.g. with the
	// console guide) are taken over instead of created.
	Adopt bool `hcl:"adopt,optional"`
	// SatelliteOf makes the environment a satellite (source) account of
	// another environment of the spec (tiers catalog; validate_tiers.go).
	SatelliteOf         string `hcl:"satellite_of,optional"`
	SatelliteExternalID string `hcl:"satellite_external_id,optional"`
	MetricStreams       bool   `hcl:"metric_streams,optional"`
	// Bedrock lets the tiers catalog's process role invoke foundation
	// models (default true).
	Bedrock *bool `hcl:"bedrock,optional"`
	// catalog is the spec's, for defaults and validation that depend on it.
	catalog string
	// CatalogTags gives every role the catalog's tags (Environment = the
	// environment's name, and the role kind's Component and Type) besides
	// the spec's. Defaults to true; false leaves exactly the tags the spec
	// writes, as roles made by hand have them.
	CatalogTags *bool `hcl:"catalog_tags,optional"`

	Backend      *Backend        `hcl:"backend,block"`
	KECS         *KECS           `hcl:"kecs,block"`
	EKS          *EKS            `hcl:"eks,block"`
	Resources    *Resources      `hcl:"resources,block"`
	CrossAccount *CrossAccount   `hcl:"cross_account,block"`
	Services     []*Service      `hcl:"service,block"`
	Roles        []*RoleOverride `hcl:"role,block"`

	Body     hcl.Body  `hcl:",body"`
	DefRange hcl.Range `hcl:",def_range"`
}

// Resources are the AWS resources the roles are scoped to. Names may be IAM
// wildcard patterns; the defaults are the console guide's.
type Resources struct {
	S3Buckets         []string `hcl:"s3_buckets,optional"`
	SQSQueues         []string `hcl:"sqs_queues,optional"`
	Secrets           []string `hcl:"secrets,optional"`
	DatabaseSecrets   []string `hcl:"database_secrets,optional"`
	SSMParameterPaths []string `hcl:"ssm_parameter_paths,optional"`
	KMSKeyARNs        []string `hcl:"kms_key_arns,optional"`
	LogGroups         []string `hcl:"log_groups,optional"`
	MigrationLogGroup string   `hcl:"migration_log_group,optional"`
	MetricsNamespace  string   `hcl:"metrics_namespace,optional"`
	ECSCluster        string   `hcl:"ecs_cluster,optional"`
	MSKCluster        string   `hcl:"msk_cluster,optional"`
	// The tiers catalog's secrets by purpose and the raw upload prefix.
	LicenseSecrets  []string `hcl:"license_secrets,optional"`
	AdminKeySecrets []string `hcl:"admin_key_secrets,optional"`
	RawPrefix       string   `hcl:"raw_prefix,optional"`

	Body     hcl.Body  `hcl:",body"`
	DefRange hcl.Range `hcl:",def_range"`
}

// CrossAccount enables the role that principals of other accounts assume.
type CrossAccount struct {
	TrustedAccountIDs    []string `hcl:"trusted_account_ids,optional"`
	TrustedPrincipalARNs []string `hcl:"trusted_principal_arns,optional"`
	ExternalID           string   `hcl:"external_id,optional"`
	RequireMFA           bool     `hcl:"require_mfa,optional"`

	Body     hcl.Body  `hcl:",body"`
	DefRange hcl.Range `hcl:",def_range"`
}

// Service is one deployed Lakerunner service and the roles its ECS tasks
// run under.
type Service struct {
	Name          string `hcl:"name,label"`
	TaskRole      string `hcl:"task_role,optional"`
	ExecutionRole string `hcl:"execution_role,optional"`
	// Expects are expectations about the service's task role.
	Expects []*Expect `hcl:"expect,block"`

	Body     hcl.Body  `hcl:",body"`
	DefRange hcl.Range `hcl:",def_range"`
}

// RoleOverride changes one role of the catalog, named by its kind.
type RoleOverride struct {
	Kind                string            `hcl:"kind,label"`
	Name                string            `hcl:"name,optional"`
	Path                string            `hcl:"path,optional"`
	Description         *string           `hcl:"description,optional"`
	PermissionsBoundary string            `hcl:"permissions_boundary,optional"`
	MaxSessionDuration  int               `hcl:"max_session_duration,optional"`
	Tags                map[string]string `hcl:"tags,optional"`
	ManagedPolicyARNs   []string          `hcl:"managed_policy_arns,optional"`
	TrustedPrincipals   []string          `hcl:"trusted_principal_arns,optional"`
	Statements          []*Statement      `hcl:"statement,block"`
	// PolicyName names the role's inline policy instead of the catalog,
	// e.g. the name a policy made in the console was given.
	PolicyName string `hcl:"policy_name,optional"`
	// CatalogTags overrides the environment's catalog_tags for this role.
	CatalogTags *bool `hcl:"catalog_tags,optional"`
	// InlinePolicy = false: the role has no inline policy (nil: as the
	// catalog says), e.g. a hand-made role that was never given one.
	InlinePolicy *bool `hcl:"inline_policy,optional"`
	// InstanceProfileTags are the instance profile's own tags, when they
	// differ from the role's (written or not: see validate_absent.go).
	InstanceProfileTags map[string]string `hcl:"instance_profile_tags,optional"`
	// ForceDetachPolicies: destroying the role detaches its policies
	// first (nil: true, as terraform-aws-modules/iam does).
	ForceDetachPolicies *bool `hcl:"force_detach_policies,optional"`
	// Accepts records lint findings the team reviewed and accepts.
	Accepts []*Accept `hcl:"accept,block"`
	// Expects are expectations about the role's permissions.
	Expects []*Expect `hcl:"expect,block"`

	Body     hcl.Body  `hcl:",body"`
	DefRange hcl.Range `hcl:",def_range"`
}

// Expect is an expectation about a role's permissions, checked by
// lakerunner-iam test: each action on each resource must be allowed
// ("allow") or must not be, explicitly or implicitly ("deny"), given the
// request context (condition key -> values).
type Expect struct {
	Name      string              `hcl:"name,label"`
	Effect    string              `hcl:"effect"`
	Actions   []string            `hcl:"actions"`
	Resources []string            `hcl:"resources"`
	Context   map[string][]string `hcl:"context,optional"`

	Body     hcl.Body  `hcl:",body"`
	DefRange hcl.Range `hcl:",def_range"`
}

// Accept accepts one lint finding of a role: its code, optionally only for
// one statement (by Sid), with the reason a reviewer gave.
type Accept struct {
	Code   string `hcl:"code,label"`
	Sid    string `hcl:"sid,optional"`
	Reason string `hcl:"reason"`

	Body     hcl.Body  `hcl:",body"`
	DefRange hcl.Range `hcl:",def_range"`
}

// TerraformSettings are the version constraints of the generated code.
type TerraformSettings struct {
	RequiredVersion    string `hcl:"required_version,optional"`
	AWSProviderVersion string `hcl:"aws_provider_version,optional"`

	Body     hcl.Body  `hcl:",body"`
	DefRange hcl.Range `hcl:",def_range"`
}

// Backend is the S3 remote state of an environment's root module.
type Backend struct {
	Bucket        string `hcl:"bucket"`
	Key           string `hcl:"key,optional"`
	Region        string `hcl:"region,optional"`
	DynamoDBTable string `hcl:"dynamodb_table,optional"`
	UseLockfile   *bool  `hcl:"use_lockfile,optional"`
	Encrypt       *bool  `hcl:"encrypt,optional"`

	Body     hcl.Body  `hcl:",body"`
	DefRange hcl.Range `hcl:",def_range"`
}

// KECS marks an environment as local: KECS (ECS on Kubernetes) with
// LocalStack beside it. Roles get KECS's name prefix, the provider points
// at LocalStack, and out/<env>/kecs/ gets a ServiceAccount, Role and
// RoleBinding for every task and execution role.
type KECS struct {
	Namespace  string `hcl:"namespace,optional"`
	Endpoint   string `hcl:"endpoint,optional"`
	RolePrefix string `hcl:"role_prefix,optional"`

	Body     hcl.Body  `hcl:",body"`
	DefRange hcl.Range `hcl:",def_range"`
}

// Statement is an extra IAM statement added to a role's inline policy.
type Statement struct {
	Sid          string       `hcl:"sid,optional"`
	Effect       string       `hcl:"effect,optional"`
	Actions      []string     `hcl:"actions,optional"`
	NotActions   []string     `hcl:"not_actions,optional"`
	Resources    []string     `hcl:"resources,optional"`
	NotResources []string     `hcl:"not_resources,optional"`
	Conditions   []*Condition `hcl:"condition,block"`

	Body     hcl.Body  `hcl:",body"`
	DefRange hcl.Range `hcl:",def_range"`
}

// Condition is one condition of an extra statement.
type Condition struct {
	Test     string   `hcl:"test"`
	Variable string   `hcl:"variable"`
	Values   []string `hcl:"values"`

	Body     hcl.Body  `hcl:",body"`
	DefRange hcl.Range `hcl:",def_range"`
}

// Pos is where a block and its attributes are in the source.
type Pos struct {
	Body     hcl.Body
	DefRange hcl.Range
}

// Attr returns the range of the named attribute's value, falling back to the
// block header when the attribute was not written (a default was used).
func (p Pos) Attr(name string) hcl.Range {
	if a := p.attribute(name); a != nil {
		return a.Expr.Range()
	}
	return p.DefRange
}

// Has reports whether the attribute was written in the spec.
func (p Pos) Has(name string) bool { return p.attribute(name) != nil }

func (p Pos) attribute(name string) *hcl.Attribute {
	if p.Body == nil {
		return nil
	}
	content, _, _ := p.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: name}}})
	if content == nil {
		return nil
	}
	return content.Attributes[name]
}

// Pos methods give each block's source positions.
func (e *Environment) Pos() Pos       { return Pos{e.Body, e.DefRange} }
func (r *Resources) Pos() Pos         { return Pos{r.Body, r.DefRange} }
func (c *CrossAccount) Pos() Pos      { return Pos{c.Body, c.DefRange} }
func (s *Service) Pos() Pos           { return Pos{s.Body, s.DefRange} }
func (r *RoleOverride) Pos() Pos      { return Pos{r.Body, r.DefRange} }
func (s *Statement) Pos() Pos         { return Pos{s.Body, s.DefRange} }
func (a *Accept) Pos() Pos            { return Pos{a.Body, a.DefRange} }
func (t *TerraformSettings) Pos() Pos { return Pos{t.Body, t.DefRange} }
func (b *Backend) Pos() Pos           { return Pos{b.Body, b.DefRange} }
func (k *KECS) Pos() Pos              { return Pos{k.Body, k.DefRange} }
func (k *EKS) Pos() Pos               { return Pos{k.Body, k.DefRange} }
func (c *Condition) Pos() Pos         { return Pos{c.Body, c.DefRange} }
func (x *Expect) Pos() Pos            { return Pos{x.Body, x.DefRange} }
