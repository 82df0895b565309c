package schema

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
)

// The built-in catalogs a spec chooses between with catalog = "...".
const (
	CatalogGuide = "console-guide" // the 2025 Lakerunner IAM console guide
	CatalogTiers = "tiers"         // today's Lakerunner: one task role per tier
)

// Catalogs are the built-in catalogs, the default first.
var Catalogs = []string{CatalogGuide, CatalogTiers}

// TierServices are the services of today's Lakerunner (CardinalHQ's
// CloudFormation, image v1.81), in the order the generator lists them.
var TierServices = []string{
	"process-logs", "process-metrics", "process-traces", "pubsub-sqs",
	"sweeper", "monitoring", "admin-api", "alert-evaluator",
	"query-api", "query-worker",
	"migration", "otel-gateway", "maestro",
}

// DefaultRawPrefix is where the OTLP gateway writes raw telemetry.
const DefaultRawPrefix = "otel-raw/"

// KnownServices are the services a catalog maps to roles by default.
func KnownServices(catalog string) []string {
	if catalog == CatalogTiers {
		return TierServices
	}
	return Services
}

// IsSatellite reports whether the environment is a source account of
// another environment.
func (e *Environment) IsSatellite() bool { return e.SatelliteOf != "" }

// applyTierDefaults fills in the tiers catalog's defaults, before the
// guide's (applyDefaults) fill what is still empty. A satellite runs no
// Lakerunner service: it only holds raw data for the central one.
func applyTierDefaults(env *Environment) {
	if env.NamePrefix == "" {
		env.NamePrefix = DefaultNamePrefix
	}
	p := env.NamePrefix
	if env.Resources == nil {
		env.Resources = &Resources{DefRange: env.DefRange}
	}
	r := env.Resources
	if r.DatabaseSecrets == nil {
		r.DatabaseSecrets = []string{p + "-database-secret"}
	}
	if r.LicenseSecrets == nil {
		r.LicenseSecrets = []string{p + "-license"}
	}
	if r.AdminKeySecrets == nil {
		r.AdminKeySecrets = []string{p + "-admin-key"}
	}
	if r.Secrets == nil {
		// The execution role injects exactly the secrets the tiers read.
		r.Secrets = slices.Concat(r.DatabaseSecrets, r.LicenseSecrets, r.AdminKeySecrets)
	}
	if r.SSMParameterPaths == nil {
		r.SSMParameterPaths = []string{} // no container resolves a parameter unless the spec says so
	}
	if !r.Pos().Has("raw_prefix") {
		r.RawPrefix = DefaultRawPrefix
	}
	if env.Bedrock == nil {
		on := true
		env.Bedrock = &on
	}
	if len(env.Services) == 0 && !env.IsSatellite() {
		for _, name := range TierServices {
			env.Services = append(env.Services, &Service{Name: name, DefRange: env.DefRange})
		}
	}
}

var rawPrefixRe = regexp.MustCompile(`^([\w!.*'()-]+/)+$`) // at least one segment: an empty prefix would open the whole bucket to the otel tier

// validateCatalog checks the catalog attribute and what only one catalog
// has: the guide knows no satellites, tier secrets or resource ARNs.
func validateCatalog(spec *Spec) hcl.Diagnostics {
	if !slices.Contains(Catalogs, spec.Catalog) {
		return hcl.Diagnostics{errorAt(Pos{Body: spec.Body}.Attr("catalog"), "Unknown catalog",
			fmt.Sprintf("%s is not a built-in catalog: use %s (the default: the 2025 IAM console guide) or %q (today's Lakerunner, one task role per tier).", Quote(spec.Catalog), Quote(CatalogGuide), CatalogTiers))}
	}
	var diags hcl.Diagnostics
	for _, env := range spec.Environments {
		if spec.Catalog == CatalogTiers {
			diags = append(diags, validateTierEnv(env, spec.Environments)...)
			continue
		}
		pos := env.Pos()
		for _, attr := range []string{"satellite_of", "satellite_external_id", "metric_streams", "bedrock"} {
			if pos.Has(attr) {
				diags = append(diags, errorAt(pos.Attr(attr), "Setting of the tiers catalog",
					fmt.Sprintf("%s belongs to catalog %q (today's Lakerunner); the console guide has no such role. Set catalog = %q at the top of the spec, or remove it.", attr, CatalogTiers, CatalogTiers)))
			}
		}
		rp := env.Resources.Pos()
		for _, attr := range []string{"license_secrets", "admin_key_secrets", "raw_prefix"} {
			if rp.Has(attr) {
				diags = append(diags, errorAt(rp.Attr(attr), "Setting of the tiers catalog",
					fmt.Sprintf("resources.%s is read only by catalog %q. Set catalog = %q at the top of the spec, or remove it.", attr, CatalogTiers, CatalogTiers)))
			}
		}
	}
	return diags
}

func validateTierEnv(env *Environment, envs []*Environment) hcl.Diagnostics {
	var diags hcl.Diagnostics
	pos, r := env.Pos(), env.Resources
	if !rawPrefixRe.MatchString(r.RawPrefix) {
		diags = append(diags, errorAt(r.Pos().Attr("raw_prefix"), "Invalid raw prefix",
			fmt.Sprintf("%s is not an S3 key prefix ending in '/', such as %q: letters, digits and !-_.*'() between slashes, no leading slash, not empty (the otel tier may write only under it).", Quote(r.RawPrefix), DefaultRawPrefix)))
	}
	if env.SatelliteExternalID != "" {
		if !env.IsSatellite() {
			diags = append(diags, errorAt(pos.Attr("satellite_external_id"), "ExternalId without satellite_of",
				"satellite_external_id is the ExternalId the satellite access role requires; set satellite_of too, or remove it."))
		} else if err := iamlimits.ExternalID(env.SatelliteExternalID); err != nil {
			diags = append(diags, errorAt(pos.Attr("satellite_external_id"), "Invalid ExternalId", sentence(err)))
		}
	}
	if env.MetricStreams && !env.IsSatellite() {
		diags = append(diags, errorAt(pos.Attr("metric_streams"), "Metric streams without satellite_of",
			"metric_streams adds the CloudWatch metric stream roles of a satellite account; set satellite_of too, or remove it."))
	}
	if !env.IsSatellite() {
		return diags
	}
	i := slices.IndexFunc(envs, func(e *Environment) bool { return e.Name == env.SatelliteOf })
	switch {
	case env.SatelliteOf == env.Name:
		diags = append(diags, errorAt(pos.Attr("satellite_of"), "Satellite of itself",
			"satellite_of names the central environment whose process role collects this account's data; an environment cannot be its own satellite."))
	case i < 0:
		detail := fmt.Sprintf("No environment %s in the spec: satellite_of names the central environment whose process role collects this account's data.", Quote(env.SatelliteOf))
		var names []string
		for _, e := range envs {
			names = append(names, e.Name)
		}
		if c := closest(env.SatelliteOf, names); c != "" {
			detail += fmt.Sprintf(" Did you mean %q?", c)
		}
		diags = append(diags, errorAt(pos.Attr("satellite_of"), "Unknown central environment", detail))
	case envs[i].IsSatellite():
		diags = append(diags, errorAt(pos.Attr("satellite_of"), "Satellite of a satellite",
			fmt.Sprintf("Environment %q is itself a satellite of %q; name the central environment, which runs Lakerunner's process tier.", envs[i].Name, envs[i].SatelliteOf)))
	case envs[i].Partition != env.Partition:
		diags = append(diags, errorAt(pos.Attr("region"), "Satellite in another partition",
			fmt.Sprintf("Environment %q is in partition %q and its central %q in %q; a role cannot trust a principal of another partition.", env.Name, env.Partition, envs[i].Name, envs[i].Partition)))
	}
	for _, s := range env.Services {
		diags = append(diags, errorAt(s.DefRange, "Service in a satellite",
			fmt.Sprintf("Environment %q is a satellite: it runs no Lakerunner service, the central environment's process tier reads its bucket and queue. Remove the service block.", env.Name)))
	}
	if env.CrossAccount != nil {
		diags = append(diags, errorAt(env.CrossAccount.DefRange, "Cross-account block in a satellite",
			"A satellite's only role is its satellite access role, trusted by the central process role. Remove the cross_account block."))
	}
	rp := r.Pos()
	for _, one := range []struct {
		attr string
		vals []string
		what string
		noun string
	}{{"s3_buckets", r.S3Buckets, "raw bucket", "bucket"}, {"sqs_queues", r.SQSQueues, "queue its S3 notifications feed", "queue"}} {
		if !rp.Has(one.attr) || len(one.vals) != 1 || strings.ContainsAny(one.vals[0], "*?") {
			diags = append(diags, errorAt(rp.Attr(one.attr), "Satellite needs exactly one "+one.noun,
				fmt.Sprintf("A satellite's resources.%s names its %s: exactly one name (or ARN), no wildcard, because the central install is told its exact %s.", one.attr, one.what, one.noun)))
		}
	}
	return diags
}

// resourceARN checks a bucket or queue given by ARN (resources anywhere:
// another account or region). ok is false when the value is not an ARN.
// rangeOf is the value's range, computed only for an ARN: finding one
// element's range is linear in the list.
func resourceARN(env *Environment, attr, v string, rangeOf func() hcl.Range) (diag *hcl.Diagnostic, ok bool) {
	if !strings.HasPrefix(v, "arn:") || (attr != "s3_buckets" && attr != "sqs_queues") {
		return nil, false
	}
	rng := rangeOf()
	if env.catalog != CatalogTiers {
		return errorAt(rng, "Resource ARN in the console-guide catalog",
			fmt.Sprintf("%s is an ARN; the console guide's roles take names in the environment's own account and region. Give the name, or set catalog = %q, whose roles accept buckets and queues of other accounts and regions by ARN.", Quote(v), CatalogTiers)), true
	}
	a, err := iamlimits.ParseARN(v)
	var want string
	switch attr {
	case "s3_buckets":
		if err == nil && (a.Service != "s3" || a.Region != "" || a.Account != "" || !bucketGlobRe.MatchString(a.Resource)) {
			err = fmt.Errorf("not a bucket ARN")
		}
		want = "arn:<partition>:s3:::<bucket>"
	case "sqs_queues":
		if err == nil && (a.Service != "sqs" || !regionRe.MatchString(a.Region) || !iamlimits.AccountIDRe.MatchString(a.Account) || !queueGlobRe.MatchString(a.Resource)) {
			err = fmt.Errorf("not a queue ARN")
		}
		want = "arn:<partition>:sqs:<region>:<account>:<queue>"
	}
	if err != nil {
		return errorAt(rng, "Invalid resource ARN", fmt.Sprintf("%s is not a resource ARN of the form %s: %s.", Quote(v), want, err)), true
	}
	if a.Partition != env.Partition {
		return otherPartition(rng, env, map[string]string{"s3_buckets": "S3 bucket", "sqs_queues": "SQS queue"}[attr], v, a.Partition), true
	}
	return nil, true
}
