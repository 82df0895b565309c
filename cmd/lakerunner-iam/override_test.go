package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// dataTaskOverride is how a team changes a generated role without editing
// generated files: Terraform merges *_override.tf files last.
const dataTaskOverride = `# Ours: long-running compactions need two-hour sessions.
module "data_task" {
  max_session_duration = 7200
}
`

// TestOverrideSurvivesRegeneration is the generator's half of the override
// story: a user's out/production/data_task_override.tf survives
// regeneration, --check does not count it, and the generated main.tf does
// not set what it overrides. Terraform's half, an override file of module
// inputs taking effect on apply, is proven by the e2e suite
// (TestE2E/example grants its probes that way, and they pass only if it
// took effect).
func TestOverrideSurvivesRegeneration(t *testing.T) {
	t.Parallel()
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
		t.Fatal("generated main.tf sets max_session_duration itself; the override would conflict with it")
	}
	if code, stdout, _ := cli(t, "gen", "--check", "-o", out, spec); code != exitOK {
		t.Errorf("gen --check counts the override as a difference:\n%s", stdout)
	}
}
