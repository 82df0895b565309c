package lint

// Rule is one check. Codes are stable: specs accept findings by code, and
// CI systems track SARIF results by it. Never renumber; retire a code
// rather than reuse it.
type Rule struct {
	Code     string
	Name     string
	Severity Severity // the default; a rule may lower it for one case (LR010)
	// Summary is one line: what the rule catches.
	Summary string
	// Mirrors names the equivalent checks of other tools (REFERENCE.md §4).
	Mirrors string
}

// Rules is the rule table, in code order.
//
//	Code   Name                               Severity  Catches                                                      Mirrors
//	LR001  allow-all-actions                  error     Allow with Action "*"                                        checkov CKV_AWS_49 (CKV_AWS_1/62 with "*" resource); trivy AVD-AWS-0057
//	LR002  service-wide-action                warning   Allow with a whole service ("s3:*")                          trivy AVD-AWS-0057 (no-policy-wildcards)
//	LR003  resource-star                      warning   "*" resource for actions that support resource scoping,      checkov CKV_AWS_356; parliament RESOURCE_STAR
//	                                                    with no condition narrowing them
//	LR004  account-wide-resource              warning   ARN whose resource part is only a wildcard                   trivy AVD-AWS-0057; the guide's "Avoid Wildcards"
//	                                                    ("arn:aws:logs:REGION:ACCOUNT:*", "arn:aws:s3:::*")
//	LR005  passrole-any-role                  error     iam:PassRole on "*", every role, or with NotResource         Access Analyzer PASS_ROLE_WITH_STAR_IN_RESOURCE / PASS_ROLE_WITH_NOT_RESOURCE; parliament PRIVILEGE_ESCALATION; checkov CKV_AWS_286
//	LR006  passrole-without-passed-to-service warning   iam:PassRole without an iam:PassedToService condition        Access Analyzer PASS_ROLE_WITH_STAR_IN_RESOURCE (its recommended fix)
//	LR007  trust-any-principal                error     trust policy principal "*"                                   checkov CKV_AWS_60
//	LR008  trust-wildcard-principal           error     wildcard inside a principal (IAM rejects it)                 Access Analyzer ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL
//	LR009  trust-account-without-external-id  warning   account or :root principal without an sts:ExternalId         checkov CKV_AWS_61
//	LR010  trust-service-without-source       warning   service principal without aws:SourceAccount/aws:SourceArn    prowler iam_role_cross_service_confused_deputy_prevention
//	                                          (info for lambda.amazonaws.com; ec2.amazonaws.com exempt)
//	LR011  unknown-action                     error     action (or pattern) that is no IAM action of a service       parliament UNKNOWN_ACTION; Access Analyzer INVALID_ACTION
//	                                                    lint/actions covers
//	LR012  allow-with-not-element             warning   Allow with NotAction or NotResource                          IAM User Guide (NotAction, NotResource); Access Analyzer PASS_ROLE_WITH_NOT_RESOURCE
//	LR013  action-wildcard                    info      partial action wildcard ("kafka-cluster:*Topic")             trivy AVD-AWS-0057
//	LR014  policy-near-size-limit             warning   inline policy >= 90% of 10,240 or trust policy >= 90% of     IAM quotas (REFERENCE.md §3)
//	                                                    2,048 characters
//	LR015  stale-accept                       warning   accept block that matches no finding                         (lakerunner-iam's own)
//	LR016  irsa-without-audience              warning   IRSA trust without an <issuer>:aud condition                 AWS EKS IRSA guide (aud = sts.amazonaws.com)
//	LR017  irsa-wildcard-subject              warning   IRSA trust for ServiceAccount patterns (StringLike sub);     AWS EKS best practices (scope the IAM role trust policy)
//	                                          (error without any <issuer>:sub condition)
//	LR018  pod-identity-without-tag-session   error     pods.eks.amazonaws.com trust without sts:TagSession          AWS EKS Pod Identity guide
var Rules = []*Rule{
	ruleAllowAll,
	ruleServiceWide,
	ruleResourceStar,
	ruleAccountWide,
	rulePassRoleAny,
	rulePassRoleService,
	ruleTrustAny,
	ruleTrustWildcard,
	ruleTrustExternalID,
	ruleTrustSource,
	ruleUnknownAction,
	ruleNotElement,
	ruleActionWildcard,
	ruleSize,
	ruleStaleAccept,
	ruleIRSAAudience,
	ruleIRSASubject,
	rulePodIdentityTagSession,
}

var (
	ruleAllowAll = &Rule{
		Code: "LR001", Name: "allow-all-actions", Severity: Error,
		Summary: `An Allow statement grants every action of every service (Action "*").`,
		Mirrors: "checkov CKV_AWS_49 (CKV_AWS_1, CKV_AWS_62 with a \"*\" resource); trivy AVD-AWS-0057",
	}
	ruleServiceWide = &Rule{
		Code: "LR002", Name: "service-wide-action", Severity: Warning,
		Summary: `An Allow statement grants every action of a service ("s3:*").`,
		Mirrors: "trivy AVD-AWS-0057 (no-policy-wildcards)",
	}
	ruleResourceStar = &Rule{
		Code: "LR003", Name: "resource-star", Severity: Warning,
		Summary: `An Allow statement grants actions that support resource-level permissions on "*", and no condition narrows them.`,
		Mirrors: "checkov CKV_AWS_356; parliament RESOURCE_STAR",
	}
	ruleAccountWide = &Rule{
		Code: "LR004", Name: "account-wide-resource", Severity: Warning,
		Summary: `An Allow statement names a resource ARN whose resource part is only a wildcard: every resource of the service (or type) in the account.`,
		Mirrors: "trivy AVD-AWS-0057; the console guide's best practice \"Avoid Wildcards\"",
	}
	rulePassRoleAny = &Rule{
		Code: "LR005", Name: "passrole-any-role", Severity: Error,
		Summary: `iam:PassRole is allowed on "*", on every role of the account, or with NotResource: the role can hand any role to a service it controls (privilege escalation).`,
		Mirrors: "Access Analyzer PASS_ROLE_WITH_STAR_IN_RESOURCE, PASS_ROLE_WITH_NOT_RESOURCE; parliament PRIVILEGE_ESCALATION; checkov CKV_AWS_286",
	}
	rulePassRoleService = &Rule{
		Code: "LR006", Name: "passrole-without-passed-to-service", Severity: Warning,
		Summary: `iam:PassRole is allowed without an iam:PassedToService condition: the roles can be passed to any service.`,
		Mirrors: "Access Analyzer PASS_ROLE_WITH_STAR_IN_RESOURCE (the fix it recommends)",
	}
	ruleTrustAny = &Rule{
		Code: "LR007", Name: "trust-any-principal", Severity: Error,
		Summary: `A trust policy lets any principal ("*") assume the role.`,
		Mirrors: "checkov CKV_AWS_60",
	}
	ruleTrustWildcard = &Rule{
		Code: "LR008", Name: "trust-wildcard-principal", Severity: Error,
		Summary: `A trust policy principal contains a wildcard, which IAM rejects (e.g. "role/lakerunner-*").`,
		Mirrors: "Access Analyzer ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
	}
	ruleTrustExternalID = &Rule{
		Code: "LR009", Name: "trust-account-without-external-id", Severity: Warning,
		Summary: `A trust policy trusts a whole account (its :root or bare account ID) without an sts:ExternalId condition.`,
		Mirrors: "checkov CKV_AWS_61",
	}
	ruleTrustSource = &Rule{
		Code: "LR010", Name: "trust-service-without-source", Severity: Warning,
		Summary: `A trust policy trusts an AWS service without aws:SourceAccount or aws:SourceArn (cross-service confused deputy); info only for lambda.amazonaws.com, not applied to ec2.amazonaws.com.`,
		Mirrors: "prowler iam_role_cross_service_confused_deputy_prevention",
	}
	ruleUnknownAction = &Rule{
		Code: "LR011", Name: "unknown-action", Severity: Error,
		Summary: `An action, or an action pattern, matches no IAM action of a service the action list covers; IAM ignores it silently.`,
		Mirrors: "parliament UNKNOWN_ACTION; Access Analyzer INVALID_ACTION",
	}
	ruleNotElement = &Rule{
		Code: "LR012", Name: "allow-with-not-element", Severity: Warning,
		Summary: `An Allow statement uses NotAction or NotResource: it grants everything except what it lists.`,
		Mirrors: "IAM User Guide (NotAction, NotResource cautions); Access Analyzer PASS_ROLE_WITH_NOT_RESOURCE",
	}
	ruleActionWildcard = &Rule{
		Code: "LR013", Name: "action-wildcard", Severity: Info,
		Summary: `An Allow statement uses a partial action wildcard ("kafka-cluster:*Topic"): it grants every matching action, including ones AWS adds later.`,
		Mirrors: "trivy AVD-AWS-0057",
	}
	ruleSize = &Rule{
		Code: "LR014", Name: "policy-near-size-limit", Severity: Warning,
		Summary: `The inline policy reaches 90% of IAM's 10,240-character quota, or the trust policy 90% of 2,048.`,
		Mirrors: "IAM quotas (REFERENCE.md §3)",
	}
	ruleIRSAAudience = &Rule{
		Code: "LR016", Name: "irsa-without-audience", Severity: Warning,
		Summary: `An IRSA trust (Federated OIDC provider, sts:AssumeRoleWithWebIdentity) has no <issuer>:aud condition.`,
		Mirrors: "AWS EKS user guide, IAM roles for service accounts (aud = sts.amazonaws.com)",
	}
	ruleIRSASubject = &Rule{
		Code: "LR017", Name: "irsa-wildcard-subject", Severity: Warning,
		Summary: `An IRSA trust lets ServiceAccounts matching a pattern assume the role (StringLike on <issuer>:sub); an error when no sub condition restricts it at all.`,
		Mirrors: "AWS EKS best practices guide (scope the IAM role trust policy for IRSA to the service account name)",
	}
	rulePodIdentityTagSession = &Rule{
		Code: "LR018", Name: "pod-identity-without-tag-session", Severity: Error,
		Summary: `A trust of pods.eks.amazonaws.com (EKS Pod Identity) does not allow sts:TagSession, which Pod Identity needs.`,
		Mirrors: "AWS EKS user guide, EKS Pod Identity role trust",
	}
	ruleStaleAccept = &Rule{
		Code: "LR015", Name: "stale-accept", Severity: Warning,
		Summary: `An accept block in the spec matches no finding: the finding was fixed, or the accept has a typo.`,
		Mirrors: "lakerunner-iam's own",
	}
)

// RuleByCode returns the rule with a code, or nil.
func RuleByCode(code string) *Rule {
	for _, r := range Rules {
		if r.Code == code {
			return r
		}
	}
	return nil
}
