package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cardinalhq/lakerunner-iam/policy"
)

// Trust policies of EKS workloads: IRSA (a Federated OIDC provider,
// sts:AssumeRoleWithWebIdentity) and Pod Identity (pods.eks.amazonaws.com).

// oidcProviders are the statement's Federated principals that are IAM OIDC
// providers (IRSA), when it allows web identity.
func (s *stmtCtx) oidcProviders() []string {
	if !s.allows() || !s.allowsAction("sts:AssumeRoleWithWebIdentity") {
		return nil
	}
	var out []string
	for _, id := range s.principals("Federated") {
		if strings.Contains(id, ":oidc-provider/") {
			out = append(out, id)
		}
	}
	return out
}

// allowsAction reports whether the statement's actions match an action.
func (s *stmtCtx) allowsAction(action string) bool {
	return slices.ContainsFunc(s.st.Actions, func(a string) bool { return policy.MatchAction(a, action) })
}

// issuerKeys are the statement's condition keys of an OIDC claim
// ("<issuer>:sub"), with their conditions.
func (s *stmtCtx) issuerConditions(claim string) []policy.Condition {
	var out []policy.Condition
	for _, c := range s.st.Conditions {
		if strings.HasSuffix(strings.ToLower(c.Variable), ":"+claim) && strings.Contains(c.Variable, "/") {
			out = append(out, c)
		}
	}
	return out
}

// eksHint says where an EKS trust is decided: the eks block for the
// generated trust of a workload role, else the template's statement.
func (s *stmtCtx) eksHint(generated, custom string) string {
	if s.tmpl == nil && s.spec == nil && s.role.Template.Workload {
		return generated
	}
	return custom
}

// LR016: IRSA without an audience condition.
func checkIRSAAudience(s *stmtCtx) {
	providers := s.oidcProviders()
	if len(providers) == 0 || len(s.issuerConditions("aud")) > 0 {
		return
	}
	msg := fmt.Sprintf("Web identity tokens of %s can assume the role whatever their audience (no <issuer>:aud condition): a token the cluster issued for another service is enough.", english(providers))
	hint := s.eksHint("The generated IRSA trust always requires aud = sts.amazonaws.com; check the module's oidc_audiences.",
		fmt.Sprintf("Add to the trust statement of role %q a condition block with test = \"StringEquals\", variable = \"<issuer>:aud\" (the provider's issuer without https://) and values = [\"sts.amazonaws.com\"].", s.role.Kind()))
	s.add(ruleIRSAAudience, ruleIRSAAudience.Severity, fieldPrincipals, msg, hint+" "+s.accept(ruleIRSAAudience.Code, s.st.Sid))
}

// LR017: IRSA for any ServiceAccount, or for ServiceAccount patterns.
func checkIRSASubject(s *stmtCtx) {
	providers := s.oidcProviders()
	if len(providers) == 0 {
		return
	}
	subs := s.issuerConditions("sub")
	var wild []string
	for _, c := range subs {
		for _, v := range c.Values {
			if strings.ContainsAny(v, "*?") && strings.Contains(strings.ToLower(c.Test), "like") {
				wild = append(wild, v)
			}
		}
	}
	sev := ruleIRSASubject.Severity
	var msg string
	switch {
	case len(subs) == 0:
		sev = Error
		msg = fmt.Sprintf("Every ServiceAccount of every namespace of the cluster behind %s can assume the role: the trust has no <issuer>:sub condition.", english(providers))
	case len(wild) > 0:
		msg = fmt.Sprintf("ServiceAccounts matching %s can assume the role: anyone who can create a ServiceAccount of a matching name gets its permissions.", english(wild))
	default:
		return
	}
	hint := fmt.Sprintf("Name the exact ServiceAccounts (StringEquals on <issuer>:sub with system:serviceaccount:<namespace>:<name>) in the trust of role %q.", s.role.Kind())
	if s.eksHint("generated", "") != "" {
		hint = fmt.Sprintf("Remove the patterns from wildcard_service_accounts in the eks block of environment %q, and name each ServiceAccount in service_account or service_accounts.", s.env.Name)
		if k := s.env.EKS; k != nil {
			s.addAt(ruleIRSASubject, sev, k.Pos().Attr("wildcard_service_accounts"), msg, hint+" "+s.accept(ruleIRSASubject.Code, s.st.Sid))
			return
		}
	}
	s.add(ruleIRSASubject, sev, fieldPrincipals, msg, hint+" "+s.accept(ruleIRSASubject.Code, s.st.Sid))
}

// podIdentityService is the principal of EKS Pod Identity.
const podIdentityService = "pods.eks.amazonaws.com"

// LR018: Pod Identity without sts:TagSession.
func checkPodIdentityTagSession(s *stmtCtx) {
	if !s.allows() || !slices.Contains(s.principals("Service"), podIdentityService) || s.allowsAction("sts:TagSession") {
		return
	}
	msg := "EKS Pod Identity assumes the role with session tags (cluster, namespace, ServiceAccount, pod), and the trust does not allow sts:TagSession: pods get no credentials."
	hint := fmt.Sprintf("Allow \"sts:TagSession\" next to \"sts:AssumeRole\" in the pods.eks.amazonaws.com statement of role %q, or make the template a workload role (workload = true), whose Pod Identity trust has both.", s.role.Kind())
	s.add(rulePodIdentityTagSession, rulePodIdentityTagSession.Severity, fieldActions, msg, hint+" "+s.accept(rulePodIdentityTagSession.Code, s.st.Sid))
}
