package generator

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/internal/hclfmt"
	"github.com/cardinalhq/lakerunner-iam/policy"
	"github.com/cardinalhq/lakerunner-iam/schema"
	"github.com/cardinalhq/lakerunner-iam/templates"
)

// TrustShape is who assumes a module's role: the template's own trust
// (ECS tasks for a workload role, or what the template names), or the
// EKS identity of a workload role on EKS. A template has one module per
// shape that an environment uses.
type TrustShape string

const (
	TrustTemplate    TrustShape = ""
	TrustIRSA        TrustShape = schema.IdentityIRSA
	TrustPodIdentity TrustShape = schema.IdentityPodIdentity
)

// IAM's names for the EKS trust shapes.
const (
	assumeRoleWithWebIdentity = "sts:AssumeRoleWithWebIdentity"
	tagSession                = "sts:TagSession"
	podsService               = "pods.eks.amazonaws.com"
	stsAudience               = "sts.amazonaws.com"
)

// trustShape is the shape of a workload role's trust in an environment.
func trustShape(env *schema.Environment) TrustShape {
	if env.Platform != schema.PlatformEKS {
		return TrustTemplate
	}
	return TrustShape(env.EKS.Identity)
}

// OIDCProviderARN is the ARN of the IAM OIDC provider of an IRSA
// environment's cluster, "" otherwise.
func OIDCProviderARN(env *schema.Environment) string {
	k := env.EKS
	if k == nil || k.Identity != schema.IdentityIRSA {
		return ""
	}
	return fmt.Sprintf("arn:%s:iam::%s:oidc-provider/%s", env.Partition, k.OIDCProviderAccountID, k.OIDCIssuer())
}

// ClusterARN is the ARN of an EKS environment's cluster, "" otherwise.
func ClusterARN(env *schema.Environment) string {
	if env.EKS == nil {
		return ""
	}
	return fmt.Sprintf("arn:%s:eks:%s:%s:cluster/%s", env.Partition, env.Region, env.AccountID, env.EKS.ClusterName)
}

// OIDCSubjects are the exact IRSA subjects of the role's ServiceAccounts.
func (r *Role) OIDCSubjects() []string {
	var out []string
	for _, sa := range r.ServiceAccounts {
		out = append(out, fmt.Sprintf("system:serviceaccount:%s:%s", r.Env.EKS.Namespace, sa))
	}
	return out
}

// OIDCWildcardSubjects are the spec's ServiceAccount patterns as IRSA
// subjects (StringLike).
func (r *Role) OIDCWildcardSubjects() []string {
	if r.Env.EKS == nil || r.Shape() != TrustIRSA {
		return nil
	}
	var out []string
	for _, p := range r.Env.EKS.WildcardServiceAccounts {
		out = append(out, fmt.Sprintf("system:serviceaccount:%s:%s", r.Env.EKS.Namespace, p))
	}
	return out
}

// Shape is who assumes the role.
func (r *Role) Shape() TrustShape { return r.Module.Trust }

// eksTrust is a workload role's trust on EKS, as the module computes it:
// IRSA web identity for the role's ServiceAccounts, or Pod Identity on
// behalf of the cluster, then the spec's trusted principals.
func eksTrust(r *Role, shape TrustShape) (policy.Document, []Origin) {
	var doc policy.Document
	env := r.Env
	switch shape {
	case TrustIRSA:
		issuer := env.EKS.OIDCIssuer()
		for _, sub := range []struct {
			test string
			subs []string
		}{{"StringEquals", r.OIDCSubjects()}, {"StringLike", r.OIDCWildcardSubjects()}} {
			if len(sub.subs) == 0 {
				continue
			}
			doc.Statements = append(doc.Statements, policy.Statement{
				Effect:     "Allow",
				Actions:    []string{assumeRoleWithWebIdentity},
				Principals: []policy.Principal{{Type: "Federated", Identifiers: []string{OIDCProviderARN(env)}}},
				Conditions: []policy.Condition{
					{Test: sub.test, Variable: issuer + ":sub", Values: sub.subs},
					{Test: "StringEquals", Variable: issuer + ":aud", Values: []string{stsAudience}},
				},
			})
		}
	case TrustPodIdentity:
		doc.Statements = append(doc.Statements, policy.Statement{
			Effect:     "Allow",
			Actions:    []string{"sts:AssumeRole", tagSession},
			Principals: []policy.Principal{{Type: "Service", Identifiers: []string{podsService}}},
			Conditions: []policy.Condition{
				{Test: "StringEquals", Variable: "aws:SourceAccount", Values: []string{env.AccountID}},
				{Test: "ArnEquals", Variable: "aws:SourceArn", Values: []string{ClusterARN(env)}},
			},
		})
	}
	origins := make([]Origin, len(doc.Statements))
	if len(r.TrustedPrincipals) > 0 {
		doc.Statements = append(doc.Statements, r.trustedPrincipalsStatement())
		origins = append(origins, Origin{TrustedPrincipals: true})
	}
	return doc, origins
}

// writeEKSTrust writes the EKS trust of a workload module into its
// assume_role policy document; the values come from the module's
// variables (Interface: oidc_*, cluster_arn).
func writeEKSTrust(trust *hclfmt.Body, shape TrustShape) {
	switch shape {
	case TrustIRSA:
		for _, sub := range []struct{ test, values, any string }{
			{"StringEquals", "var.oidc_subjects", "length(var.oidc_subjects) > 0"},
			{"StringLike", "var.oidc_wildcard_subjects", "length(var.oidc_wildcard_subjects) > 0"},
		} {
			trust.Block("dynamic", "statement")
			trust.Attr("for_each", onlyIf(expr(sub.any)))
			trust.Block("content")
			trust.Attr("effect", hclfmt.Value(cty.StringVal("Allow")))
			trust.Attr("actions", hclfmt.Value(cty.ListVal([]cty.Value{cty.StringVal(assumeRoleWithWebIdentity)})))
			trust.Block("principals")
			trust.Attr("type", hclfmt.Value(cty.StringVal("Federated")))
			trust.Attr("identifiers", expr("[var.oidc_provider_arn]"))
			trust.End()
			for _, c := range []struct{ test, key, values string }{
				{sub.test, "sub", sub.values},
				{"StringEquals", "aud", "var.oidc_audiences"},
			} {
				trust.Block("condition")
				trust.Attr("test", hclfmt.Value(cty.StringVal(c.test)))
				trust.Attr("variable", quotedTemplate(expr("var.oidc_issuer"), ":"+c.key))
				trust.Attr("values", expr(c.values))
				trust.End()
			}
			trust.End() // content
			trust.End() // dynamic
		}
	case TrustPodIdentity:
		trust.Block("statement")
		trust.Attr("effect", hclfmt.Value(cty.StringVal("Allow")))
		trust.Attr("actions", hclfmt.Value(cty.ListVal([]cty.Value{cty.StringVal("sts:AssumeRole"), cty.StringVal(tagSession)})))
		trust.Block("principals")
		trust.Attr("type", hclfmt.Value(cty.StringVal("Service")))
		trust.Attr("identifiers", hclfmt.Value(cty.ListVal([]cty.Value{cty.StringVal(podsService)})))
		trust.End()
		for _, c := range []struct{ test, variable, values string }{
			{"StringEquals", "aws:SourceAccount", "[var.account_id]"},
			{"ArnEquals", "aws:SourceArn", "[var.cluster_arn]"},
		} {
			trust.Block("condition")
			trust.Attr("test", hclfmt.Value(cty.StringVal(c.test)))
			trust.Attr("variable", hclfmt.Value(cty.StringVal(c.variable)))
			trust.Attr("values", expr(c.values))
			trust.End()
		}
		trust.End()
	}
	// The trust has conditions: extra principals get a statement of their
	// own.
	writeTrustedPrincipals(trust, expr("length(var.trusted_principal_arns) > 0 ? [1] : []"))
}

// onPlatform reports whether an environment's platform can run the role:
// EKS has no ECS execution role, and no role only ECS tasks assume.
func onPlatform(env *schema.Environment, tmpl *templates.Role) bool {
	return env.Platform != schema.PlatformEKS || !(tmpl.ECSOnly() || tmpl.ExecutionRole)
}

func ecsOnlyHint(tmpl *templates.Role) string {
	if tmpl.ExecutionRole {
		return "It is the ECS execution role, and EKS has none: the kubelet pulls images and Kubernetes injects secrets. Remove the role block."
	}
	return fmt.Sprintf("Only ECS tasks assume it (its template trusts %s), and the environment runs on EKS. Remove the role block, or make the template a workload role (workload = true instead of its trust block).", templates.ECSTasksService)
}

// serviceAccounts are the ServiceAccounts whose pods assume a workload
// role on EKS: the chart's single one in the shared layout, else the
// spec's for the kind, by default "<name_prefix>-<kind>".
func serviceAccounts(env *schema.Environment, tmpl *templates.Role) []string {
	k := env.EKS
	if k == nil || !tmpl.Workload {
		return nil
	}
	if k.RoleLayout == schema.LayoutShared {
		return []string{k.ServiceAccount}
	}
	if sa, ok := k.ServiceAccounts[tmpl.Kind]; ok {
		return []string{sa}
	}
	return []string{env.NamePrefix + "-" + tmpl.Kind}
}

// checkEKS finds what only the catalog can tell about an EKS environment's
// ServiceAccounts: service_accounts names a kind that is no workload role
// of the environment, or a default ServiceAccount name ("<name_prefix>-
// <kind>") is no Kubernetes name.
func checkEKS(e *Environment) hcl.Diagnostics {
	k := e.Spec.EKS
	if k == nil {
		return nil
	}
	var diags hcl.Diagnostics
	var kinds []string
	for _, r := range e.Roles {
		if r.Template.Workload {
			kinds = append(kinds, r.Kind())
		}
	}
	for _, kind := range slices.Sorted(maps.Keys(k.ServiceAccounts)) {
		if !slices.Contains(kinds, kind) {
			diags = append(diags, errorAt(k.Pos().Attr("service_accounts"), "ServiceAccount for no workload role",
				fmt.Sprintf("service_accounts names %q, which is not a workload role of environment %q; its workload roles are %s.", kind, e.Spec.Name, strings.Join(kinds, ", "))))
		}
	}
	for _, r := range e.Roles {
		for _, sa := range r.ServiceAccounts {
			if len(sa) > 253 || !dns1123SubdomainRe.MatchString(sa) {
				diags = append(diags, errorAt(e.Spec.Pos().Attr("name_prefix"), "ServiceAccount name unusable in Kubernetes",
					fmt.Sprintf("Role %q gets ServiceAccount %q, which is not a Kubernetes name. Name it in the eks block's service_accounts, or use a lower-case name_prefix.", r.Kind(), sa)))
			}
		}
	}
	return diags
}
