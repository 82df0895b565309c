package lint

import (
	"fmt"
	"regexp"
	"strings"
)

// scopeExample says how to scope a service's actions, with the
// environment's partition, region and account.
func (c *roleCtx) scopeExample(svc string) string {
	e := c.env
	p, r, a := e.Partition, e.Region, e.AccountID
	switch svc {
	case "logs":
		return fmt.Sprintf(`resources = ["arn:%s:logs:%s:%s:log-group:<name>", "arn:%s:logs:%s:%s:log-group:<name>:*"]`, p, r, a, p, r, a)
	case "ecr":
		return fmt.Sprintf(`resources = ["arn:%s:ecr:%s:%s:repository/<name>"]`, p, r, a)
	case "ecs":
		cluster := "<cluster>"
		if e.Resources != nil && e.Resources.ECSCluster != "" {
			cluster = e.Resources.ECSCluster
		}
		return fmt.Sprintf(`a condition block with test = "ArnEquals", variable = "ecs:cluster" and values = ["arn:%s:ecs:%s:%s:cluster/%s"]`, p, r, a, cluster)
	case "application-autoscaling":
		return fmt.Sprintf(`resources = ["arn:%s:application-autoscaling:%s:%s:scalable-target/<id>"], or an aws:ResourceTag condition`, p, r, a)
	case "s3":
		return fmt.Sprintf(`resources = ["arn:%s:s3:::<bucket>", "arn:%s:s3:::<bucket>/*"]`, p, p)
	case "sqs":
		return fmt.Sprintf(`resources = ["arn:%s:sqs:%s:%s:<queue>"]`, p, r, a)
	case "secretsmanager":
		return fmt.Sprintf(`resources = ["arn:%s:secretsmanager:%s:%s:secret:<name>-*"]`, p, r, a)
	case "ssm":
		return fmt.Sprintf(`resources = ["arn:%s:ssm:%s:%s:parameter/<path>/*"]`, p, r, a)
	case "kms":
		return fmt.Sprintf(`resources = ["arn:%s:kms:%s:%s:key/<key-id>"], or a kms:ViaService condition`, p, r, a)
	case "kafka-cluster":
		cluster := "<cluster>"
		if e.Resources != nil && e.Resources.MSKCluster != "" {
			cluster = e.Resources.MSKCluster
		}
		return fmt.Sprintf(`resources = ["arn:%s:kafka:%s:%s:cluster/%s/*"]`, p, r, a, cluster)
	case "lambda":
		return fmt.Sprintf(`resources = ["arn:%s:lambda:%s:%s:function:<name>"]`, p, r, a)
	case "iam", "sts":
		return fmt.Sprintf(`resources = ["arn:%s:iam::%s:role/<name>"]`, p, a)
	case "cloudwatch":
		return fmt.Sprintf(`resources = ["arn:%s:cloudwatch:%s:%s:alarm:<name>"]`, p, r, a)
	case "ec2":
		return fmt.Sprintf(`resources = ["arn:%s:ec2:%s:%s:instance/<id>"], or an aws:ResourceTag condition`, p, r, a)
	}
	return fmt.Sprintf("resources = the ARNs of the %s resources it needs", svc)
}

// wideARN reports whether an ARN's resource part is only wildcards (after
// its resource type, if any): every resource of the service, or of a type,
// in the account. It returns what the ARN covers, for messages.
func wideARN(arn string) (string, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return "", false
	}
	svc, region, account, res := parts[2], parts[3], parts[4], parts[5]
	typ := ""
	if svc != "s3" { // S3 ARNs have no resource type: "bucket/key"
		if i := strings.IndexAny(res, "/:"); i > 0 && resourceTypeRe.MatchString(res[:i]) {
			typ, res = res[:i], res[i+1:]
		}
	}
	if res == "" || strings.Trim(res, "*/:") != "" || !strings.Contains(res, "*") {
		return "", false
	}
	what := "every " + svc + " resource"
	if typ != "" {
		what = "every " + svc + " " + typ
	}
	switch {
	case account == "" && svc == "s3":
		what += " of every account"
	case account != "":
		what += " of account " + account
	}
	if region != "" {
		what += " in " + region
	}
	return what, true
}

var resourceTypeRe = regexp.MustCompile(`^[a-z][a-z-]*$`)
