package generator

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/policy"
	"github.com/cardinalhq/lakerunner-iam/schema"
)

// endpointServices are the provider endpoints redirected to a LocalStack-
// style endpoint: IAM and STS, which the root uses, and the services
// Lakerunner's roles are scoped to, so that overrides and tests that add
// resources next to the roles reach the same emulator.
var endpointServices = []string{
	"applicationautoscaling", "cloudwatch", "ec2", "ecr", "ecs", "iam", "kafka",
	"kms", "lambda", "logs", "s3", "secretsmanager", "sqs", "ssm", "sts",
}

// rootFiles renders out/<env>/: the provider, one module call per role,
// service-linked roles, and the outputs to record.
func rootFiles(e *Environment, versions *schema.TerraformSettings) map[string]*hclwrite.File {
	env := e.Spec

	vars := hclwrite.NewEmptyFile()
	ep := vars.Body().AppendNewBlock("variable", []string{"aws_endpoint"}).Body()
	ep.SetAttributeRaw("type", expr("string"))
	ep.SetAttributeValue("description", cty.StringVal("URL of a LocalStack-compatible endpoint for every AWS service, e.g. http://localhost:4566; null for real AWS."))
	if endpoint := awsEndpoint(env); endpoint != "" { // KECS: defaults to its LocalStack (generator/kecs.go)
		ep.SetAttributeValue("default", cty.StringVal(endpoint))
	} else {
		ep.SetAttributeValue("default", cty.NullVal(cty.String))
	}

	main := hclwrite.NewEmptyFile()
	body := main.Body()
	prov := body.AppendNewBlock("provider", []string{"aws"}).Body()
	prov.SetAttributeValue("region", cty.StringVal(env.Region))
	prov.SetAttributeValue("allowed_account_ids", cty.ListVal([]cty.Value{cty.StringVal(env.AccountID)}))
	prov.AppendNewline()
	for _, flag := range []string{"s3_use_path_style", "skip_credentials_validation", "skip_metadata_api_check"} {
		prov.SetAttributeRaw(flag, expr("var.aws_endpoint != null"))
	}
	dyn := prov.AppendNewBlock("dynamic", []string{"endpoints"}).Body()
	dyn.SetAttributeRaw("for_each", expr("var.aws_endpoint == null ? [] : [var.aws_endpoint]"))
	content := dyn.AppendNewBlock("content", nil).Body()
	for _, svc := range endpointServices {
		content.SetAttributeRaw(svc, expr("endpoints.value"))
	}

	for _, r := range e.Roles {
		body.AppendNewline()
		mb := body.AppendNewBlock("module", []string{r.ModuleName()}).Body()
		mb.SetAttributeValue("source", cty.StringVal("../"+r.Module.Dir()))
		mb.AppendNewline()
		for _, v := range r.Module.Variables {
			if val, ok := r.argument(v); ok {
				mb.SetAttributeValue(v.Name, val)
			}
		}
	}

	if slrs := sortedUnique(env.ServiceLinkedRoles); len(slrs) > 0 {
		body.AppendNewline()
		slr := body.AppendNewBlock("resource", []string{"aws_iam_service_linked_role", "this"}).Body()
		slr.SetAttributeRaw("for_each", hclwrite.TokensForFunctionCall("toset", hclwrite.TokensForValue(stringList(slrs))))
		slr.SetAttributeRaw("aws_service_name", expr("each.value"))
	}

	outs := hclwrite.NewEmptyFile()
	output := func(name, desc string, value hclwrite.Tokens) {
		if len(outs.Body().Blocks()) > 0 {
			outs.Body().AppendNewline()
		}
		b := outs.Body().AppendNewBlock("output", []string{name}).Body()
		b.SetAttributeValue("description", cty.StringVal(desc))
		b.SetAttributeRaw("value", value)
	}
	for _, r := range e.Roles {
		output(r.ModuleName()+"_role_arn", fmt.Sprintf("ARN of %s.", r.Name), expr("module."+r.ModuleName()+".arn"))
		if r.InstanceProfileName != "" {
			output(r.ModuleName()+"_instance_profile_arn", fmt.Sprintf("ARN of instance profile %s.", r.InstanceProfileName), expr("module."+r.ModuleName()+".instance_profile_arn"))
		}
	}
	var services []hclwrite.ObjectAttrTokens
	for _, s := range e.Services {
		services = append(services, hclwrite.ObjectAttrTokens{
			Name: hclwrite.TokensForValue(cty.StringVal(s.Name)),
			Value: hclwrite.TokensForObject([]hclwrite.ObjectAttrTokens{
				{Name: hclwrite.TokensForIdentifier("task_role_arn"), Value: expr("module." + s.TaskRole.ModuleName() + ".arn")},
				{Name: hclwrite.TokensForIdentifier("execution_role_arn"), Value: expr("module." + s.ExecutionRole.ModuleName() + ".arn")},
			}),
		})
	}
	output("service_roles", "For each deployed Lakerunner service, the taskRoleArn and executionRoleArn of its ECS task definition.", hclwrite.TokensForObject(services))
	if len(env.ServiceLinkedRoles) > 0 {
		output("service_linked_role_arns", "ARNs of the service-linked roles, by service.", expr("{ for k, r in aws_iam_service_linked_role.this : k => r.arn }"))
	}

	files := map[string]*hclwrite.File{
		"main.tf":      main,
		"variables.tf": vars,
		"outputs.tf":   outs,
		"versions.tf":  versionsFile(versions),
	}
	if env.Adopt { // adoption: import blocks for roles that exist (generator/adopt.go)
		files["imports.tf"] = importsFile(e)
	}
	return files
}

// argument is the value the root module passes for a module variable, and
// whether to write it at all (not when the module's default is meant).
func (r *Role) argument(v *Variable) (cty.Value, bool) {
	switch v.Name {
	case "name":
		return cty.StringVal(r.Name), true
	case "path":
		return cty.StringVal(r.Path), r.Path != defaultPath
	case "description":
		return cty.StringVal(r.Description), true
	case "permissions_boundary":
		return cty.StringVal(r.PermissionsBoundary), r.PermissionsBoundary != ""
	case "max_session_duration":
		return cty.NumberIntVal(int64(r.MaxSessionDuration)), r.MaxSessionDuration != defaultMaxSessionDuration
	case "tags":
		return stringMap(r.Tags), true
	case "partition":
		return cty.StringVal(r.Env.Partition), true
	case "account_id":
		return cty.StringVal(r.Env.AccountID), true
	case "region":
		return cty.StringVal(r.Env.Region), true
	case "confused_deputy_protection":
		return cty.BoolVal(*r.Env.ConfusedDeputyProtection), true
	case "trusted_principal_arns":
		return stringList(r.TrustedPrincipals), len(r.TrustedPrincipals) > 0
	case "managed_policy_arns":
		extra := map[string]string{}
		for _, mp := range r.ManagedPolicies {
			if mp.Extra {
				extra[mp.Key] = mp.ARN
			}
		}
		return stringMap(extra), len(extra) > 0
	case "extra_statements":
		return extraStatementsValue(r.ExtraStatements), len(r.ExtraStatements) > 0
	case "policy_name":
		return cty.StringVal(r.PolicyName), true
	case "instance_profile_name":
		return cty.StringVal(r.InstanceProfileName), true
	}
	val, ok := r.Inputs[v.Name]
	return val, ok
}

// extraStatementsValue writes the spec's statements with only the
// attributes they set; the module's optional() attributes fill the rest.
func extraStatementsValue(stmts []policy.Statement) cty.Value {
	vals := make([]cty.Value, 0, len(stmts))
	for _, s := range stmts {
		attrs := map[string]cty.Value{}
		if s.Sid != "" {
			attrs["sid"] = cty.StringVal(s.Sid)
		}
		attrs["effect"] = cty.StringVal(s.Effect)
		for name, list := range map[string][]string{"actions": s.Actions, "not_actions": s.NotActions, "resources": s.Resources, "not_resources": s.NotResources} {
			if len(list) > 0 {
				attrs[name] = stringList(list)
			}
		}
		if len(s.Conditions) > 0 {
			conds := make([]cty.Value, len(s.Conditions))
			for i, c := range s.Conditions {
				conds[i] = cty.ObjectVal(map[string]cty.Value{
					"test":     cty.StringVal(c.Test),
					"variable": cty.StringVal(c.Variable),
					"values":   stringList(c.Values),
				})
			}
			attrs["conditions"] = cty.TupleVal(conds)
		}
		vals = append(vals, cty.ObjectVal(attrs))
	}
	return cty.TupleVal(vals)
}

func sortedUnique(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
