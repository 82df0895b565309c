package iamlimits

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// ARN is an Amazon Resource Name split into its parts.
type ARN struct {
	Partition, Service, Region, Account, Resource string
}

func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

var (
	serviceRe = regexp.MustCompile(`^[a-z0-9*?-]+$`)
	// arnTextRe is what an ARN may contain: IAM policy text (up to
	// U+00FF) without white space, control characters or quotes, which
	// are always a mistake of copying.
	arnTextRe = regexp.MustCompile(`^[\x21\x23-\x26\x28-\x7E\x{A1}-\x{FF}]+$`)
	// iamResourceRe is an IAM resource: a type, an optional path and a
	// name ("role/team/lakerunner", "policy/boundary", "root").
	iamResourceRe = regexp.MustCompile(`^(role|user|policy|instance-profile|oidc-provider|saml-provider|group)(/[\x21-\x7E]*)?/([\w+=,.@-]+)$`)
)

// ParseARN splits arn:partition:service:region:account:resource, checking
// what every ARN in a policy needs: a supported partition (or a wildcard),
// a service, a resource, and no white space, quotes or control
// characters anywhere.
func ParseARN(s string) (ARN, error) {
	if !strings.HasPrefix(s, "arn:") {
		return ARN{}, fmt.Errorf("an ARN starts with \"arn:\"")
	}
	if !arnTextRe.MatchString(s) {
		return ARN{}, fmt.Errorf("an ARN has no white space, quotes or control characters")
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) < 6 {
		return ARN{}, fmt.Errorf("an ARN has six parts, arn:<partition>:<service>:<region>:<account>:<resource>")
	}
	a := ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}
	switch {
	case a.Partition != "*" && !slices.Contains(Partitions, a.Partition):
		return a, fmt.Errorf("%q is not a partition (%s)", a.Partition, strings.Join(Partitions, ", "))
	case !serviceRe.MatchString(a.Service):
		return a, fmt.Errorf("an ARN names its service after the partition, e.g. arn:aws:s3:::bucket")
	case a.Resource == "":
		return a, fmt.Errorf("an ARN ends with the resource, e.g. arn:aws:s3:::bucket")
	}
	return a, nil
}

// parseIAM parses an ARN of IAM (no region) and checks its resource type.
func parseIAM(s string, types ...string) (ARN, error) {
	a, err := ParseARN(s)
	if err != nil {
		return a, err
	}
	m := iamResourceRe.FindStringSubmatch(a.Resource)
	switch {
	case a.Partition == "*" || a.Service != "iam" || a.Region != "":
		return a, fmt.Errorf("an IAM ARN is arn:<partition>:iam::<account>:<resource>")
	case a.Resource == "root" && slices.Contains(types, "root"):
	case m == nil:
		return a, fmt.Errorf("its resource %q does not name a %s as <type>/<path><name>", a.Resource, strings.Join(types, " or "))
	case !slices.Contains(types, m[1]):
		return a, fmt.Errorf("it names a %s, not a %s", m[1], strings.Join(types, " or "))
	case m[2] != "" && Path(m[2]+"/") != nil:
		return a, fmt.Errorf("%q is not an IAM path", m[2]+"/")
	}
	return a, nil
}

// ManagedPolicyARN checks the ARN of a managed policy (also a permissions
// boundary): arn:<partition>:iam::(aws|<account>):policy/<path><name>.
func ManagedPolicyARN(s string) (ARN, error) {
	a, err := parseIAM(s, "policy")
	if err == nil && a.Account != "aws" && !AccountIDRe.MatchString(a.Account) {
		err = fmt.Errorf("a managed policy belongs to \"aws\" or to a 12-digit account")
	}
	return a, err
}

// PrincipalARN checks a principal a trust policy can name exactly: a
// role, a user or an account (root), without wildcards.
func PrincipalARN(s string) (ARN, error) {
	if strings.ContainsAny(s, "*?") {
		return ARN{}, fmt.Errorf("IAM does not allow wildcards in a trust policy principal")
	}
	a, err := parseIAM(s, "role", "user", "root")
	if err == nil && !AccountIDRe.MatchString(a.Account) {
		err = fmt.Errorf("a principal belongs to a 12-digit account")
	}
	return a, err
}

// KMSKeyARN checks the ARN of a KMS key or alias; region, account and key
// may be wildcards, as in a policy's Resource.
func KMSKeyARN(s string) (ARN, error) {
	a, err := ParseARN(s)
	switch {
	case err != nil:
	case a.Service != "kms":
		err = fmt.Errorf("the service of a KMS key ARN is kms")
	case !strings.HasPrefix(a.Resource, "key/") && !strings.HasPrefix(a.Resource, "alias/"):
		err = fmt.Errorf("a KMS ARN names key/<id> or alias/<name>")
	case a.Account != "*" && !AccountIDRe.MatchString(a.Account):
		err = fmt.Errorf("a KMS key belongs to a 12-digit account")
	}
	return a, err
}
