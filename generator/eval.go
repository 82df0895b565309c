package generator

import (
	"maps"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"github.com/zclconf/go-cty/cty/gocty"

	"github.com/cardinalhq/lakerunner-iam/schema"
)

// functions are the Terraform functions templates may use, with Terraform's
// semantics, so that the generator's own evaluation of a template
// expression gives what Terraform computes from the same tokens.
var functions = map[string]function.Function{
	"coalesce":   stdlib.CoalesceFunc,
	"compact":    stdlib.CompactFunc,
	"concat":     stdlib.ConcatFunc,
	"contains":   stdlib.ContainsFunc,
	"distinct":   stdlib.DistinctFunc,
	"endswith":   endsWithFunc,
	"flatten":    stdlib.FlattenFunc,
	"format":     stdlib.FormatFunc,
	"formatlist": stdlib.FormatListFunc,
	"join":       stdlib.JoinFunc,
	"length":     stdlib.LengthFunc,
	"lower":      stdlib.LowerFunc,
	"merge":      stdlib.MergeFunc,
	"replace":    stdlib.ReplaceFunc,
	"startswith": startsWithFunc,
	"trimprefix": stdlib.TrimPrefixFunc,
	"trimsuffix": stdlib.TrimSuffixFunc,
	"upper":      stdlib.UpperFunc,
}

// FunctionNames lists the functions templates may call.
func FunctionNames() []string {
	names := make([]string, 0, len(functions))
	for n := range functions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func stringPredicate(f func(s, affix string) bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "str", Type: cty.String},
			{Name: "affix", Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(f(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

var (
	endsWithFunc   = stringPredicate(strings.HasSuffix)
	startsWithFunc = stringPredicate(strings.HasPrefix)
)

// specContext is what template attributes about a whole role see: the
// environment as `env`, including the names and paths of its roles.
func specContext(env *schema.Environment, roles map[string]roleIdentity, l *links) *hcl.EvalContext {
	r := env.Resources
	ca := cty.NullVal(cty.Object(map[string]cty.Type{
		"trusted_account_ids":    cty.List(cty.String),
		"trusted_principal_arns": cty.List(cty.String),
		"external_id":            cty.String,
		"require_mfa":            cty.Bool,
	}))
	if c := env.CrossAccount; c != nil {
		ca = cty.ObjectVal(map[string]cty.Value{
			"trusted_account_ids":    stringList(c.TrustedAccountIDs),
			"trusted_principal_arns": stringList(c.TrustedPrincipalARNs),
			"external_id":            cty.StringVal(c.ExternalID),
			"require_mfa":            cty.BoolVal(c.RequireMFA),
		})
	}
	roleVals := map[string]cty.Value{}
	for kind, id := range roles {
		roleVals[kind] = cty.ObjectVal(map[string]cty.Value{
			"name": cty.StringVal(id.Name),
			"path": cty.StringVal(id.Path),
		})
	}
	roleMap := cty.MapValEmpty(cty.Object(map[string]cty.Type{"name": cty.String, "path": cty.String}))
	if len(roleVals) > 0 {
		roleMap = cty.MapVal(roleVals)
	}
	envVals := map[string]cty.Value{
		"name":                       cty.StringVal(env.Name),
		"account_id":                 cty.StringVal(env.AccountID),
		"region":                     cty.StringVal(env.Region),
		"partition":                  cty.StringVal(env.Partition),
		"name_prefix":                cty.StringVal(env.NamePrefix),
		"compute":                    cty.StringVal(env.Compute),
		"platform":                   cty.StringVal(env.Platform),
		"tags":                       stringMap(env.Tags),
		"confused_deputy_protection": cty.BoolVal(*env.ConfusedDeputyProtection),
		"lambda_migrations":          cty.BoolVal(env.LambdaMigrations),
		"msk_access":                 cty.BoolVal(env.MSKAccess),
		"cross_account":              ca,
		"roles":                      roleMap,
		"bedrock":                    cty.BoolVal(env.Bedrock != nil && *env.Bedrock),
		"resources": cty.ObjectVal(map[string]cty.Value{
			"s3_buckets":          stringList(r.S3Buckets),
			"sqs_queues":          stringList(r.SQSQueues),
			"secrets":             stringList(r.Secrets),
			"database_secrets":    stringList(r.DatabaseSecrets),
			"ssm_parameter_paths": stringList(r.SSMParameterPaths),
			"kms_key_arns":        stringList(r.KMSKeyARNs),
			"log_groups":          stringList(r.LogGroups),
			"migration_log_group": cty.StringVal(r.MigrationLogGroup),
			"metrics_namespace":   cty.StringVal(r.MetricsNamespace),
			"ecs_cluster":         cty.StringVal(r.ECSCluster),
			"msk_cluster":         cty.StringVal(r.MSKCluster),
			"license_secrets":     stringList(r.LicenseSecrets),
			"admin_key_secrets":   stringList(r.AdminKeySecrets),
			"raw_prefix":          cty.StringVal(r.RawPrefix),
		}),
	}
	maps.Copy(envVals, linkValues(env, l)) // services and satellites (satellite.go)
	envVal := cty.ObjectVal(envVals)
	return &hcl.EvalContext{Variables: map[string]cty.Value{"env": envVal}, Functions: functions}
}

// moduleContext is what trust and policy statements see: the module's
// inputs as `var`.
func moduleContext(vars map[string]cty.Value) *hcl.EvalContext {
	return &hcl.EvalContext{Variables: map[string]cty.Value{"var": cty.ObjectVal(vars)}, Functions: functions}
}

func stringList(list []string) cty.Value {
	if len(list) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(list))
	for i, s := range list {
		vals[i] = cty.StringVal(s)
	}
	return cty.ListVal(vals)
}

func stringMap(m map[string]string) cty.Value {
	if len(m) == 0 {
		return cty.MapValEmpty(cty.String)
	}
	vals := make(map[string]cty.Value, len(m))
	for k, v := range m {
		vals[k] = cty.StringVal(v)
	}
	return cty.MapVal(vals)
}

// evalString, evalStrings, evalBool and evalStringMap evaluate a template
// attribute to a Go value, with a diagnostic pointing into the template
// when it has the wrong type.
func evalString(attr *hcl.Attribute, ctx *hcl.EvalContext) (string, hcl.Diagnostics) {
	var s string
	diags := decode(attr, ctx, &s)
	return s, diags
}

func evalStrings(attr *hcl.Attribute, ctx *hcl.EvalContext, lists *listCache) ([]string, hcl.Diagnostics) {
	if s, ok := forStrings(attr.Expr, ctx, lists); ok { // generator/listeval.go
		return s, nil
	}
	var s []string
	diags := decode(attr, ctx, &s)
	return s, diags
}

func evalBool(attr *hcl.Attribute, ctx *hcl.EvalContext, def bool) (bool, hcl.Diagnostics) {
	if attr == nil {
		return def, nil
	}
	var b bool
	diags := decode(attr, ctx, &b)
	return b, diags
}

func evalStringMap(attr *hcl.Attribute, ctx *hcl.EvalContext) (map[string]string, hcl.Diagnostics) {
	m := map[string]string{}
	if attr == nil {
		return m, nil
	}
	diags := decode(attr, ctx, &m)
	return m, diags
}

func decode(attr *hcl.Attribute, ctx *hcl.EvalContext, target interface{}) hcl.Diagnostics {
	val, diags := attr.Expr.Value(ctx)
	if diags.HasErrors() {
		return diags
	}
	if val.IsNull() {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Null value in template",
			Detail:   "The template attribute " + attr.Name + " evaluated to null.",
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	ty, err := gocty.ImpliedType(target)
	if err == nil {
		// A list of strings built by a for expression is a tuple, which
		// cty converts in quadratic time: make it a list first.
		val, err = convert.Convert(schema.TupleAsList(val), ty)
	}
	if err == nil {
		err = gocty.FromCtyValue(val, target)
	}
	if err != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Wrong type in template",
			Detail:   "The template attribute " + attr.Name + " has the wrong type: " + err.Error() + ".",
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	return nil
}
