package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/internal/emulator"
	"github.com/cardinalhq/lakerunner-iam/internal/tfenv"
	"github.com/cardinalhq/lakerunner-iam/outtree"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// adoptSpec describes the console guide's roles exactly as an operator
// makes them; the operator's choices are noted in it and in consoleRoles.
const adoptSpec = "testdata/adopt.hcl"

// TestAdopt proves gen --adopt on roles made by hand. In an emulator of its
// own it makes the roles of the console guide as the guide's steps do,
// then generates adoptSpec with pipeline.Options{Adopt: true}:
//
//   - the first plan only imports (every role, inline policy, attachment and
//     the instance profile, with the IDs the AWS provider expects) and
//     changes nothing; after apply, a second plan is empty;
//   - with the state set aside and three roles changed by hand, a new plan
//     imports again and updates exactly the three attributes that differ.
func TestAdopt(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform against an emulator; skipped with -short")
	}
	t.Parallel() // its own emulator: overlaps with the other e2e tests
	tools := tfenv.RequireOrSkip(t)
	if tools == nil {
		return
	}
	emulator.RequireOrSkip(t)
	ctx := context.Background()

	out := filepath.Join(t.TempDir(), "out")
	res, diags := pipeline.Generate(adoptSpec, pipeline.Options{OutDir: out, Adopt: true})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if _, err := outtree.WriteTree(out, res.Files, outtree.Options{}); err != nil {
		t.Fatal(err)
	}
	if n := len(res.Model.Environments); n != 1 {
		t.Fatalf("%s has %d environments, want 1", adoptSpec, n)
	}
	env := res.Model.Environments[0]
	scope := "adopt/" + env.Spec.Name

	done := timings.track(scope, "emulator")
	emu := emulator.StartT(t, emulator.Options{})
	s := &suite{tools: tools, emu: emu}
	s.accounts = setupAccounts(t, emu, map[string]string{env.Spec.AccountID: env.Spec.Region})
	if emu.IsMoto() {
		if err := emu.EnableAuth(ctx); err != nil {
			t.Fatal(err)
		}
		s.enforcing = true
	}
	done()
	r := &rootRun{
		suite: s,
		c:     specCase{name: "adopt", spec: adoptSpec, apply: true},
		env:   env,
		dir:   filepath.Join(out, env.Spec.Name),
		acct:  s.accounts[env.Spec.AccountID],
		scope: scope,
	}

	// The operator follows the guide. Read back before Terraform runs,
	// this shows that the spec describes the hand-made roles exactly.
	console := r.iam(t)
	done = timings.track(scope, "console")
	followGuide(t, console, env.Spec.AccountID)
	done()
	r.readBack(t)

	tf, err := tools.NewTerraform(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	tfEnv := tools.Env()
	for k, v := range emu.EnvVars(r.acct.Admin.AccessKeyID, r.acct.Admin.SecretAccessKey, "") {
		tfEnv[k] = v
	}
	tfEnv["AWS_EC2_METADATA_DISABLED"] = "true"
	if err := tf.SetEnv(tfEnv); err != nil {
		t.Fatal(err)
	}
	r.tf = tf
	r.step(t, "init", func() error { return tf.Init(ctx, tools.InitOptions()...) })

	planFile, plan := r.plan(t, "plan")
	assertAdoption(t, env, plan, nil)
	if t.Failed() {
		t.FailNow() // applying a plan that changes roles would hide what follows
	}
	r.step(t, "apply", func() error { return tf.Apply(ctx, tfexec.DirOrPlan(planFile)) })
	if !emu.IsMoto() {
		// A shared endpoint (LAKERUNNER_IAM_AWS_ENDPOINT) outlives the test.
		t.Cleanup(func() { r.destroy(t) })
	}
	r.noChanges(t)

	// Roles that drifted from the spec before adoption: a new state, so
	// every import block imports again.
	state := filepath.Join(r.dir, "terraform.tfstate")
	if err := os.Rename(state, state+".adopted"); err != nil {
		t.Fatal(err)
	}
	defer func() {
		// Keep the adopted state for destroy on a shared endpoint.
		if err := os.Rename(state+".adopted", state); err != nil {
			t.Error(err)
		}
	}()
	diffs := consoleEdits(env)
	for _, d := range diffs {
		if err := d.edit(ctx, console); err != nil {
			t.Fatalf("%s: %v", d.what, err)
		}
	}
	_, plan = r.plan(t, "plan-differences")
	assertAdoption(t, env, plan, diffs)
}

// guideRole is one role of testdata/guide/roles.json: what the console
// guide says about it.
type guideRole struct {
	Name        *string           `json:"name"`
	Description string            `json:"description"`
	Tags        map[string]string `json:"tags"`
	Trust       *string           `json:"trust"`
	Managed     []struct {
		Path string `json:"path"`
	} `json:"managed_policies"`
	Inline []struct {
		Name     string `json:"name"`
		Document string `json:"document"`
	} `json:"inline_policies"`
	InstanceProfile bool `json:"instance_profile"`
}

// The console's Create role wizard: the trust policy it writes for a
// trusted entity, and the description it fills in, which the guide's
// operator keeps where the guide gives none. Keyed by the testdata/guide
// fixture that simplifies the trust policy (Terraform compares policies
// by meaning, so the console's arrays and empty Sid must not matter).
var consoleWizard = map[string]struct{ trust, description string }{
	"trust-ecs-tasks.json": {`{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "",
            "Effect": "Allow",
            "Principal": {
                "Service": "ecs-tasks.amazonaws.com"
            },
            "Action": "sts:AssumeRole"
        }
    ]
}`, "Allows ECS tasks to call AWS services on your behalf."},
	"trust-lambda.json": {`{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "sts:AssumeRole"
            ],
            "Principal": {
                "Service": [
                    "lambda.amazonaws.com"
                ]
            }
        }
    ]
}`, "Allows Lambda functions to call AWS services on your behalf."},
	"trust-ec2.json": {`{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "sts:AssumeRole"
            ],
            "Principal": {
                "Service": [
                    "ec2.amazonaws.com"
                ]
            }
        }
    ]
}`, "Allows EC2 instances to call AWS services on your behalf."},
	// "Another AWS account", before the guide's "Update Trust Relationship"
	// replaces it with cross-account-trust.json. %s is the trusted account.
	"cross-account-trust.json": {`{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {
                "AWS": "arn:aws:iam::%s:root"
            },
            "Action": "sts:AssumeRole",
            "Condition": {}
        }
    ]
}`, ""},
}

// The operator's choices where the guide leaves one; adoptSpec records the
// same choices, and readBack fails if the two disagree.
var (
	// Names of the inline policies the guide does not name, after the
	// guide's headings, by policy document.
	chosenPolicyNames = map[string]string{
		"query-access.json":         "lakerunner-query-service-policy",
		"migration-access.json":     "lakerunner-migration-policy",
		"migration-lambda-ecs.json": "lakerunner-ecs-task-execution-policy",
		"msk-access.json":           "lakerunner-msk-access-policy",
	}
	// The MSK role has no name or trust in the guide: "as before".
	chosenMSKRole  = "lakerunner-msk-access-role"
	chosenMSKTrust = "trust-ecs-tasks.json"
	// The cross-account role's "appropriate policies": read access to the
	// data lake buckets, the query role's S3ReadAccess statement.
	chosenCrossAccountPolicy = "lakerunner-cross-account-s3-read"
)

const guideFixtures = "../testdata/guide"

// guideAccount is the account testdata/guide's policies name for
// {accountId}; the tests' own account replaces it.
const guideAccount = "123456789012"

// followGuide makes every role of the console guide in account, with the
// API calls the console makes for the guide's steps: create the role
// (trust, name, description, tags), attach the managed policies chosen in
// the wizard, create the instance profile, add the inline policy, update
// the trust relationship.
func followGuide(t *testing.T, c *iam.Client, account string) {
	t.Helper()
	ctx := context.Background()
	var guide struct {
		Roles []guideRole `json:"roles"`
	}
	if err := json.Unmarshal([]byte(readGuideFixture(t, "roles.json", account)), &guide); err != nil {
		t.Fatal(err)
	}
	for _, g := range guide.Roles {
		name, trustFixture := aws.ToString(g.Name), aws.ToString(g.Trust)
		if g.Name == nil {
			name, trustFixture = chosenMSKRole, chosenMSKTrust
		}
		wizard, ok := consoleWizard[trustFixture]
		if !ok {
			t.Fatalf("role %s: no console use case for trust %q", name, trustFixture)
		}
		trust := wizard.trust
		if strings.Contains(trust, "%s") {
			trust = fmt.Sprintf(trust, crossAccountTrusted(t, readGuideFixture(t, trustFixture, account)))
		}
		description := g.Description
		if description == "" {
			description = wizard.description
		}
		in := &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)}
		if description != "" {
			in.Description = aws.String(description)
		}
		for _, k := range slices.Sorted(maps.Keys(g.Tags)) {
			in.Tags = append(in.Tags, types.Tag{Key: aws.String(k), Value: aws.String(g.Tags[k])})
		}
		if _, err := c.CreateRole(ctx, in); err != nil {
			t.Fatalf("creating role %s: %v", name, err)
		}
		for _, mp := range g.Managed {
			arn := "arn:aws:iam::aws:policy/" + mp.Path
			if _, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(arn)}); err != nil {
				t.Fatalf("role %s: attaching %s: %v", name, arn, err)
			}
		}
		if g.InstanceProfile {
			if _, err := c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(name)}); err != nil {
				t.Fatalf("instance profile %s: %v", name, err)
			}
			if _, err := c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String(name), RoleName: aws.String(name)}); err != nil {
				t.Fatalf("instance profile %s: adding the role: %v", name, err)
			}
		}
		type inline struct{ name, doc string }
		var policies []inline
		for _, p := range g.Inline {
			policyName := p.Name
			if policyName == "" {
				policyName = chosenPolicyNames[p.Document]
			}
			if policyName == "" {
				t.Fatalf("role %s: no policy name chosen for %s", name, p.Document)
			}
			policies = append(policies, inline{policyName, readGuideFixture(t, p.Document, account)})
		}
		if trustFixture == "cross-account-trust.json" {
			policies = append(policies, inline{chosenCrossAccountPolicy, statementOf(t, readGuideFixture(t, "query-access.json", account), "S3ReadAccess")})
		}
		for _, p := range policies {
			if _, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(p.name), PolicyDocument: aws.String(p.doc)}); err != nil {
				t.Fatalf("role %s: inline policy %s: %v", name, p.name, err)
			}
		}
		if strings.Contains(wizard.trust, "%s") { // "Update Trust Relationship"
			doc := readGuideFixture(t, trustFixture, account)
			if _, err := c.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String(name), PolicyDocument: aws.String(doc)}); err != nil {
				t.Fatalf("role %s: updating the trust relationship: %v", name, err)
			}
		}
	}
}

// readGuideFixture reads a testdata/guide file with the account's ID in
// place of the guide's.
func readGuideFixture(t *testing.T, name, account string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(guideFixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), guideAccount, account)
}

// crossAccountTrusted is the account the guide's cross-account trust
// relationship trusts, which the operator enters in the wizard.
func crossAccountTrusted(t *testing.T, trust string) string {
	t.Helper()
	var doc struct {
		Statement []struct {
			Principal struct{ AWS string }
		}
	}
	if err := json.Unmarshal([]byte(trust), &doc); err != nil || len(doc.Statement) == 0 {
		t.Fatalf("cross-account trust fixture: %v", err)
	}
	arn := doc.Statement[0].Principal.AWS // arn:aws:iam::<account>:root
	return strings.TrimSuffix(strings.TrimPrefix(arn, "arn:aws:iam::"), ":root")
}

// statementOf is a policy of the one statement of doc with the Sid.
func statementOf(t *testing.T, doc, sid string) string {
	t.Helper()
	var p struct {
		Version   string
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		t.Fatal(err)
	}
	for _, st := range p.Statement {
		if st["Sid"] == sid {
			return mustJSON(map[string]any{"Version": p.Version, "Statement": []any{st}})
		}
	}
	t.Fatalf("no statement %q in %s", sid, doc)
	return ""
}

// consoleEdit is a change made by hand to an adopted role, and the update
// that adopting it again must plan.
type consoleEdit struct {
	what    string
	address string
	// attrs are the attributes the plan must update, no more, no less.
	attrs []string
	edit  func(context.Context, *iam.Client) error
	// check, given the planned values, says what is wrong with them.
	check func(before, after map[string]any) error
}

// consoleEdits are three ways a hand-made role drifts from the spec.
func consoleEdits(env *generator.Environment) []consoleEdit {
	exec, query, data := env.Role("ecs-execution"), env.Role("query-task"), env.Role("data-task")
	extra := map[string]any{"Sid": "ManualDebugAccess", "Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}
	var edited map[string]any
	if err := json.Unmarshal(data.Permissions.JSON(), &edited); err != nil {
		panic(err)
	}
	edited["Statement"] = append(edited["Statement"].([]any), extra)
	editedDoc := mustJSON(edited)
	return []consoleEdit{
		{
			what:    "the execution role lost its Type tag",
			address: "module.ecs_execution.aws_iam_role.this",
			attrs:   []string{"tags", "tags_all"},
			edit: func(ctx context.Context, c *iam.Client) error {
				_, err := c.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String(exec.Name), TagKeys: []string{"Type"}})
				return err
			},
			check: func(before, after map[string]any) error {
				if _, ok := before["tags"].(map[string]any)["Type"]; ok {
					return fmt.Errorf("the imported tags still have Type: %v", before["tags"])
				}
				if got := after["tags"].(map[string]any)["Type"]; got != exec.Tags["Type"] {
					return fmt.Errorf("planned tag Type = %v, want %q", got, exec.Tags["Type"])
				}
				return nil
			},
		},
		{
			what:    "the query role's description was edited",
			address: "module.query_task.aws_iam_role.this",
			attrs:   []string{"description"},
			edit: func(ctx context.Context, c *iam.Client) error {
				_, err := c.UpdateRole(ctx, &iam.UpdateRoleInput{RoleName: aws.String(query.Name), Description: aws.String("Query services (edited by hand)")})
				return err
			},
			check: func(before, after map[string]any) error {
				if before["description"] != "Query services (edited by hand)" || after["description"] != query.Description {
					return fmt.Errorf("description %q → %q, want the edit → %q", before["description"], after["description"], query.Description)
				}
				return nil
			},
		},
		{
			what:    "a statement was added to the data role's inline policy",
			address: "module.data_task.aws_iam_role_policy.this[0]",
			attrs:   []string{"policy"},
			edit: func(ctx context.Context, c *iam.Client) error {
				_, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(data.Name), PolicyName: aws.String(data.PolicyName), PolicyDocument: aws.String(editedDoc)})
				return err
			},
			check: func(before, after map[string]any) error {
				b, _ := before["policy"].(string)
				a, _ := after["policy"].(string)
				if err := equivalent(b, editedDoc); err != nil {
					return fmt.Errorf("imported policy: %v", err)
				}
				if err := equivalent(a, string(data.Permissions.JSON())); err != nil {
					return fmt.Errorf("planned policy: %v", err)
				}
				return nil
			},
		},
	}
}

// assertAdoption checks that the plan imports exactly what the
// environment's root adopts, with the provider's import IDs, and changes
// nothing but the edits: each of those updates exactly its attributes.
func assertAdoption(t *testing.T, env *generator.Environment, plan *tfjson.Plan, edits []consoleEdit) {
	t.Helper()
	want := map[string]generator.Import{}
	for _, imp := range env.Imports() {
		want[imp.Address] = imp
	}
	byAddress := map[string]consoleEdit{}
	for _, e := range edits {
		byAddress[e.address] = e
	}
	seen := map[string]bool{}
	for _, rc := range plan.ResourceChanges {
		if rc.Mode != tfjson.ManagedResourceMode {
			continue
		}
		seen[rc.Address] = true
		imp, ok := want[rc.Address]
		if !ok {
			t.Errorf("plan has %s (%v), which adoption does not import", rc.Address, rc.Change.Actions)
			continue
		}
		switch {
		case rc.Change.Importing == nil:
			t.Errorf("%s: planned %v without importing it", rc.Address, rc.Change.Actions)
		case rc.Change.Importing.ID != imp.ID:
			t.Errorf("%s: imported with ID %q, want %q", rc.Address, rc.Change.Importing.ID, imp.ID)
		}
		changed := changedAttributes(rc.Change)
		e, edited := byAddress[rc.Address]
		if !edited {
			if !rc.Change.Actions.NoOp() {
				t.Errorf("%s: planned %v (changing %v); adopting it must change nothing", rc.Address, rc.Change.Actions, changed)
			}
			continue
		}
		if !rc.Change.Actions.Update() {
			t.Errorf("%s (%s): planned %v, want an in-place update", rc.Address, e.what, rc.Change.Actions)
		}
		if !reflect.DeepEqual(changed, e.attrs) {
			t.Errorf("%s (%s): the plan changes %v, want exactly %v", rc.Address, e.what, changed, e.attrs)
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		if err := e.check(before, after); err != nil {
			t.Errorf("%s (%s): %v", rc.Address, e.what, err)
		}
	}
	for _, addr := range slices.Sorted(maps.Keys(want)) {
		if !seen[addr] {
			t.Errorf("plan does not import %s (id %q)", addr, want[addr].ID)
		}
	}
	for _, addr := range slices.Sorted(maps.Keys(byAddress)) {
		if !seen[addr] {
			t.Errorf("plan lacks %s, which %s", addr, byAddress[addr].what)
		}
	}
}

// changedAttributes lists the top-level attributes a change sets to
// another value or to one known only after apply.
func changedAttributes(c *tfjson.Change) []string {
	before, _ := c.Before.(map[string]any)
	after, _ := c.After.(map[string]any)
	unknown, _ := c.AfterUnknown.(map[string]any)
	set := map[string]bool{}
	for k, v := range after {
		if !reflect.DeepEqual(before[k], v) {
			set[k] = true
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			set[k] = true
		}
	}
	for k, v := range unknown {
		if hasUnknown(v) {
			set[k] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// hasUnknown reports whether an after_unknown value marks anything unknown.
func hasUnknown(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case []any:
		for _, x := range v {
			if hasUnknown(x) {
				return true
			}
		}
	case map[string]any:
		for _, x := range v {
			if hasUnknown(x) {
				return true
			}
		}
	}
	return false
}
