package generator

import (
	"fmt"
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

func rootFiles(e *Environment) map[string]*hclwrite.File {
	env := e.Spec

	vars := hclwrite.NewEmptyFile()
	ep := vars.Body().AppendNewBlock("variable", []string{"aws_endpoint"}).Body()
	ep.SetAttributeRaw("type", expr("string"))
	ep.SetAttributeRaw("description", hclfmt.Value(cty.StringVal("URL of a LocalStack-compatible endpoint for every AWS service, e.g. http://localhost:4566; null for real AWS.")))
	if endpoint := awsEndpoint(env); endpoint != "" { // KECS: defaults to its LocalStack (generator/kecs.go)
		ep.SetAttributeRaw("default", hclfmt.Value(cty.StringVal(endpoint)))
	} else {
		ep.SetAttributeRaw("default", hclfmt.Value(cty.NullVal(cty.String)))
	}

	main := hclwrite.NewEmptyFile()
	body := main.Body()
	prov := body.AppendNewBlock("provider", []string{"aws"}).Body()
	prov.SetAttributeRaw("region", hclfmt.Value(cty.StringVal(env.Region)))
	prov.SetAttributeRaw("allowed_account_ids", hclfmt.Value(cty.ListVal([]cty.Value{cty.StringVal(env.AccountID)})))
	if env.SkipRegionValidation {
		// The spec accepted a region newer than its list; so must the provider.
		prov.SetAttributeRaw("skip_region_validation", hclfmt.Value(cty.True))
	}
	prov.AppendNewline()
	for _, flag := range []string{"s3_use_path_style", "skip_credentials_validation", "skip_metadata_api_check"} {
		prov.SetAttributeRaw(flag, expr("var.aws_endpoint != null"))
	}
	dyn := prov.AppendNewBlock("dynamic", []string{"endpoints"}).Body()
	dyn.SetAttributeRaw("for_each", expr("var.aws_endpoint == null ? [] : [var.aws_endpoint]"))
	content := dyn.AppendNewBlock("content", nil).Body()
	for _, svc := range rootEndpointServices(env) {
		content.SetAttributeRaw(svc, expr("endpoints.value"))
	}

	for _, r := range e.Roles {
		body.AppendNewline()
		mb := body.AppendNewBlock("module", []string{r.ModuleName()}).Body()
		mb.SetAttributeRaw("source", hclfmt.String("../"+r.Module.Dir()))
		mb.AppendNewline()
		for _, a := range r.Arguments() {
			mb.SetAttributeRaw(a.Name, hclfmt.Value(a.Value))
		}
	}

	writePodIdentityAssociations(body, e) // EKS Pod Identity (emit_eks.go)

	if slrs := slices.Compact(slices.Sorted(slices.Values(env.ServiceLinkedRoles))); len(slrs) > 0 {
		body.AppendNewline()
		slr := body.AppendNewBlock("resource", []string{"aws_iam_service_linked_role", "this"}).Body()
		slr.SetAttributeRaw("for_each", hclfmt.Call("toset", hclfmt.Value(stringList(slrs))))
		slr.SetAttributeRaw("aws_service_name", expr("each.value"))
	}

	outs := hclwrite.NewEmptyFile()
	output := func(name, desc string, value hclwrite.Tokens) {
		if len(outs.Body().Blocks()) > 0 {
			outs.Body().AppendNewline()
		}
		b := outs.Body().AppendNewBlock("output", []string{name}).Body()
		b.SetAttributeRaw("description", hclfmt.String(desc))
		b.SetAttributeRaw("value", value)
	}
	for _, r := range e.Roles {
		output(r.ModuleName()+"_role_arn", fmt.Sprintf("ARN of %s.", r.Name), moduleRef(r.ModuleName(), "arn"))
		if r.InstanceProfileName != "" {
			output(r.ModuleName()+"_instance_profile_arn", fmt.Sprintf("ARN of instance profile %s.", r.InstanceProfileName), moduleRef(r.ModuleName(), "instance_profile_arn"))
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

	return map[string]*hclwrite.File{
		"main.tf":      main,
		"variables.tf": vars,
		"outputs.tf":   outs,
		"versions.tf":  versionsFile(e.Versions),
	}
}
