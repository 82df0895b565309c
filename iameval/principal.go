package iameval

import (
	"regexp"
	"strings"

	"github.com/cardinalhq/lakerunner-iam/policy"
)

// Principal is who makes a trust request.
type Principal struct {
	// Type is "AWS" (an account, a role, a user, a role session),
	// "Service" (an AWS service such as ecs-tasks.amazonaws.com) or
	// "Federated" (an OIDC or SAML provider's ARN).
	Type string
	// ID is the account ID, the ARN, the service's name or the
	// provider's ARN.
	ID string
}

var accountRe = regexp.MustCompile(`^\d{12}$`)

// Account is the account an AWS principal belongs to; "" when it is not
// one.
func (p Principal) Account() string {
	if p.Type != "AWS" {
		return ""
	}
	if accountRe.MatchString(p.ID) {
		return p.ID
	}
	if parts := strings.SplitN(p.ID, ":", 6); len(parts) == 6 && parts[0] == "arn" && accountRe.MatchString(parts[4]) {
		return parts[4]
	}
	return ""
}

// principalMatches reports whether a statement's Principal element names
// the caller, following IAM's "AWS JSON policy elements: Principal":
//   - "*" (or AWS "*") is everyone;
//   - an account ID or arn:...:root is every principal of that account
//     (the account then decides with its own policies, which this package
//     does not see);
//   - a role ARN is the role, and every session of it
//     (arn:...:sts::<account>:assumed-role/<name>/<session>);
//   - anything else (a user, one role session, a service, a federated
//     provider) is itself alone. Service names compare without case.
func principalMatches(principals []policy.Principal, caller Principal) bool {
	for _, p := range principals {
		if p.Type == "*" {
			return true
		}
		if p.Type != caller.Type {
			continue
		}
		for _, id := range p.Identifiers {
			if id == "*" || id == caller.ID {
				return true
			}
			switch p.Type {
			case "Service":
				if strings.EqualFold(id, caller.ID) {
					return true
				}
			case "AWS":
				if awsPrincipalMatches(id, caller) {
					return true
				}
			}
		}
	}
	return false
}

func awsPrincipalMatches(id string, caller Principal) bool {
	account := caller.Account()
	if account == "" {
		return false
	}
	if accountRe.MatchString(id) {
		return id == account
	}
	parts := strings.SplitN(id, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[4] != account {
		return false
	}
	if parts[5] == "root" {
		return true
	}
	// A role ARN names its sessions too; their ARNs drop the role's path.
	roleName, isRole := strings.CutPrefix(parts[5], "role/")
	c := strings.SplitN(caller.ID, ":", 6)
	if !isRole || len(c) != 6 || c[1] != parts[1] || c[2] != "sts" {
		return false
	}
	roleName = roleName[strings.LastIndex(roleName, "/")+1:]
	session, ok := strings.CutPrefix(c[5], "assumed-role/"+roleName+"/")
	return ok && session != "" && !strings.Contains(session, "/")
}
