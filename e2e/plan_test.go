package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	awspolicy "github.com/hashicorp/awspolicyequivalence"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/cardinalhq/lakerunner-iam/generator"
)

// plan saves a plan to a file and reads it back as JSON.
func (r *rootRun) plan(t *testing.T, name string) (string, *tfjson.Plan) {
	t.Helper()
	file, _ := r.planToFile(t, name)
	return file, r.show(t, file)
}

// validPlan is plan that also fails on any diagnostic, error or warning.
// A plan validates the configuration first and reports what `terraform
// validate` would, so a separate validate, which starts the provider once
// more, proves nothing more.
func (r *rootRun) validPlan(t *testing.T, name string) (string, *tfjson.Plan) {
	t.Helper()
	file, ui := r.planToFile(t, name)
	ui.fail(t, name, r.scope)
	return file, r.show(t, file)
}

// applyChecked plans and applies in one terraform apply, for a root whose
// attributes the read-back then checks in IAM itself: apply's
// machine-readable output names every change it planned, and every
// diagnostic, as plan -json does, so a separate plan and a saved plan
// file (each another start of Terraform and the provider) prove nothing
// more. The caller checks the changes (assertPlanned): they are exactly
// what was applied.
func (r *rootRun) applyChecked(t *testing.T, name string) *planUI {
	t.Helper()
	var ui *planUI
	r.step(t, name, func() error {
		var out bytes.Buffer
		err := r.tf.ApplyJSON(context.Background(), &out, r.endpointVar())
		ui = parsePlanUI(t, out.Bytes())
		ui.fail(t, name, r.scope) // the diagnostics first: they say why it failed
		return err
	})
	if len(ui.changes) == 0 {
		t.Fatalf("%s: the first apply planned no changes", r.scope)
	}
	return ui
}

// planToFile plans with machine-readable output, saving the plan to a
// file, and returns what the output said.
func (r *rootRun) planToFile(t *testing.T, name string) (string, *planUI) {
	t.Helper()
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), name+".tfplan")
	var changed bool
	var out bytes.Buffer
	r.step(t, name, func() error {
		var err error
		changed, err = r.tf.PlanJSON(ctx, &out, r.endpointVar(), tfexec.Out(file))
		return err
	})
	if !changed {
		t.Fatalf("%s: the first plan has no changes", r.scope)
	}
	return file, parsePlanUI(t, out.Bytes())
}

// show reads a saved plan back as JSON.
func (r *rootRun) show(t *testing.T, file string) *tfjson.Plan {
	t.Helper()
	var plan *tfjson.Plan
	r.step(t, "show", func() error {
		var err error
		plan, err = r.tf.ShowPlanFile(context.Background(), file)
		return err
	})
	return plan
}

// planUI is what terraform plan -json or apply -json printed: its diagnostics, one
// "severity: summary: detail" each, and its planned changes of managed
// resources, address to action.
type planUI struct {
	diags   []string
	changes map[string]string
}

// fail reports every diagnostic as a test error.
func (ui *planUI) fail(t *testing.T, name, scope string) {
	t.Helper()
	for _, d := range ui.diags {
		t.Errorf("terraform %s in %s: %s", name, scope, d)
	}
}

// parsePlanUI reads Terraform's machine-readable UI output
// (https://developer.hashicorp.com/terraform/internals/machine-readable-ui).
func parsePlanUI(t *testing.T, out []byte) *planUI {
	t.Helper()
	ui := &planUI{changes: map[string]string{}}
	for _, line := range bytes.Split(out, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var msg struct {
			Type       string `json:"type"`
			Diagnostic struct {
				Severity, Summary, Detail string
			} `json:"diagnostic"`
			Change struct {
				Resource struct {
					Addr string `json:"addr"`
				} `json:"resource"`
				Action string `json:"action"`
			} `json:"change"`
		}
		if err := json.Unmarshal(line, &msg); err != nil {
			t.Fatalf("terraform -json: a line that is not JSON: %q", line)
		}
		switch msg.Type {
		case "diagnostic":
			d := msg.Diagnostic
			ui.diags = append(ui.diags, fmt.Sprintf("%s: %s: %s", d.Severity, d.Summary, d.Detail))
		case "planned_change":
			if msg.Change.Action != "read" { // data sources
				ui.changes[msg.Change.Resource.Addr] = msg.Change.Action
			}
		}
	}
	return ui
}

// expectation is what the spec implies for one planned resource.
type expectation struct {
	typ   string
	attrs map[string]interface{}
	// policies are attributes holding policy JSON, compared semantically.
	policies map[string]string
}

// expectedResources derives, from the model, every resource the root must
// plan: its address, type and the attributes that matter.
func expectedResources(env *generator.Environment) map[string]expectation {
	want := map[string]expectation{}
	for _, r := range env.Roles {
		m := "module." + r.ModuleName()
		var boundary interface{}
		if r.PermissionsBoundary != "" {
			boundary = r.PermissionsBoundary
		}
		tags := map[string]interface{}{}
		for k, v := range r.Tags {
			tags[k] = v
		}
		want[m+".aws_iam_role.this"] = expectation{
			typ: "aws_iam_role",
			attrs: map[string]interface{}{
				"name":                 r.Name,
				"path":                 r.Path,
				"description":          r.Description,
				"max_session_duration": float64(r.MaxSessionDuration),
				"permissions_boundary": boundary,
				"tags":                 tags,
			},
			policies: map[string]string{"assume_role_policy": string(r.Trust.JSON())},
		}
		if r.Permissions != nil {
			addr := m + ".aws_iam_role_policy.this[0]" // count: inline_policy, or extra statements only
			want[addr] = expectation{
				typ:      "aws_iam_role_policy",
				attrs:    map[string]interface{}{"name": r.PolicyName, "role": r.Name},
				policies: map[string]string{"policy": string(r.Permissions.JSON())},
			}
		}
		for _, mp := range r.ManagedPolicies {
			want[fmt.Sprintf("%s.aws_iam_role_policy_attachment.this[%q]", m, mp.Key)] = expectation{
				typ:   "aws_iam_role_policy_attachment",
				attrs: map[string]interface{}{"role": r.Name, "policy_arn": mp.ARN},
			}
		}
		if r.InstanceProfileName != "" {
			want[m+".aws_iam_instance_profile.this"] = expectation{
				typ:   "aws_iam_instance_profile",
				attrs: map[string]interface{}{"name": r.InstanceProfileName, "path": r.Path, "role": r.Name},
			}
		}
	}
	for _, svc := range env.Spec.ServiceLinkedRoles {
		want[fmt.Sprintf("aws_iam_service_linked_role.this[%q]", svc)] = expectation{
			typ:   "aws_iam_service_linked_role",
			attrs: map[string]interface{}{"aws_service_name": svc},
		}
	}
	eksExpectedResources(env, want) // eks_test.go
	return want
}

// assertPlanned checks that the plan creates exactly the resources the
// spec implies, no more and no less, from the plan's own output; the
// read-back that follows the apply checks their attributes.
func (r *rootRun) assertPlanned(t *testing.T, ui *planUI) {
	t.Helper()
	want := expectedResources(r.env)
	for _, addr := range slices.Sorted(maps.Keys(ui.changes)) {
		if _, ok := want[addr]; !ok {
			t.Errorf("plan has %s, which the spec does not imply", addr)
		}
	}
	for _, addr := range slices.Sorted(maps.Keys(want)) {
		switch action, ok := ui.changes[addr]; {
		case !ok:
			t.Errorf("plan lacks %s (%s)", addr, want[addr].typ)
		case action != "create":
			t.Errorf("%s: planned %s, want create", addr, action)
		}
	}
}

// assertPlan checks that the plan creates exactly the resources the spec
// implies, no more and no less, with the right attributes.
func (r *rootRun) assertPlan(t *testing.T, plan *tfjson.Plan) {
	t.Helper()
	want := expectedResources(r.env)
	got := map[string]*tfjson.ResourceChange{}
	for _, rc := range plan.ResourceChanges {
		if rc.Mode == tfjson.ManagedResourceMode {
			got[rc.Address] = rc
		}
	}
	for _, addr := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[addr]; !ok {
			t.Errorf("plan has %s, which the spec does not imply", addr)
		}
	}
	for _, addr := range slices.Sorted(maps.Keys(want)) {
		exp := want[addr]
		rc, ok := got[addr]
		if !ok {
			t.Errorf("plan lacks %s (%s)", addr, exp.typ)
			continue
		}
		if !rc.Change.Actions.Create() {
			t.Errorf("%s: planned %v, want create", addr, rc.Change.Actions)
		}
		after, _ := rc.Change.After.(map[string]interface{})
		for attr, v := range exp.attrs {
			if !reflect.DeepEqual(after[attr], v) {
				t.Errorf("%s: %s = %#v, want %#v", addr, attr, after[attr], v)
			}
		}
		for attr, doc := range exp.policies {
			s, _ := after[attr].(string)
			if err := equivalent(s, doc); err != nil {
				t.Errorf("%s: %s: %v", addr, attr, err)
			}
		}
	}
}

// equivalent says how two policies differ, or nil when IAM reads them alike.
func equivalent(got, want string) error {
	ok, err := awspolicy.PoliciesAreEquivalent(got, want)
	if err != nil {
		return fmt.Errorf("cannot compare policies: %v\n got: %s\nwant: %s", err, got, want)
	}
	if !ok {
		return fmt.Errorf("policy differs from what the spec implies\n got: %s\nwant: %s", got, want)
	}
	return nil
}
