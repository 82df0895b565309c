package templates

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// ECSTasksService is the service principal ECS tasks assume roles as.
const ECSTasksService = "ecs-tasks.amazonaws.com"

// A workload role's trust on ECS is what the console guide's task roles
// wrote by hand: ECS tasks, with confused-deputy conditions on the
// account's ECS resources. It is parsed from this source so that the
// generator copies it into modules like any template expression.
const workloadTrustFile = "templates/<workload trust>"

var workloadTrustSrc = []byte(`source_arn = "arn:${var.partition}:ecs:${var.region}:${var.account_id}:*"` + "\n")

func ecsWorkloadTrust() *Trust {
	f, diags := hclsyntax.ParseConfig(workloadTrustSrc, workloadTrustFile, hcl.InitialPos)
	if diags.HasErrors() {
		panic(fmt.Sprintf("templates: workload trust: %s", diags.Error()))
	}
	attrs, _ := f.Body.JustAttributes()
	return &Trust{Service: ECSTasksService, SourceArn: attrs["source_arn"], DefRange: f.Body.MissingItemRange()}
}

// ECSOnly reports whether only ECS tasks can assume the role: a template
// that names ecs-tasks.amazonaws.com in its own trust (the execution role,
// or a task role written before workload roles existed). On EKS such a
// role is not generated.
func (r *Role) ECSOnly() bool {
	return !r.Workload && r.Trust != nil && r.Trust.Service == ECSTasksService
}
