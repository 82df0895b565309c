package generator

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/internal/hclfmt"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// Role kinds of the tiers catalog that satellites wire together: the
// central role that collects, and the satellite role it assumes.
const (
	collectorKind       = "process-task"
	satelliteAccessKind = "satellite-access"
)

// links are what an environment's templates see of the rest of the spec:
// the kinds its services run under, and for satellites and their central
// environment each other's role ARNs.
type links struct {
	services map[string]string // deployed service -> task role kind
	// centralRoleARN: this environment is a satellite; the central
	// process role that alone may assume its access role.
	centralRoleARN string
	satellites     []*Satellite // this environment is a central
}

// Satellite is a source account of a central environment, as the central
// root outputs it for Lakerunner's storage profile.
type Satellite struct {
	Env      *schema.Environment
	RoleARN  string // its satellite access role
	Bucket   string // its raw bucket, as the spec names it (name or ARN)
	QueueURL string
	Region   string // the queue's region
}

// linkEnvironments computes every environment's links before any role is
// built: a central's process role needs its satellites' role ARNs and each
// satellite's role needs the central's, so both come from role names and
// paths alone.
func linkEnvironments(spec *schema.Spec, cat *templates.Catalog) (map[string]*links, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	all := map[string]*links{}
	byName := map[string]*schema.Environment{}
	for _, env := range spec.Environments {
		all[env.Name] = &links{services: serviceKinds(env, cat)}
		byName[env.Name] = env
	}
	for _, env := range spec.Environments {
		central := byName[env.SatelliteOf]
		if central == nil {
			continue
		}
		if !slices.Contains(slices.Collect(maps.Values(all[central.Name].services)), collectorKind) {
			diags = append(diags, errorAt(env.Pos().Attr("satellite_of"), "Central environment without a process role",
				fmt.Sprintf("Environment %q collects from no satellite: none of its services runs under role %q, whose role assumes the satellite access role. Deploy pubsub-sqs and the process-* services there, or remove satellite_of.", central.Name, collectorKind)))
			continue
		}
		l := all[env.Name]
		arn, d := roleARNOf(central, cat, collectorKind, all[central.Name])
		diags = append(diags, d...)
		l.centralRoleARN = arn
		sat := &Satellite{Env: env, Bucket: env.Resources.S3Buckets[0]}
		sat.RoleARN, d = roleARNOf(env, cat, satelliteAccessKind, l)
		diags = append(diags, d...)
		sat.QueueURL, sat.Region = queueURL(env, env.Resources.SQSQueues[0])
		all[central.Name].satellites = append(all[central.Name].satellites, sat)
	}
	return all, diags
}

// serviceKinds is the task role kind of each service, as mapServices will
// find it: the spec's task_role, else the last kind listing the service.
func serviceKinds(env *schema.Environment, cat *templates.Catalog) map[string]string {
	out := map[string]string{}
	for _, s := range env.Services {
		if kind := taskKind(s, cat); kind != "" {
			out[s.Name] = kind
		}
	}
	return out
}

// roleARNOf is the ARN a role kind of an environment will have: its
// template's name, or the spec's role block's name and path.
func roleARNOf(env *schema.Environment, cat *templates.Catalog, kind string, l *links) (string, hcl.Diagnostics) {
	tmpl := cat.Role(kind)
	if tmpl == nil {
		return "", hcl.Diagnostics{errorAt(env.Pos().Attr("satellite_of"), "Satellite role kind missing",
			fmt.Sprintf("Satellites need role kind %q, which the catalog does not have (catalog = %q has it).", kind, schema.CatalogTiers))}
	}
	if tmpl.Workload && sharesWorkloadRoles(env) {
		// EKS shared layout: the kind's permissions live in the shared role.
		return fmt.Sprintf("arn:%s:iam::%s:role%s%s", env.Partition, env.AccountID, defaultPath, sharedRoleName(env)), nil
	}
	name, diags := evalString(tmpl.Name, specContext(env, nil, l))
	path := defaultPath
	for _, o := range env.Roles {
		if o.Kind == kind {
			name = cmp.Or(o.Name, name)
			path = cmp.Or(o.Path, path)
		}
	}
	name = kecsRoleName(env, name)
	return fmt.Sprintf("arn:%s:iam::%s:role%s%s", env.Partition, env.AccountID, path, name), diags
}

// queueURL is the URL and region of a queue given by name (the
// environment's account and region) or by ARN.
func queueURL(env *schema.Environment, q string) (url, region string) {
	account, region, name := env.AccountID, env.Region, q
	if strings.HasPrefix(q, "arn:") {
		parts := strings.SplitN(q, ":", 6)
		region, account, name = parts[3], parts[4], parts[5]
	}
	domain := "amazonaws.com"
	if env.Partition == "aws-cn" {
		domain = "amazonaws.com.cn"
	}
	return fmt.Sprintf("https://sqs.%s.%s/%s/%s", region, domain, account, name), region
}

// linkValues are the env.* values links add to the spec context.
func linkValues(env *schema.Environment, l *links) map[string]cty.Value {
	services := map[string]cty.Value{}
	var arns []string
	if l != nil {
		for s, k := range l.services {
			services[s] = cty.StringVal(k)
		}
		for _, s := range l.satellites {
			arns = append(arns, s.RoleARN)
		}
	}
	svcVal := cty.MapValEmpty(cty.String)
	if len(services) > 0 {
		svcVal = cty.MapVal(services)
	}
	return map[string]cty.Value{
		"services":            svcVal,
		"satellite":           satelliteValue(env, l),
		"satellite_role_arns": stringList(arns),
	}
}

var satelliteType = cty.Object(map[string]cty.Type{
	"central_role_arn": cty.String,
	"external_id":      cty.String,
	"metric_streams":   cty.Bool,
})

// satelliteValue is env.satellite of a satellite environment.
func satelliteValue(env *schema.Environment, l *links) cty.Value {
	if l == nil || l.centralRoleARN == "" {
		return cty.NullVal(satelliteType)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"central_role_arn": cty.StringVal(l.centralRoleARN),
		"external_id":      cty.StringVal(env.SatelliteExternalID),
		"metric_streams":   cty.BoolVal(env.MetricStreams),
	})
}

// satelliteOutputs is the value of a central root's satellites output:
// literal values, as each satellite's role lives in another root.
func satelliteOutputs(e *Environment) hclwrite.Tokens {
	var items []hclwrite.ObjectAttrTokens
	for _, s := range e.Satellites {
		items = append(items, hclwrite.ObjectAttrTokens{
			Name: hclfmt.String(s.Env.Name),
			Value: hclfmt.Value(cty.ObjectVal(map[string]cty.Value{
				"queue_url": cty.StringVal(s.QueueURL),
				"region":    cty.StringVal(s.Region),
				"role_arn":  cty.StringVal(s.RoleARN),
				"bucket":    cty.StringVal(s.Bucket),
			})),
		})
	}
	return hclfmt.Object(items)
}
