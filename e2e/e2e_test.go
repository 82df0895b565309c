package e2e

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/internal/emulator"
	"github.com/cardinalhq/lakerunner-iam/internal/tfenv"
	"github.com/cardinalhq/lakerunner-iam/outtree"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
	"github.com/cardinalhq/lakerunner-iam/schema"
)

// specCase is one spec the suite proves.
type specCase struct {
	name string
	spec string
	// apply: the whole cycle; otherwise init and plan only.
	apply bool
	// probe: assume the roles and check what they may and may not do.
	probe bool
	// probeByOverride: the prober is trusted through the modules'
	// trusted_principal_arns input in an override file, applied (how
	// teams grant break-glass access, so that way is proven too);
	// otherwise the test sets each probed role's trust through IAM, which
	// starts no terraform. The probes themselves are the same.
	probeByOverride bool
	// destroy: run terraform destroy after the proofs and check that the
	// account is left empty. The resources of every generated module are
	// the same few types (role, inline policy, policy attachments,
	// instance profile), so two specs that have them all, with every
	// option that changes how they are deleted (permissions boundaries,
	// paths, customer managed attachments, force_detach_policies = false,
	// instance profiles), prove destroy for all; the other specs' roots
	// end with the emulator. Every root is destroyed on an external
	// endpoint (LAKERUNNER_IAM_AWS_ENDPOINT), which outlives the test.
	// It names the environments whose roots prove destroy.
	destroy []string
	// skip names environments that are not run: ECS environments whose
	// modules are an applied root's and whose module inputs differ from
	// its only in names, account, region and resource names, which the
	// golden tests fix and a plan would only repeat.
	skip []string
	// planOnly names environments of an applied case that are planned
	// only (the exact resources and attributes their spec implies): their
	// modules and module inputs differ from an applied root's only in
	// names, account, region and resources, which the plan checks.
	planOnly []string
	// appliedBy names the case whose root proves this one: the same
	// modules but for comments, and the same module inputs but for the
	// account ID and the Environment tag (both checked here, without
	// Terraform). Plan, apply, read-back and the second plan are left to
	// that case.
	appliedBy string
}

var cases = []specCase{
	{name: "example", spec: "../examples/lakerunner.hcl", apply: true, probe: true, probeByOverride: true},
	// Every default: the console guide's Fargate roles, the example's
	// modules and inputs (but for the account and the Environment tag).
	{name: "fargate-minimal", spec: "../testdata/specs/fargate-minimal.hcl", appliedBy: "example"},
	// full and custom prove destroy: see specCase.destroy.
	{name: "full", spec: "../testdata/specs/full.hcl", apply: true, probe: true, destroy: []string{"prod"}},
	// custom/staging applies every role-block option; custom/production
	// is the example's roles under a name_prefix in another region.
	{name: "custom", spec: "../testdata/specs/custom.hcl", apply: true, destroy: []string{"staging"}, skip: []string{"production"}},
	// A role kind of the team's own, from the example's templates_dir: the
	// probes show the auditor reads the data lake and cannot write it.
	{name: "auditor", spec: "../examples/auditor.hcl", apply: true, probe: true},
	// KECS: the local root (kecs- role names, LocalStack endpoint by
	// default), pointed at the emulator, is planned: its modules are the
	// example's, which the example applies, and its module inputs differ
	// in names, account and statements, which the plan checks.
	{name: "local-kecs", spec: "../examples/local-kecs.hcl", apply: true, planOnly: []string{"local"}},
	// GovCloud: the emulator answers as the aws partition, so apply is not
	// meaningful; the plan proves the aws-us-gov ARNs.
	{name: "govcloud", spec: "../testdata/specs/govcloud.hcl"},
}

// suite is what every case shares.
type suite struct {
	tools    *tfenv.Tools
	emu      *emulator.Emulator
	accounts map[string]*account
	// enforcing: the emulator evaluates IAM policies, so probes mean
	// something (moto here; LocalStack only with ENFORCE_IAM).
	enforcing bool
}

func TestE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform against an emulator; skipped with -short")
	}
	parallelOnOwnEmulators(t)
	tools := tfenv.RequireOrSkip(t)
	if tools == nil {
		return
	}
	emulator.RequireOrSkip(t)
	ctx := context.Background()

	models := map[string]*generator.Model{}
	regions := map[string]string{} // account → a region of it
	for _, c := range cases {
		m, _, diags := pipeline.Load(c.spec)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", c.spec, diags.Error())
		}
		models[c.name] = m
		for _, e := range m.Environments {
			if prev, ok := regions[e.Spec.AccountID]; ok && schema.PartitionOf(prev) != e.Spec.Partition {
				t.Fatalf("account %s is used in two partitions", e.Spec.AccountID)
			}
			regions[e.Spec.AccountID] = e.Spec.Region
		}
	}

	done := timings.track("suite", "emulator")
	emu := emulator.StartT(t, emulator.Options{})
	s := &suite{tools: tools, emu: emu}
	s.accounts = setupAccounts(t, emu, regions)
	if emu.IsMoto() {
		if err := emu.EnableAuth(ctx); err != nil {
			t.Fatal(err)
		}
		s.enforcing = true
	}
	done()

	for _, c := range cases {
		c := c
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s.run(t, c, models[c.name])
		})
	}
}

// run generates the case's spec and proves each of its roots.
func (s *suite) run(t *testing.T, c specCase, m *generator.Model) {
	out := filepath.Join(t.TempDir(), "out")
	res, diags := pipeline.Generate(c.spec, pipeline.Options{OutDir: out})
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if _, err := outtree.WriteTree(out, res.Files, outtree.Options{}); err != nil {
		t.Fatal(err)
	}
	if c.appliedBy != "" {
		s.checkAppliedBy(t, c, res, out)
		return
	}
	for _, env := range res.Model.Environments {
		env := env
		if slices.Contains(c.skip, env.Spec.Name) {
			continue
		}
		t.Run(env.Spec.Name, func(t *testing.T) {
			if len(res.Model.Environments) > 1 {
				t.Parallel()
			}
			r := &rootRun{
				suite: s,
				c:     c,
				env:   env,
				dir:   filepath.Join(out, env.Spec.Name),
				acct:  s.accounts[env.Spec.AccountID],
				scope: c.name + "/" + env.Spec.Name,
			}
			r.prove(t)
		})
	}
}

// checkAppliedBy fails t unless every module c generates is one the case
// c.appliedBy generates too, the same but for comments, and every module
// block of c's roots is one of that case's roots but for the account ID
// and the Environment tag.
func (s *suite) checkAppliedBy(t *testing.T, c specCase, res *pipeline.Result, out string) {
	t.Helper()
	var by *specCase
	for i := range cases {
		if cases[i].name == c.appliedBy {
			by = &cases[i]
		}
	}
	if by == nil || !by.apply || len(res.Model.Environments) != 1 {
		t.Fatalf("%s: appliedBy %q is not a case that applies, or %s has more than one environment", c.name, c.appliedBy, c.name)
	}
	byOut := filepath.Join(t.TempDir(), "out")
	byRes, diags := pipeline.Generate(by.spec, pipeline.Options{OutDir: byOut})
	if diags.HasErrors() || len(byRes.Model.Environments) != 1 {
		t.Fatalf("%s: %s", by.spec, diags.Error())
	}
	got, want := terraformFiles(t, res.Files, out), terraformFiles(t, byRes.Files, byOut)
	for _, p := range slices.Sorted(maps.Keys(got)) {
		if strings.HasPrefix(p, "modules/") && want[p] != got[p] {
			t.Fatalf("%s: %s differs from that of %s, which then does not apply it for this case: set apply: true", c.name, p, by.name)
		}
	}
	env, byEnv := res.Model.Environments[0].Spec, byRes.Model.Environments[0].Spec
	byBlocks := moduleBlocks(t, want[byEnv.Name+"/main.tf"])
	for name, b := range moduleBlocks(t, got[env.Name+"/main.tf"]) {
		b = strings.ReplaceAll(b, strconv.Quote(env.AccountID), strconv.Quote(byEnv.AccountID))
		if environmentTag.ReplaceAllString(b, "") != environmentTag.ReplaceAllString(byBlocks[name], "") {
			t.Fatalf("%s: module %s has other inputs than in %s, which then does not apply it for this case: set apply: true\n%s\n%s", c.name, name, by.name, b, byBlocks[name])
		}
	}
}

// environmentTag is the Environment tag in a module block.
var environmentTag = regexp.MustCompile(`(?m)^\s*Environment\s*=\s*"[^"]*"\n`)

// moduleBlocks maps the name of each module block of a root's main.tf to
// its text.
func moduleBlocks(t *testing.T, src string) map[string]string {
	t.Helper()
	f, diags := hclwrite.ParseConfig([]byte(src), "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	m := map[string]string{}
	for _, b := range f.Body().Blocks() {
		if b.Type() == "module" && len(b.Labels()) == 1 {
			m[b.Labels()[0]] = string(b.BuildTokens(nil).Bytes())
		}
	}
	return m
}

// rootRun proves one generated root module.
type rootRun struct {
	*suite
	c     specCase
	env   *generator.Environment
	dir   string
	acct  *account
	scope string
	tf    *tfexec.Terraform
	// precreated are policies the test made before apply, not Terraform.
	precreated map[string]bool
}

func (r *rootRun) prove(t *testing.T) {
	ctx := context.Background()
	tf, err := r.tools.NewTerraform(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	env := r.tools.Env()
	for k, v := range r.emu.EnvVars(r.acct.Admin.AccessKeyID, r.acct.Admin.SecretAccessKey, "") {
		env[k] = v
	}
	env["AWS_EC2_METADATA_DISABLED"] = "true"
	if err := tf.SetEnv(env); err != nil {
		t.Fatal(err)
	}
	r.tf = tf

	r.step(t, "init", func() error {
		err := tf.Init(ctx, r.tools.InitOptions()...)
		if err != nil && r.tools.PluginDir == "" {
			return fmt.Errorf("no local copy of the hashicorp/aws provider was found, so init needed the registry: set %s to a directory holding registry.terraform.io/hashicorp/aws (%w)", tfenv.EnvPluginDir, err)
		}
		return err
	})
	r.createReferencedPolicies(t)
	if !r.c.apply || slices.Contains(r.c.planOnly, r.env.Spec.Name) {
		_, plan := r.validPlan(t, "plan")
		r.assertPlan(t, plan)
		return
	}
	// A root that is applied is planned and applied by one terraform
	// apply, whose planned changes are checked (applyChecked); it needs no
	// terraform show of its plan: the read-back checks every attribute in
	// IAM itself.
	ui := r.applyChecked(t, "apply")
	r.destroyAtEnd(t)
	r.assertPlanned(t, ui)
	r.readBack(t)
	r.noChanges(t)
	if r.c.probe {
		r.probe(t)
	}
}

// destroyAtEnd destroys the root when t ends if its environment proves destroy or
// the endpoint outlives the test; see specCase.destroy.
func (r *rootRun) destroyAtEnd(t *testing.T) {
	if slices.Contains(r.c.destroy, r.env.Spec.Name) || !r.emu.IsMoto() {
		t.Cleanup(func() { r.destroy(t) })
	}
}

func (r *rootRun) endpointVar() *tfexec.VarOption {
	return tfexec.Var("aws_endpoint=" + r.emu.Endpoint())
}

// step runs a Terraform step, timing it; an error ends the test.
func (r *rootRun) step(t *testing.T, name string, f func() error) {
	t.Helper()
	done := timings.track(r.scope, name)
	err := f()
	done()
	if err != nil {
		t.Fatalf("terraform %s in %s: %v", name, r.scope, err)
	}
}

func (r *rootRun) noChanges(t *testing.T) {
	t.Helper()
	var changed bool
	r.step(t, "replan", func() error {
		var err error
		changed, err = r.tf.Plan(context.Background(), r.endpointVar())
		return err
	})
	if changed {
		t.Errorf("%s: a second plan after apply has changes; the generated Terraform is not idempotent", r.scope)
	}
}
