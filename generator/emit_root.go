package generator

import (
	"slices"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/internal/hclfmt"
)

// endpointServices are the provider endpoints redirected to a LocalStack-
// style endpoint: IAM and STS, which the root uses, and the services
// Lakerunner's roles are scoped to, so that overrides and tests that add
// resources next to the roles reach the same emulator.
var endpointServices = []string{
	"applicationautoscaling", "cloudwatch", "ec2", "ecr", "ecs", "iam", "kafka",
	"kms", "lambda", "logs", "s3", "secretsmanager", "sqs", "ssm", "sts",
}

// RootFiles emits each environment's root module, out/<env>/: the
// provider, one module call per role, service-linked roles, and the
// outputs to record.
func RootFiles(m *Model, specName string) []File {
	var files []File
	for _, e := range m.Environments {
		files = append(files, emitSet(e.Spec.Name, specName, rootFiles(e))...)
	}
	return files
}

func rootFiles(e *Environment) map[string]*hclfmt.Body {
	env := e.Spec

	vars := new(hclfmt.Body)
	vars.Block("variable", "aws_endpoint")
	vars.Attr("type", expr("string"))
	vars.Attr("description", hclfmt.String("URL of a LocalStack-compatible endpoint for every AWS service, e.g. http://localhost:4566; null for real AWS."))
	if endpoint := awsEndpoint(env); endpoint != "" { // KECS: defaults to its LocalStack (generator/kecs.go)
		vars.Attr("default", hclfmt.String(endpoint))
	} else {
		vars.Attr("default", hclfmt.Value(cty.NullVal(cty.String)))
	}
	vars.End()

	body := new(hclfmt.Body)
	body.Block("provider", "aws")
	body.Attr("region", hclfmt.String(env.Region))
	body.Attr("allowed_account_ids", hclfmt.Tuple(hclfmt.String(env.AccountID)))
	if env.SkipRegionValidation {
		// The spec accepted a region newer than its list; so must the provider.
		body.Attr("skip_region_validation", hclfmt.Value(cty.True))
	}
	body.Newline()
	for _, flag := range []string{"s3_use_path_style", "skip_credentials_validation", "skip_metadata_api_check"} {
		body.Attr(flag, expr("var.aws_endpoint != null"))
	}
	body.Block("dynamic", "endpoints")
	body.Attr("for_each", expr("var.aws_endpoint == null ? [] : [var.aws_endpoint]"))
	body.Block("content")
	for _, svc := range rootEndpointServices(env) {
		body.Attr(svc, expr("endpoints.value"))
	}
	body.End()
	body.End()
	body.End()

	for _, r := range e.Roles {
		body.Newline()
		body.Block("module", r.ModuleName())
		body.Attr("source", body.String("../"+r.Module.Dir()))
		body.Newline()
		for _, a := range r.Arguments() {
			body.AttrValue(a.Name, a.Value)
		}
		body.End()
	}

	writePodIdentityAssociations(body, e) // EKS Pod Identity (emit_eks.go)

	if slrs := slices.Compact(slices.Sorted(slices.Values(env.ServiceLinkedRoles))); len(slrs) > 0 {
		body.Newline()
		body.Block("resource", "aws_iam_service_linked_role", "this")
		body.Attr("for_each", hclfmt.Call("toset", hclfmt.Value(stringList(slrs))))
		body.Attr("aws_service_name", expr("each.value"))
		body.End()
	}

	outs := new(hclfmt.Body)
	first := true
	output := func(name, desc string, value hclwrite.Tokens) {
		if !first {
			outs.Newline()
		}
		first = false
		outs.Block("output", name)
		outs.Attr("description", outs.String(desc))
		outs.Attr("value", value)
		outs.End()
	}
	for _, r := range e.Roles {
		output(r.ModuleName()+"_role_arn", "ARN of "+r.Name+".", moduleRef(r.ModuleName(), "arn"))
		if r.InstanceProfileName != "" {
			output(r.ModuleName()+"_instance_profile_arn", "ARN of instance profile "+r.InstanceProfileName+".", moduleRef(r.ModuleName(), "instance_profile_arn"))
		}
	}
	if env.EKS != nil {
		eksOutputs(e, output) // emit_eks.go
	} else {
		var services []hclwrite.ObjectAttrTokens
		for _, s := range e.Services {
			services = append(services, hclwrite.ObjectAttrTokens{
				Name: hclfmt.String(s.Name),
				Value: hclfmt.Object([]hclwrite.ObjectAttrTokens{
					{Name: hclfmt.Ident("task_role_arn"), Value: moduleRef(s.TaskRole.ModuleName(), "arn")},
					{Name: hclfmt.Ident("execution_role_arn"), Value: moduleRef(s.ExecutionRole.ModuleName(), "arn")},
				}),
			})
		}
		output("service_roles", "For each deployed Lakerunner service, the taskRoleArn and executionRoleArn of its ECS task definition.", hclfmt.Object(services))
	}
	if len(e.Satellites) > 0 {
		output("satellites", "For each satellite environment, what Lakerunner's storage profile needs to collect from it: its queue URL and region, the role to assume and its raw bucket.", satelliteOutputs(e))
	}
	if len(env.ServiceLinkedRoles) > 0 {
		output("service_linked_role_arns", "ARNs of the service-linked roles, by service.", expr("{ for k, r in aws_iam_service_linked_role.this : k => r.arn }"))
	}

	return map[string]*hclfmt.Body{
		"main.tf":      body,
		"variables.tf": vars,
		"outputs.tf":   outs,
		"versions.tf":  versionsFile(e.Versions),
	}
}
