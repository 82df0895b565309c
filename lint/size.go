package lint

import (
	"fmt"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
)

// LR014: policies near their size quota.
func checkSize(c *roleCtx) {
	r := c.role
	add := func(p Policy, name string, size, limit int, hint string) {
		if size*10 < limit*9 {
			return
		}
		f := Finding{
			Code: ruleSize.Code, Rule: ruleSize.Name, Severity: ruleSize.Severity,
			Environment: c.env.Name, RoleKind: r.Kind(), RoleName: r.Name,
			Policy: p, Index: -1,
			Message: fmt.Sprintf("%s has %d characters without white space, %d%% of IAM's quota of %d; a few more statements or principals and IAM refuses it.",
				name, size, size*100/limit, limit),
			Hint:  hint + " " + c.accept(ruleSize.Code, ""),
			Range: c.roleRange(),
		}
		if p == PolicyPermissions {
			f.PolicyName = r.PolicyName
		} else if r.Override != nil && len(r.TrustedPrincipals) > 0 {
			f.Range = r.Override.Pos().Attr("trusted_principal_arns")
		}
		c.findings = append(c.findings, f)
	}
	if r.Permissions != nil {
		hint := fmt.Sprintf("Move statements of role %q into customer managed policies (managed_policy_arns; up to 6,144 characters each), or replace long lists of ARNs with patterns.", r.Kind())
		if r.Merged != nil { // the shared EKS role unites every workload role's statements
			hint = fmt.Sprintf("The role unites the statements of %d workload roles: set role_layout = \"per-role\" in the eks block of environment %q, a ServiceAccount and a role per role kind, each with its own quota.", len(r.Merged), c.env.Name)
		}
		add(PolicyPermissions, fmt.Sprintf("Inline policy %q", r.PolicyName), r.Permissions.Size(), iamlimits.InlinePoliciesMax, hint)
	}
	add(PolicyTrust, "The trust policy", r.Trust.Size(), iamlimits.TrustPolicyMax,
		fmt.Sprintf("Trust fewer principals in role %q (e.g. one role per account rather than many), or raise the account's trust policy quota (up to 4,096) with Service Quotas.", r.Kind()))
}
