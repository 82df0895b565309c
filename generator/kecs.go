package generator

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/schema"
)

// An environment with a kecs block runs Lakerunner locally on KECS (ECS on
// Kubernetes) with LocalStack beside it. Following the KECS IAM integration
// guide, its IAM roles carry KECS's role prefix, its Terraform talks to
// LocalStack, and every role ECS tasks assume gets a Kubernetes
// ServiceAccount (package kecs renders those).

// ecsTasksPrincipal is the service that assumes task and execution roles.
const ecsTasksPrincipal = "ecs-tasks.amazonaws.com"

// kecsRoleName is a role's IAM name in env. In a KECS environment it is
// the name with KECS's role prefix, which KECS adds to a task definition's
// role name unless the name starts with it already; outside KECS it is
// name unchanged.
func kecsRoleName(env *schema.Environment, name string) string {
	if env.KECS == nil || strings.HasPrefix(name, env.KECS.RolePrefix) {
		return name
	}
	return env.KECS.RolePrefix + name
}

// awsEndpoint is the endpoint the environment's provider uses unless
// var.aws_endpoint is set: the spec's aws_endpoint, else the LocalStack of
// a KECS environment, else "" (real AWS). An explicit aws_endpoint wins
// because Terraform may reach LocalStack at another address than KECS
// does (e.g. from the host rather than from inside the cluster).
func awsEndpoint(env *schema.Environment) string {
	if env.AWSEndpoint == "" && env.KECS != nil {
		return env.KECS.Endpoint
	}
	return env.AWSEndpoint
}

// AssumedByECSTasks reports whether the role's trust policy lets ECS tasks
// assume it: task roles and execution roles.
func (r *Role) AssumedByECSTasks() bool {
	for _, st := range r.Trust.Statements {
		if st.Effect != "" && st.Effect != "Allow" {
			continue
		}
		for _, p := range st.Principals {
			if p.Type == "Service" && slices.Contains(p.Identifiers, ecsTasksPrincipal) {
				return true
			}
		}
	}
	return false
}

// KECSServiceAccountName is the Kubernetes ServiceAccount KECS looks up for
// the role, "{role-name}-sa" per the KECS IAM integration guide, where the
// role name already carries KECS's prefix: role my-task-role becomes IAM
// role kecs-my-task-role and ServiceAccount kecs-my-task-role-sa. The Role
// and RoleBinding of the ServiceAccount have the same name.
func (r *Role) KECSServiceAccountName() string { return r.Name + "-sa" }

// dns1123SubdomainRe is Kubernetes' rule for ServiceAccount names.
var dns1123SubdomainRe = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)

// checkKECS finds the roles of a KECS environment whose ServiceAccount
// name Kubernetes would refuse. IAM allows upper case, '_', '+', '=', ','
// and '@' in role names; Kubernetes names do not. KECS derives the name
// from the role name, so renaming the ServiceAccount alone would break the
// lookup: the role needs another name.
func checkKECS(e *Environment) hcl.Diagnostics {
	if e.Spec.KECS == nil {
		return nil
	}
	var diags hcl.Diagnostics
	for _, r := range e.Roles {
		if !r.AssumedByECSTasks() {
			continue
		}
		if sa := r.KECSServiceAccountName(); len(sa) > 253 || !dns1123SubdomainRe.MatchString(sa) {
			diags = append(diags, errorAt(r.specRange("name"), "Role name unusable in Kubernetes",
				fmt.Sprintf("Role %q (%s) of KECS environment %q needs ServiceAccount %q, which is not a Kubernetes name: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit. Use a lower-case name_prefix, or set the role's name.", r.Name, r.Kind(), e.Spec.Name, sa)))
		}
	}
	return diags
}
