package templates

import (
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2/hclparse"
)

// TestWorkloadRoles: a workload role gets the ECS trust the console guide's
// task roles wrote by hand, and may have no trust of its own; a template
// naming ecs-tasks.amazonaws.com itself is ECS-only.
func TestWorkloadRoles(t *testing.T) {
	const head = `  summary     = "s"
  name        = "n"
  description = "d"
`
	for _, c := range []struct {
		name, src, wantErr string
		ecsOnly            bool
	}{
		{name: "workload", src: head + "  workload = true\n"},
		{name: "ECS-only", src: head + "  trust {\n    service = \"ecs-tasks.amazonaws.com\"\n  }\n", ecsOnly: true},
		{name: "EC2", src: head + "  trust {\n    service = \"ec2.amazonaws.com\"\n  }\n"},
		{name: "workload with trust", src: head + "  workload = true\n  trust {\n    service = \"ecs-tasks.amazonaws.com\"\n  }\n", wantErr: "Trust on a workload role"},
		{name: "workload execution role", src: head + "  workload = true\n  execution_role = true\n", wantErr: "Workload execution role"},
		{name: "neither", src: head, wantErr: "Role template without trust"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cat, diags := Load(fstest.MapFS{"x.hcl": {Data: []byte("role \"x\" {\n" + c.src + "}\n")}}, hclparse.NewParser())
			if c.wantErr != "" {
				if !diags.HasErrors() || diags[0].Summary != c.wantErr {
					t.Fatalf("diagnostics %v, want %q", diags, c.wantErr)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			r := cat.Roles[0]
			if r.ECSOnly() != c.ecsOnly {
				t.Errorf("ECSOnly() = %v, want %v", r.ECSOnly(), c.ecsOnly)
			}
			if r.Workload {
				if r.Trust.Service != ECSTasksService || r.Trust.SourceArn == nil {
					t.Fatalf("workload trust %+v, want ECS tasks with a source ARN", r.Trust)
				}
				rng := r.Trust.SourceArn.Expr.Range()
				if got := string(rng.SliceBytes(cat.Sources[rng.Filename])); got != `"arn:${var.partition}:ecs:${var.region}:${var.account_id}:*"` {
					t.Errorf("source_arn %s", got)
				}
			}
		})
	}
}
