package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/cardinalhq/lakerunner-iam/internal/emulator"
	"github.com/cardinalhq/lakerunner-iam/internal/tfenv"
)

// TestMain stops any emulator a test started, even on interrupt.
func TestMain(m *testing.M) { os.Exit(emulator.Main(m)) }

// dataTaskOverride is how a team changes a generated role without editing
// generated files: Terraform merges *_override.tf files last.
const dataTaskOverride = `# Ours: long-running compactions need two-hour sessions.
module "data_task" {
  max_session_duration = 7200
}
`

// TestOverrideSurvivesRegenerationAndTakesEffect is the end-to-end check
// of the override story: a user's out/production/data_task_override.tf
// survives regeneration (and --check does not count it), and `terraform
// plan` against the emulator shows the role with its overridden maximum
// session duration while the other roles keep the default.
func TestOverrideSurvivesRegenerationAndTakesEffect(t *testing.T) {
	t.Parallel()
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("runs terraform plan against moto; not in -short runs")
	}
	tools := tfenv.RequireOrSkip(t)
	emu := emulator.StartT(t, emulator.Options{})

	spec, out := project(t, "")
	generated(t, spec, out)
	override := writeFile(t, out, "production/data_task_override.tf", dataTaskOverride)

	// Regenerate after a spec change that rewrites production/main.tf.
	withSpec(t, spec, "  tags = { Team = \"platform\" }\n")
	if got := generated(t, spec, out); strings.Contains(got, " 0 updated") {
		t.Fatalf("regeneration changed nothing: %s", got)
	}
	if got := readText(t, override); got != dataTaskOverride {
		t.Fatalf("the override changed:\n%s", got)
	}
	if main := readText(t, filepath.Join(out, "production/main.tf")); strings.Contains(main, "max_session_duration") {
		t.Fatal("generated main.tf sets max_session_duration itself; the plan would not show the override's effect")
	}
	if code, stdout, _ := cli(t, "gen", "--check", "-o", out, spec); code != exitOK {
		t.Errorf("gen --check counts the override as a difference:\n%s", stdout)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	root := filepath.Join(out, "production")
	tf, err := tools.NewTerraform(root)
	if err != nil {
		t.Fatal(err)
	}
	env := tools.Env()
	for _, k := range []string{"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"} {
		delete(env, k)
	}
	env["AWS_ACCESS_KEY_ID"] = emulator.DefaultAccessKey
	env["AWS_SECRET_ACCESS_KEY"] = emulator.DefaultSecretKey
	if err := tf.SetEnv(env); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := tf.Init(ctx, tools.InitOptions()...); err != nil {
		t.Fatalf("terraform init: %v", err)
	}
	t.Logf("terraform init: %s", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	planFile := filepath.Join(t.TempDir(), "plan.tfplan")
	if _, err := tf.Plan(ctx, tfexec.Out(planFile), tfexec.Var("aws_endpoint="+emu.Endpoint())); err != nil {
		t.Fatalf("terraform plan: %v", err)
	}
	t.Logf("terraform plan against %s: %s", emu.Endpoint(), time.Since(start).Round(time.Millisecond))
	plan, err := tf.ShowPlanFile(ctx, planFile)
	if err != nil {
		t.Fatal(err)
	}

	want := map[string]float64{
		"module.data_task.aws_iam_role.this":     7200, // the override
		"module.query_task.aws_iam_role.this":    3600, // the module default
		"module.ecs_execution.aws_iam_role.this": 3600,
	}
	for _, rc := range plan.ResourceChanges {
		w, ok := want[rc.Address]
		if !ok {
			continue
		}
		delete(want, rc.Address)
		after, _ := rc.Change.After.(map[string]any)
		if got := after["max_session_duration"]; got != w {
			t.Errorf("%s: max_session_duration = %v, want %v", rc.Address, got, w)
		}
		if rc.Address == "module.data_task.aws_iam_role.this" && after["name"] != "lakerunner-data-task-role" {
			t.Errorf("%s: name = %v; the override should change nothing else", rc.Address, after["name"])
		}
	}
	for addr := range want {
		t.Errorf("the plan has no %s", addr)
	}
}
