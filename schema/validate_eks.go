package schema

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
)

// Platforms, identities and role layouts of an environment.
const (
	PlatformECS = "ecs"
	PlatformEKS = "eks"

	IdentityIRSA        = "irsa"
	IdentityPodIdentity = "pod-identity"

	LayoutShared  = "shared"
	LayoutPerRole = "per-role"

	// DefaultEKSNamespace and DefaultServiceAccount are the Lakerunner
	// Helm chart's: its pods run in one namespace under one ServiceAccount.
	DefaultEKSNamespace   = "lakerunner"
	DefaultServiceAccount = "lakerunner"
)

// EKS says how the pods of an EKS environment get AWS credentials: which
// cluster, IRSA or Pod Identity, and which ServiceAccounts map to which
// roles.
type EKS struct {
	ClusterName string `hcl:"cluster_name"`
	Identity    string `hcl:"identity"`
	// OIDCIssuerURL is the cluster's OIDC issuer (IRSA only), e.g.
	// https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE.
	OIDCIssuerURL string `hcl:"oidc_issuer_url,optional"`
	// OIDCProviderAccountID is the account of the IAM OIDC provider when it
	// is not the environment's (IRSA only).
	OIDCProviderAccountID string `hcl:"oidc_provider_account_id,optional"`
	Namespace             string `hcl:"namespace,optional"`
	RoleLayout            string `hcl:"role_layout,optional"`
	// ServiceAccount is the shared layout's ServiceAccount (the chart's).
	ServiceAccount string `hcl:"service_account,optional"`
	// ServiceAccounts names the per-role layout's ServiceAccount of a role
	// kind; a kind not listed gets "<name_prefix>-<kind>".
	ServiceAccounts map[string]string `hcl:"service_accounts,optional"`
	// WildcardServiceAccounts are ServiceAccount name patterns ("*", "?")
	// that may also assume the workload roles (IRSA only, StringLike).
	WildcardServiceAccounts []string `hcl:"wildcard_service_accounts,optional"`

	Body     hcl.Body  `hcl:",body"`
	DefRange hcl.Range `hcl:",def_range"`
}

// OIDCIssuer is the issuer URL without its scheme, as IAM names the
// provider and its condition keys.
func (k *EKS) OIDCIssuer() string { return strings.TrimPrefix(k.OIDCIssuerURL, "https://") }

func applyEKSDefaults(env *Environment) {
	k := env.EKS
	if k == nil {
		return
	}
	if k.Namespace == "" {
		k.Namespace = DefaultEKSNamespace
	}
	if k.RoleLayout == "" {
		k.RoleLayout = LayoutShared
	}
	if k.ServiceAccount == "" {
		k.ServiceAccount = DefaultServiceAccount
	}
	if k.OIDCProviderAccountID == "" {
		k.OIDCProviderAccountID = env.AccountID
	}
}

var (
	// eksClusterNameRe is EKS's rule for cluster names.
	eksClusterNameRe = mustBounded(`^[0-9A-Za-z][A-Za-z0-9\-_]*$`, 100)
	// oidcIssuerRe: an https URL with a host and an optional path, no query.
	oidcIssuerRe = regexp.MustCompile(`^https://[a-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~%-]+)*$`)
	// serviceAccountRe is Kubernetes' DNS-1123 subdomain rule.
	serviceAccountRe = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	// serviceAccountPatternRe: the same characters with IAM's wildcards.
	serviceAccountPatternRe = mustBounded(`^[-a-z0-9.*?]+$`, 253)
)

// validatePlatform checks platform and the eks block against each other
// and against the ECS-only settings.
func validatePlatform(env *Environment) hcl.Diagnostics {
	var diags hcl.Diagnostics
	pos := env.Pos()
	switch env.Platform {
	case PlatformECS:
		if env.EKS != nil {
			diags = append(diags, errorAt(env.EKS.DefRange, "EKS block on ECS",
				`The eks block configures an EKS environment. Set platform = "eks", or remove the block.`))
		}
		return diags
	case PlatformEKS:
	default:
		return hcl.Diagnostics{errorAt(pos.Attr("platform"), "Invalid platform",
			fmt.Sprintf("%s is not a platform: use \"ecs\" (ECS tasks, the default) or \"eks\" (pods on EKS, with an eks block).", Quote(env.Platform)))}
	}
	if env.EKS == nil {
		return hcl.Diagnostics{errorAt(pos.Attr("platform"), "Missing eks block",
			`An EKS environment needs an eks block with cluster_name and identity ("irsa" with oidc_issuer_url, or "pod-identity").`)}
	}
	if pos.Has("compute") {
		diags = append(diags, errorAt(pos.Attr("compute"), "compute on EKS",
			"compute chooses the ECS launch type (and the ECS instance role); EKS has neither. Remove it."))
	}
	if env.KECS != nil {
		diags = append(diags, errorAt(env.KECS.DefRange, "KECS block on EKS",
			"KECS emulates ECS; an EKS environment cannot use it. Remove the kecs block, or use platform = \"ecs\"."))
	}
	for _, s := range env.Services {
		if s.ExecutionRole != "" {
			diags = append(diags, errorAt(s.Pos().Attr("execution_role"), "Execution role on EKS",
				fmt.Sprintf("Service %q sets execution_role, but EKS has no ECS execution role: the kubelet pulls images and Kubernetes injects secrets. Remove it.", s.Name)))
		}
	}
	return append(diags, validateEKS(env, env.EKS)...)
}

func validateEKS(env *Environment, k *EKS) hcl.Diagnostics {
	var diags hcl.Diagnostics
	pos := k.Pos()
	bad := func(attr, summary, detail string) {
		diags = append(diags, errorAt(pos.Attr(attr), summary, detail))
	}
	if !eksClusterNameRe.MatchString(k.ClusterName) {
		bad("cluster_name", "Invalid EKS cluster name",
			fmt.Sprintf("%s is not an EKS cluster name: 1 to 100 letters, digits, '-' and '_', starting with a letter or digit.", Quote(k.ClusterName)))
	}
	switch k.Identity {
	case IdentityIRSA:
		if !oidcIssuerRe.MatchString(k.OIDCIssuerURL) {
			bad("oidc_issuer_url", "Invalid OIDC issuer URL",
				fmt.Sprintf("%s is not the cluster's OIDC issuer: IRSA needs oidc_issuer_url, an https URL such as \"https://oidc.eks.%s.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\" (aws eks describe-cluster --query cluster.identity.oidc.issuer).", Quote(k.OIDCIssuerURL), env.Region))
		}
		if !iamlimits.AccountIDRe.MatchString(k.OIDCProviderAccountID) {
			bad("oidc_provider_account_id", "Invalid AWS account ID",
				fmt.Sprintf("%s is not an AWS account ID: the OIDC provider's account is 12 digits, written as a string.", Quote(k.OIDCProviderAccountID)))
		}
	case IdentityPodIdentity:
		for _, attr := range []string{"oidc_issuer_url", "oidc_provider_account_id", "wildcard_service_accounts"} {
			if pos.Has(attr) {
				bad(attr, "IRSA setting with Pod Identity",
					fmt.Sprintf("%s is for identity = \"irsa\"; Pod Identity trusts pods.eks.amazonaws.com on behalf of the cluster. Remove it.", attr))
			}
		}
	default:
		bad("identity", "Invalid EKS identity",
			fmt.Sprintf("%s is not an EKS identity: use \"irsa\" (IAM roles for service accounts, with oidc_issuer_url) or \"pod-identity\" (EKS Pod Identity associations).", Quote(k.Identity)))
	}
	if !dnsLabelRe.MatchString(k.Namespace) {
		bad("namespace", "Invalid Kubernetes namespace",
			fmt.Sprintf("%s is not a Kubernetes namespace name: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit.", Quote(k.Namespace)))
	}
	switch k.RoleLayout {
	case LayoutShared:
		if pos.Has("service_accounts") {
			bad("service_accounts", "service_accounts with the shared layout",
				"The shared layout has one ServiceAccount, service_account. service_accounts names one per role kind: set role_layout = \"per-role\", or remove it.")
		}
	case LayoutPerRole:
		if pos.Has("service_account") {
			bad("service_account", "service_account with the per-role layout",
				"The per-role layout has a ServiceAccount per role kind: name them with service_accounts = { \"<kind>\" = \"<name>\" }, or use role_layout = \"shared\".")
		}
	default:
		bad("role_layout", "Invalid role layout",
			fmt.Sprintf("%s is not a role layout: use \"shared\" (one ServiceAccount and one role with every service's permissions, as the Lakerunner Helm chart deploys) or \"per-role\" (a ServiceAccount and a role per role kind).", Quote(k.RoleLayout)))
	}
	names := []string{k.ServiceAccount}
	if k.RoleLayout == LayoutPerRole {
		names = slices.Collect(maps.Values(k.ServiceAccounts))
		slices.Sort(names)
	}
	attr := "service_account"
	if k.RoleLayout == LayoutPerRole {
		attr = "service_accounts"
	}
	for i, sa := range names {
		if len(sa) > 253 || !serviceAccountRe.MatchString(sa) {
			bad(attr, "Invalid ServiceAccount name",
				fmt.Sprintf("%s is not a Kubernetes ServiceAccount name: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit.", Quote(sa)))
		} else if i > 0 && names[i-1] == sa {
			bad(attr, "Duplicate ServiceAccount",
				fmt.Sprintf("ServiceAccount %q is named for two role kinds; each role kind needs its own ServiceAccount in the per-role layout.", sa))
		}
	}
	for _, p := range k.WildcardServiceAccounts {
		switch {
		case !serviceAccountPatternRe.MatchString(p):
			bad("wildcard_service_accounts", "Invalid ServiceAccount pattern",
				fmt.Sprintf("%s is not a ServiceAccount name pattern: lower-case letters, digits, '-', '.' and the wildcards '*' and '?'.", Quote(p)))
		case strings.Trim(p, "*?") == "":
			bad("wildcard_service_accounts", "ServiceAccount pattern matches everything",
				fmt.Sprintf("%s matches every ServiceAccount of namespace %q, so any pod there could assume the Lakerunner roles. Name a prefix, e.g. \"lakerunner-*\".", Quote(p), k.Namespace))
		}
	}
	return diags
}
