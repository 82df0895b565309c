package e2e

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/internal/emulator"
	"github.com/cardinalhq/lakerunner-iam/internal/tfenv"
	"github.com/cardinalhq/lakerunner-iam/outtree"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
	"github.com/cardinalhq/lakerunner-iam/schema"
)

// The EKS examples, each proven on an emulator of its own: they use the
// account of examples/lakerunner.hcl, whose case in TestE2E checks that
// the account has no role besides its own, and each other's. Each case:
// init, a plan (the exact trust of every role, and the Pod Identity
// associations), then apply and read back what the emulator can take.
var eksCases = []specCase{
	{name: "eks-irsa", spec: "../examples/eks-irsa.hcl", apply: true},
	{name: "eks-pod-identity", spec: "../examples/eks-pod-identity.hcl", apply: true},
	// ECS and EKS (IRSA, per-role, ServiceAccount patterns, an OIDC
	// provider of another account) in one spec: plan only; staging is an
	// ECS environment of defaults (see specCase.skip).
	{name: "eks-mixed", spec: "../testdata/specs/eks-mixed.hcl", skip: []string{"staging"}},
}

// TestE2EEKS is selected by `-run 'TestE2E/eks'` too: -run matches the
// test name unanchored.
func TestE2EEKS(t *testing.T) {
	if testing.Short() {
		t.Skip("runs terraform against an emulator; skipped with -short")
	}
	parallelOnOwnEmulators(t)
	tools := tfenv.RequireOrSkip(t)
	if tools == nil {
		return
	}
	emulator.RequireOrSkip(t)
	for _, c := range eksCases {
		t.Run(c.name, func(t *testing.T) {
			parallelOnOwnEmulators(t)
			out := filepath.Join(t.TempDir(), "out")
			res, diags := pipeline.Generate(c.spec, pipeline.Options{OutDir: out})
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if _, err := outtree.WriteTree(out, res.Files, outtree.Options{}); err != nil {
				t.Fatal(err)
			}
			regions := map[string]string{}
			for _, e := range res.Model.Environments {
				regions[e.Spec.AccountID] = e.Spec.Region
			}
			emu := emulator.StartT(t, emulator.Options{})
			s := &suite{tools: tools, emu: emu}
			s.accounts = setupAccounts(t, emu, regions)
			for _, env := range res.Model.Environments {
				if slices.Contains(c.skip, env.Spec.Name) {
					continue
				}
				t.Run(env.Spec.Name, func(t *testing.T) {
					if len(res.Model.Environments) > 1 {
						t.Parallel()
					}
					r := &rootRun{suite: s, c: c, env: env, dir: filepath.Join(out, env.Spec.Name),
						acct: s.accounts[env.Spec.AccountID], scope: c.name + "/" + env.Spec.Name}
					r.proveEKS(t)
				})
			}
		})
	}
}

func (r *rootRun) proveEKS(t *testing.T) {
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
	r.step(t, "init", func() error { return tf.Init(ctx, r.tools.InitOptions()...) })
	k := r.env.Spec.EKS
	if r.c.apply && k != nil && k.Identity == schema.IdentityIRSA {
		// Planned and applied by one terraform apply, its planned changes
		// checked, then read back (see TestE2E). IAM refuses a Federated
		// principal whose provider does not exist: create it as a team
		// would have with the cluster.
		r.createOIDCProvider(t)
		ui := r.applyChecked(t, "apply")
		r.destroyAtEnd(t) // full and custom prove destroy (TestE2E)
		r.assertPlanned(t, ui)
		r.readBack(t)
		r.noChanges(t)
		r.probeWebIdentity(t)
		return
	}
	// The associations are proven by the plan only (moto has no Pod
	// Identity API), so read it back.
	planFile, plan := r.validPlan(t, "plan")
	r.assertPlan(t, plan) // every trust policy as the model says, and the associations
	if !r.c.apply {
		return
	}

	switch {
	case k == nil:
		t.Fatalf("%s: not an EKS environment; TestE2E proves ECS ones", r.scope)
	case k.Identity == schema.IdentityPodIdentity:
		// Apply the plan just checked. The emulator may have no EKS Pod
		// Identity API: then the roles are created (the associations
		// depend on them) and the associations fail, and are proven by
		// the plan above.
		done := timings.track(r.scope, "apply")
		err := tf.Apply(ctx, tfexec.DirOrPlan(planFile))
		done()
		r.destroyAtEnd(t) // full and custom prove destroy (TestE2E)
		r.readBack(t)
		switch {
		case err == nil:
			t.Logf("%s: the emulator created the Pod Identity associations", r.scope)
			r.noChanges(t)
		case r.emu.IsMoto() && strings.Contains(err.Error(), "404"):
			// moto has no EKS Pod Identity API (HTTP 404): the
			// associations are proven by the plan only.
			t.Logf("%s: the emulator cannot create aws_eks_pod_identity_association: %s", r.scope, errorLine(err.Error()))
		default:
			t.Fatalf("%s: applying the Pod Identity associations: %v", r.scope, err)
		}
	}
}

func (r *rootRun) createOIDCProvider(t *testing.T) {
	t.Helper()
	k := r.env.Spec.EKS
	cfg, err := inAccount(r.emu, k.OIDCProviderAccountID, r.env.Spec.Region)
	if err != nil {
		t.Fatal(err)
	}
	c := iam.NewFromConfig(cfg)
	want := generator.OIDCProviderARN(r.env.Spec)
	// moto's development server sometimes closes a kept-alive connection
	// under load, after it has answered: a failed call may have created
	// the provider, so look for it before trying again.
	var arn string
	for attempt := 1; arn == ""; attempt++ {
		out, err := c.CreateOpenIDConnectProvider(context.Background(), &iam.CreateOpenIDConnectProviderInput{
			Url:            aws.String(k.OIDCIssuerURL),
			ClientIDList:   []string{"sts.amazonaws.com"},
			ThumbprintList: []string{strings.Repeat("9", 40)},
		})
		switch {
		case err == nil:
			arn = aws.ToString(out.OpenIDConnectProviderArn)
		case attempt < 3:
			if _, gerr := c.GetOpenIDConnectProvider(context.Background(), &iam.GetOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(want)}); gerr == nil {
				arn = want
			}
		default:
			t.Fatalf("creating the OIDC provider: %v", err)
		}
	}
	if arn != want {
		t.Errorf("OIDC provider ARN %s, the roles trust %s", arn, want)
	}
	t.Cleanup(func() {
		if _, err := c.DeleteOpenIDConnectProvider(context.Background(), &iam.DeleteOpenIDConnectProviderInput{OpenIDConnectProviderArn: aws.String(arn)}); err != nil {
			t.Errorf("deleting the OIDC provider: %v", err)
		}
	})
}

// probeWebIdentity asks the emulator to assume each IRSA role with tokens
// its trust must refuse (another ServiceAccount, another audience) and
// the one it must accept. An emulator that accepts a refused token does
// not evaluate web identity trust, and says nothing: the plan and the
// read-back are then the proof of the trust's shape.
func (r *rootRun) probeWebIdentity(t *testing.T) {
	t.Helper()
	k := r.env.Spec.EKS
	c := sts.NewFromConfig(userConfig(t, r.emu, r.acct.Admin, r.env.Spec.Region))
	for _, role := range r.env.Roles {
		if len(role.ServiceAccounts) == 0 {
			continue
		}
		sub := fmt.Sprintf("system:serviceaccount:%s:%s", k.Namespace, role.ServiceAccounts[0])
		assume := func(sub, aud string) error {
			_, err := c.AssumeRoleWithWebIdentity(context.Background(), &sts.AssumeRoleWithWebIdentityInput{
				RoleArn:          aws.String(role.ARN()),
				RoleSessionName:  aws.String("e2e"),
				WebIdentityToken: aws.String(unsignedToken(k.OIDCIssuerURL, sub, aud)),
			})
			return err
		}
		// The role's own ServiceAccount token must always work.
		if err := assume(sub, "sts.amazonaws.com"); err != nil {
			t.Errorf("%s: the emulator refuses the role's own ServiceAccount token: %v", role.Name, err)
		}
		wrongSub := assume(fmt.Sprintf("system:serviceaccount:%s:intruder", k.Namespace), "sts.amazonaws.com")
		wrongAud := assume(sub, "not-sts")
		if wrongSub == nil || wrongAud == nil {
			// moto 5 does not evaluate web identity trust: the refusals
			// are proven by plan, read-back and the evaluator (iameval's
			// trust tests), not here.
			t.Logf("%s: the emulator let a token of another ServiceAccount (accepted: %v) or audience (accepted: %v) assume %s: it does not evaluate web identity trust",
				r.scope, wrongSub == nil, wrongAud == nil, role.Name)
		}
	}
}

// unsignedToken is a JWT with the claims IRSA's trust reads; the emulator
// does not check signatures.
func unsignedToken(issuer, sub, aud string) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "RS256", "typ": "JWT"}) + "." +
		enc(map[string]any{"iss": issuer, "sub": sub, "aud": aud, "exp": 4102444800}) + ".c2lnbmF0dXJl"
}

// errorLine is Terraform's first "Error:" line of a failed command.
func errorLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, "Error:") {
			return strings.TrimSpace(line)
		}
	}
	return strings.TrimSpace(s)
}

// eksExpectedResources adds what an EKS root plans besides roles: a Pod
// Identity association per ServiceAccount.
func eksExpectedResources(env *generator.Environment, want map[string]expectation) {
	k := env.Spec.EKS
	if k == nil || k.Identity != schema.IdentityPodIdentity {
		return
	}
	for _, r := range env.Roles {
		for _, sa := range r.ServiceAccounts {
			want[fmt.Sprintf("aws_eks_pod_identity_association.this[%q]", sa)] = expectation{
				typ:   "aws_eks_pod_identity_association",
				attrs: map[string]interface{}{"cluster_name": k.ClusterName, "namespace": k.Namespace, "service_account": sa},
			}
		}
	}
}
