package generator

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// mapServices gives each service of the environment its task role (the
// spec's task_role, else the last kind listing it in default_services)
// and execution role.
func mapServices(e *Environment, cat *templates.Catalog) hcl.Diagnostics {
	var diags hcl.Diagnostics
	env := e.Spec
	var defaultExec *Role
	for _, r := range e.Roles {
		if r.Template.ExecutionRole {
			defaultExec = r
			break
		}
	}
	for _, s := range env.Services {
		pos := s.Pos()
		taskKind := taskKind(s, cat)
		if taskKind == "" {
			// E.g. a custom template replaced the kind whose
			// default_services listed the service, and lists none.
			diags = append(diags, errorAt(s.DefRange, "No task role",
				fmt.Sprintf("Service %q has no task role: no role kind of the catalog lists it in default_services. Set task_role in the service block to one of %s, or list %q in the default_services of its role template.", s.Name, strings.Join(cat.Kinds(), ", "), s.Name)))
			continue
		}
		task, d := serviceRole(e, cat, s, taskKind, pos.Attr("task_role"), "task")
		diags = append(diags, d...)
		exec := defaultExec
		if s.ExecutionRole != "" {
			exec, d = serviceRole(e, cat, s, s.ExecutionRole, pos.Attr("execution_role"), "execution")
			diags = append(diags, d...)
		}
		eks := env.Platform == schema.PlatformEKS // no execution role (schema/validate_eks.go)
		if exec == nil && task != nil && !eks {
			diags = append(diags, errorAt(s.DefRange, "No execution role",
				fmt.Sprintf("Service %q has no execution role: the catalog marks none as the default. Set execution_role.", s.Name)))
		}
		if task != nil {
			for _, x := range s.Expects {
				diags = append(diags, task.addExpectation(specExpectation(x, s.Name))...)
			}
		}
		if task != nil && (exec != nil || eks) {
			e.Services = append(e.Services, &Service{Name: s.Name, TaskRole: task, ExecutionRole: exec})
		}
	}
	return diags
}

// serviceRole is the role of a kind that a service runs under, if ECS
// tasks may assume it.
func serviceRole(e *Environment, cat *templates.Catalog, s *schema.Service, kind string, rng hcl.Range, what string) (*Role, hcl.Diagnostics) {
	r := e.Role(kind)
	if r == nil {
		detail := fmt.Sprintf("Service %q runs under role %q as its %s role, but environment %q does not generate that role.", s.Name, kind, what, e.Spec.Name)
		if cat.Role(kind) == nil {
			detail = fmt.Sprintf("Service %q names role %q, which is not a role kind of the catalog (%s).", s.Name, kind, strings.Join(cat.Kinds(), ", "))
			if c := schema.Closest(kind, cat.Kinds()); c != "" {
				detail += fmt.Sprintf(" Did you mean %q?", c)
			}
		} else {
			detail += " " + enableHint(kind)
		}
		return nil, hcl.Diagnostics{errorAt(rng, "Service mapped to a role that is not generated", detail)}
	}
	if e.Spec.Platform == schema.PlatformEKS && !r.Template.Workload {
		return nil, hcl.Diagnostics{errorAt(rng, "Service mapped to a role pods cannot assume",
			fmt.Sprintf("Role %q is not a workload role (workload = true in its template), so the pods of service %q on EKS cannot assume it.", kind, s.Name))}
	}
	if r.Template.Trust.Service != "ecs-tasks.amazonaws.com" {
		return nil, hcl.Diagnostics{errorAt(rng, "Service mapped to a role ECS tasks cannot assume",
			fmt.Sprintf("Role %q is not trusted by ecs-tasks.amazonaws.com, so it cannot be the %s role of service %q.", kind, what, s.Name))}
	}
	return r, nil
}

// taskKind is the role kind a service's tasks run under: the spec's
// task_role, else the last catalog kind whose default_services list the
// service ("" when none does).
func taskKind(s *schema.Service, cat *templates.Catalog) string {
	if s.TaskRole != "" {
		return s.TaskRole
	}
	kind := ""
	for _, t := range cat.Roles {
		if slices.Contains(t.DefaultServices, s.Name) {
			kind = t.Kind
		}
	}
	return kind
}
