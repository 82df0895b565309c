package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/internal/emulator"
	"github.com/cardinalhq/lakerunner-iam/internal/tfenv"
	"github.com/cardinalhq/lakerunner-iam/outtree"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// readerPolicy allows IAM reads and nothing else: all import may need.
const readerPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}`

// importCase is one way an operator made the console guide's roles, and
// the spec that describes the result by hand.
type importCase struct {
	name string
	make func(t *testing.T, c *iam.Client, account string)
	spec string
	// catalog is import's --catalog ("": the default).
	catalog string
	// provenBy names the test that applies spec's Terraform, adopting
	// the same roles made the same way; "" when none does. When the
	// imported spec generates that same Terraform, TestImport does not
	// run it again.
	provenBy string
}

// importTiersSpec describes tier roles (REFERENCE.md section 8) made by hand,
// with a policy name and descriptions of the operator's own.
const importTiersSpec = "../importer/testdata/tiers.hcl"

var importCases = []importCase{
	{"console", followGuide, adoptSpec, "", "TestAdopt"},
	{"variant", followGuideVariant, "testdata/adopt-variant.hcl", "", ""},
	{"tiers", makeRolesOf(importTiersSpec), importTiersSpec, "tiers", ""},
}

// TestImport proves lakerunner-iam import on roles made by hand: the
// console guide's as e2e/adopt_test.go makes them, a variant made
// otherwise, and tier roles (--catalog tiers). For each case, in an emulator of its own that enforces IAM policies, the roles
// are made with the console's API calls; then the CLI, as a user allowed
// only IAM reads, writes a spec (-o). gen --adopt generates it, and:
//
//   - the spec imports exactly what the hand-written spec of the case
//     imports (every role, inline policy, attachment, instance profile);
//   - the first plan only imports: 0 to add, change or destroy.
//
// The plan is proven by TestAdopt for the console case, whose imported
// spec generates the Terraform of adoptSpec (checked here: every .tf file
// the same but for comments), on the same roles. Applying the imports and
// the empty plan after it are proven by TestAdopt: import blocks of the
// same resource types, the plan read from IAM as here.
func TestImport(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform against an emulator; skipped with -short")
	}
	parallelOnOwnEmulators(t)
	tools := tfenv.RequireOrSkip(t)
	if tools == nil {
		return
	}
	emulator.RequireOrSkip(t)
	bin := filepath.Join(t.TempDir(), "lakerunner-iam")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/cardinalhq/lakerunner-iam/cmd/lakerunner-iam").CombinedOutput(); err != nil {
		t.Fatalf("building the CLI: %v\n%s", err, out)
	}
	for _, ic := range importCases {
		t.Run(ic.name, func(t *testing.T) {
			parallelOnOwnEmulators(t)
			runImportCase(t, tools, bin, ic)
		})
	}
}

func runImportCase(t *testing.T, tools *tfenv.Tools, bin string, ic importCase) {
	ctx := context.Background()
	want, _, diags := pipeline.Options{Adopt: true}.Load(ic.spec)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	wantEnv := want.Environments[0]
	account, region := wantEnv.Spec.AccountID, wantEnv.Spec.Region
	scope := "import/" + ic.name

	done := timings.track(scope, "emulator")
	emu := emulator.StartT(t, emulator.Options{})
	if !emu.IsMoto() {
		t.Skip("needs an emulator of its own that enforces IAM policies (moto)")
	}
	s := &suite{tools: tools, emu: emu}
	s.accounts = setupAccounts(t, emu, map[string]string{account: region})
	cfg, err := inAccount(emu, account, region)
	if err != nil {
		t.Fatal(err)
	}
	reader, err := createUser(ctx, iam.NewFromConfig(cfg), "lakerunner-e2e-reader", readerPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if err := emu.EnableAuth(ctx); err != nil {
		t.Fatal(err)
	}
	s.enforcing = true
	done()

	acct := s.accounts[account]
	admin := iam.NewFromConfig(userConfig(t, emu, acct.Admin, region))
	done = timings.track(scope, "console")
	ic.make(t, admin, account)
	done()

	// The reader may not write: the emulator enforces its policy.
	readerIAM := iam.NewFromConfig(userConfig(t, emu, reader, region))
	_, err = readerIAM.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("not-allowed"), AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[]}`)})
	if !emulator.IsAccessDenied(err) {
		t.Fatalf("the read-only user created a role (error %v): the emulator does not enforce policies", err)
	}

	dir := t.TempDir()
	spec := filepath.Join(dir, "lakerunner.hcl")
	args := []string{"import", "--env", wantEnv.Spec.Name, "--account-id", account, "--region", region, "--endpoint", emu.Endpoint(), "-o", spec}
	if ic.catalog != "" {
		args = append(args, "--catalog", ic.catalog)
	}
	done = timings.track(scope, "import")
	code, stderr := runAs(t, bin, reader, args...)
	done()
	if code != 0 {
		t.Fatalf("lakerunner-iam import: exit %d\n%s", code, stderr)
	}
	written, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("lakerunner-iam import wrote:\n%s", written)
	if code, stderr := runAs(t, bin, reader, args...); code != 1 || !strings.Contains(stderr, "never overwrites") {
		t.Errorf("a second import -o %s: exit %d, %s; want it refused", spec, code, stderr)
	}

	out := filepath.Join(dir, "out")
	res, diags := pipeline.Generate(spec, pipeline.Options{OutDir: out, Adopt: true})
	if diags.HasErrors() {
		t.Fatalf("gen --adopt on the imported spec: %s", diags.Error())
	}
	if _, err := outtree.WriteTree(out, res.Files, outtree.Options{}); err != nil {
		t.Fatal(err)
	}
	env := res.Model.Environments[0]
	if got, want := importList(env), importList(wantEnv); !slices.Equal(got, want) {
		t.Errorf("the imported spec imports\n%s\nthe hand-written %s\n%s", strings.Join(got, "\n"), ic.spec, strings.Join(want, "\n"))
	}

	if ic.provenBy != "" {
		diff := terraformDiff(t, res.Files, out, ic.spec)
		if diff == "" {
			t.Logf("the imported spec generates the Terraform of %s, which %s plans, applies and plans again on the same roles", ic.spec, ic.provenBy)
			return
		}
		t.Logf("the imported spec generates other Terraform than %s (%s differs): proving it here", ic.spec, diff)
	}

	r := &rootRun{suite: s, c: specCase{name: scope, spec: spec, apply: true}, env: env, dir: filepath.Join(out, env.Spec.Name), acct: acct, scope: scope}
	tf, err := tools.NewTerraform(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	tfEnv := tools.Env()
	for k, v := range emu.EnvVars(acct.Admin.AccessKeyID, acct.Admin.SecretAccessKey, "") {
		tfEnv[k] = v
	}
	tfEnv["AWS_EC2_METADATA_DISABLED"] = "true"
	if err := tf.SetEnv(tfEnv); err != nil {
		t.Fatal(err)
	}
	r.tf = tf
	r.step(t, "init", func() error { return tf.Init(ctx, tools.InitOptions()...) })
	// The plan imports every role and changes nothing: the imported spec
	// describes the account exactly. Applying import blocks and the empty
	// plan after it are proven by TestAdopt, for the same resource types.
	_, plan := r.plan(t, "plan")
	assertAdoption(t, env, plan, nil)
}

// terraformDiff names the first .tf file in which files (written to out)
// and what gen --adopt writes for spec differ other than in comment
// lines, "" when none does.
func terraformDiff(t *testing.T, files []generator.File, out, spec string) string {
	t.Helper()
	got, want := terraformFiles(t, files, out), generatedTerraform(t, spec, pipeline.Options{Adopt: true})
	for _, p := range slices.Sorted(maps.Keys(want)) {
		if got[p] != want[p] {
			return p
		}
	}
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[p]; !ok {
			return p
		}
	}
	return ""
}

// generatedTerraform is terraformFiles of what gen writes for spec.
func generatedTerraform(t *testing.T, spec string, opts pipeline.Options) map[string]string {
	t.Helper()
	opts.OutDir = filepath.Join(t.TempDir(), "out")
	res, diags := pipeline.Generate(spec, opts)
	if diags.HasErrors() {
		t.Fatalf("gen %s: %s", spec, diags.Error())
	}
	return terraformFiles(t, res.Files, opts.OutDir)
}

// terraformFiles maps the path under out of each generated .tf file to
// its content without comment lines (headers name the spec).
func terraformFiles(t *testing.T, files []generator.File, out string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, f := range files {
		if !strings.HasSuffix(f.Path, ".tf") {
			continue
		}
		p := f.Path
		if filepath.IsAbs(p) {
			rel, err := filepath.Rel(out, p)
			if err != nil {
				t.Fatal(err)
			}
			p = rel
		}
		var lines []string
		for _, line := range strings.Split(string(f.Content), "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "#") {
				lines = append(lines, line)
			}
		}
		m[filepath.ToSlash(p)] = strings.Join(lines, "\n")
	}
	return m
}

func importList(env *generator.Environment) []string {
	var out []string
	for _, imp := range env.Imports() {
		out = append(out, imp.Address+" "+imp.ID)
	}
	return out
}

// runAs runs the CLI with a user's credentials and nothing else of AWS's
// configuration, so the SDK's standard chain finds exactly those.
func runAs(t *testing.T, bin string, u *emulator.User, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env,
		"AWS_ACCESS_KEY_ID="+u.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+u.SecretAccessKey,
		"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull, "AWS_EC2_METADATA_DISABLED=true")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), stderr.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// followGuideVariant makes the guide's roles as another operator did:
// every inline policy named "<role>-policy", no descriptions, the
// cross-account role without an inline policy, and the one tag Project =
// lakerunner on every role (not on the instance profile).
func followGuideVariant(t *testing.T, c *iam.Client, account string) {
	t.Helper()
	ctx := context.Background()
	var guide struct {
		Roles []guideRole `json:"roles"`
	}
	if err := json.Unmarshal([]byte(readGuideFixture(t, "roles.json", account)), &guide); err != nil {
		t.Fatal(err)
	}
	tags := []types.Tag{{Key: aws.String("Project"), Value: aws.String("lakerunner")}}
	for _, g := range guide.Roles {
		name, trustFixture := aws.ToString(g.Name), aws.ToString(g.Trust)
		if g.Name == nil {
			name, trustFixture = chosenMSKRole, chosenMSKTrust
		}
		trust := readGuideFixture(t, trustFixture, account)
		if _, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust), Tags: tags}); err != nil {
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
		for i, p := range g.Inline {
			policyName := name + "-policy"
			if i > 0 {
				policyName = fmt.Sprintf("%s-policy-%d", name, i+1)
			}
			if _, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(policyName), PolicyDocument: aws.String(readGuideFixture(t, p.Document, account))}); err != nil {
				t.Fatalf("role %s: inline policy %s: %v", name, policyName, err)
			}
		}
	}
}

// makeRolesOf makes, with the IAM API, the roles a spec describes, as an
// operator following its catalog by hand would: each role with its trust,
// description and tags, its inline policy, managed policies and instance
// profile.
func makeRolesOf(spec string) func(t *testing.T, c *iam.Client, account string) {
	return func(t *testing.T, c *iam.Client, account string) {
		t.Helper()
		ctx := context.Background()
		m, _, diags := pipeline.Load(spec)
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		for _, r := range m.Environments[0].Roles {
			in := &iam.CreateRoleInput{RoleName: aws.String(r.Name), Path: aws.String(r.Path),
				AssumeRolePolicyDocument: aws.String(string(r.Trust.JSON())), MaxSessionDuration: aws.Int32(int32(r.MaxSessionDuration))}
			if r.Description != "" {
				in.Description = aws.String(r.Description)
			}
			for _, k := range slices.Sorted(maps.Keys(r.Tags)) {
				in.Tags = append(in.Tags, types.Tag{Key: aws.String(k), Value: aws.String(r.Tags[k])})
			}
			if _, err := c.CreateRole(ctx, in); err != nil {
				t.Fatalf("creating role %s: %v", r.Name, err)
			}
			if r.Permissions != nil {
				if _, err := c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(r.Name), PolicyName: aws.String(r.PolicyName), PolicyDocument: aws.String(string(r.Permissions.JSON()))}); err != nil {
					t.Fatalf("role %s: inline policy: %v", r.Name, err)
				}
			}
			for _, mp := range r.ManagedPolicies {
				if _, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(r.Name), PolicyArn: aws.String(mp.ARN)}); err != nil {
					t.Fatalf("role %s: attaching %s: %v", r.Name, mp.ARN, err)
				}
			}
			if r.InstanceProfileName != "" {
				if _, err := c.CreateInstanceProfile(ctx, &iam.CreateInstanceProfileInput{InstanceProfileName: aws.String(r.InstanceProfileName), Path: aws.String(r.Path)}); err != nil {
					t.Fatalf("instance profile %s: %v", r.InstanceProfileName, err)
				}
				if _, err := c.AddRoleToInstanceProfile(ctx, &iam.AddRoleToInstanceProfileInput{InstanceProfileName: aws.String(r.InstanceProfileName), RoleName: aws.String(r.Name)}); err != nil {
					t.Fatalf("instance profile %s: adding the role: %v", r.InstanceProfileName, err)
				}
			}
		}
	}
}
