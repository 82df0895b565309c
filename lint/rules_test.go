package lint_test

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil/testspec"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/lint"
	"github.com/cardinalhq/lakerunner-iam/policy"
)

// ruleCase is one rule firing on a small spec, and the fix that silences it.
// The spec is an environment with env in its body and, when role is set, a
// role block of the kind with role as its body; the fixed spec uses fixEnv
// and fixRole. The accepted spec is the bad one plus an accept block of the
// code (and sid) in the role block.
type ruleCase struct {
	name     string
	code     string
	kind     string // the role the finding is about
	sid      string // its statement's Sid, "" for none
	anySid   bool   // match the finding whatever its statement's Sid
	severity lint.Severity
	contains string // in the message
	at       string // in the spec line the finding points at

	env, role       string
	fixEnv, fixRole string
	// templates replace or add catalog template files (templates_dir);
	// fixTemplates those of the fixed spec.
	templates, fixTemplates map[string]string
}

const specHead = `environment "test" {
  account_id = "123456789012"
  region     = "us-east-1"
`

func (c ruleCase) spec(env, role, accept string) string {
	var b strings.Builder
	b.WriteString(specHead)
	b.WriteString(env + "\n")
	if role != "" || accept != "" {
		fmt.Fprintf(&b, "  role %q {\n%s\n%s\n  }\n", c.kind, role, accept)
	}
	b.WriteString("}\n")
	return b.String()
}

func (c ruleCase) check(t *testing.T, text string, tmpl map[string]string) *lint.Report {
	t.Helper()
	if tmpl != nil {
		return checkWithTemplates(t, text, tmpl)
	}
	return check(t, text)
}

func (c ruleCase) find(r *lint.Report) *lint.Finding {
	for i, f := range r.Findings {
		if f.Code == c.code && f.RoleKind == c.kind && (c.anySid || f.Sid == c.sid) {
			return &r.Findings[i]
		}
	}
	return nil
}

// stmt is a spec statement block.
func stmt(sid string, body ...string) string {
	return fmt.Sprintf("    statement {\n      sid = %q\n      %s\n    }", sid, strings.Join(body, "\n      "))
}

// lambdaWithSourceArn is the catalog's migration-lambda template with the
// source ARN that LR010's hint suggests.
func lambdaWithSourceArn(t *testing.T) map[string]string {
	src := builtinTemplate(t, "05-migration-lambda.hcl")
	fixed := strings.Replace(src, `service = "lambda.amazonaws.com"`,
		`service    = "lambda.amazonaws.com"
    source_arn = "arn:${var.partition}:lambda:${var.region}:${var.account_id}:function:*"`, 1)
	if fixed == src {
		t.Fatal("05-migration-lambda.hcl has no lambda.amazonaws.com trust to change")
	}
	return map[string]string{"05-migration-lambda.hcl": fixed}
}

// partnerTemplate is a role template of a team's own catalog whose trust
// names principals.
func partnerTemplate(principal string) map[string]string {
	return map[string]string{"09-partner.hcl": fmt.Sprintf(`
role "partner" {
  summary     = "A partner's role."
  name        = "${env.name_prefix}-partner-role"
  description = "Partner access"
  trust {
    statement {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = [%q]
      }
      condition {
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = ["partner-external-id"]
      }
    }
  }
}
`, principal)}
}

// objectARNs are n S3 object ARNs.
func objectARNs(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, fmt.Sprintf("arn:aws:s3:::lakerunner-shared-bucket-%04d/objects/*", i))
	}
	return out
}

// roleARNs are n role ARNs of another account.
func roleARNs(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, fmt.Sprintf("arn:aws:iam::210987654321:role/lakerunner-reader-%03d", i))
	}
	return out
}

func quotedList(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}

func hclList(s []string) string { return "[" + strings.Join(quotedList(s), ", ") + "]" }

// sizeAt returns the size a policy of the model would have with the list
// equal to seed replaced by list(n): the generator decides the rest of the
// document, the test only how long one list grows.
func sizeAt(t *testing.T, doc *policy.Document, seed []string, list func(int) []string) func(int) int {
	t.Helper()
	for si, st := range doc.Statements {
		if reflect.DeepEqual(st.Resources, seed) {
			return func(n int) int {
				d := policy.Document{Statements: append([]policy.Statement(nil), doc.Statements...)}
				d.Statements[si].Resources = list(n)
				return d.Size()
			}
		}
		for pi, p := range st.Principals {
			if reflect.DeepEqual(p.Identifiers, seed) {
				return func(n int) int {
					d := policy.Document{Statements: append([]policy.Statement(nil), doc.Statements...)}
					d.Statements[si].Principals = append([]policy.Principal(nil), st.Principals...)
					d.Statements[si].Principals[pi].Identifiers = list(n)
					return d.Size()
				}
			}
		}
	}
	t.Fatalf("no list %v in the policy", seed)
	return nil
}

// nearLimit returns the largest n for which size(n) stays under limit, and
// checks that it reaches 90% of it.
func nearLimit(t *testing.T, limit int, size func(n int) int) int {
	t.Helper()
	n := 1
	for size(n+1) < limit {
		n++
	}
	if size(n)*10 < limit*9 {
		t.Fatalf("size(%d) = %d does not reach 90%% of %d", n, size(n), limit)
	}
	return n
}

func ruleCases(t *testing.T) []ruleCase {
	// The ECS instance role has no catalog policy: its inline policy is
	// exactly the spec's statements; its trust has no condition.
	bigStatement := func(n int) string {
		return stmt("Big", `actions = ["s3:GetObject"]`, "resources = "+hclList(objectARNs(n)))
	}
	trusted := func(n int) string { return "    trusted_principal_arns = " + hclList(roleARNs(n)) }
	instance := func(role string) *generator.Role {
		m := testspec.LoadText(t, specHead+"  compute = \"ec2\"\n  role \"ecs-instance\" {\n"+role+"\n  }\n}\n")
		return m.Environments[0].Role("ecs-instance")
	}
	inlineN := nearLimit(t, 10240, sizeAt(t, instance(bigStatement(1)).Permissions, objectARNs(1), objectARNs))
	trust := instance(trusted(1)).Trust
	trustN := nearLimit(t, 2048, sizeAt(t, &trust, roleARNs(1), roleARNs))

	return []ruleCase{
		{
			name: "action star", code: "LR001", kind: "data-task", sid: "Admin", severity: lint.Error,
			contains: `every action of every AWS service ("*")`, at: "actions",
			role:    stmt("Admin", `actions = ["*"]`, `resources = ["*"]`),
			fixRole: stmt("Admin", `actions = ["s3:GetObject"]`, `resources = ["arn:aws:s3:::lakerunner-shared/*"]`),
		},
		{
			name: "service wildcard", code: "LR002", kind: "data-task", sid: "S3All", severity: lint.Warning,
			contains: "s3:* (all 168 s3 actions)", at: "actions",
			role:    stmt("S3All", `actions = ["s3:*"]`, `resources = ["arn:aws:s3:::lakerunner-shared/*"]`),
			fixRole: stmt("S3All", `actions = ["s3:GetObject", "s3:PutObject"]`, `resources = ["arn:aws:s3:::lakerunner-shared/*"]`),
		},
		{
			name: "resource star in a spec statement", code: "LR003", kind: "data-task", sid: "Logs", severity: lint.Warning,
			contains: `logs:PutLogEvents is allowed on every resource ("*")`, at: "resources",
			role:    stmt("Logs", `actions = ["logs:PutLogEvents"]`, `resources = ["*"]`),
			fixRole: stmt("Logs", `actions = ["logs:PutLogEvents"]`, `resources = ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/lakerunner:*"]`),
		},
		{
			name: "resource star in the catalog, replaced by Sid", code: "LR003", kind: "query-task", sid: "CloudWatchAccess", severity: lint.Warning,
			contains: "logs:CreateLogGroup, logs:CreateLogStream and logs:PutLogEvents are allowed", at: `environment "test"`,
			fixRole: stmt("CloudWatchAccess", `actions = ["logs:CreateLogStream", "logs:PutLogEvents"]`,
				`resources = ["arn:aws:logs:us-east-1:123456789012:log-group:/ecs/lakerunner:*"]`),
		},
		{
			name: "resource star narrowed by a service condition", code: "LR003", kind: "query-task", sid: "Workers", severity: lint.Warning,
			contains: "ecs:DescribeTasks and ecs:ListTasks are allowed", at: "resources",
			role: stmt("Workers", `actions = ["ecs:DescribeTasks", "ecs:ListTasks"]`, `resources = ["*"]`),
			fixRole: stmt("Workers", `actions = ["ecs:DescribeTasks", "ecs:ListTasks"]`, `resources = ["*"]`,
				`condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = ["arn:aws:ecs:us-east-1:123456789012:cluster/lakerunner-cluster"]
      }`),
		},
		{
			// ForAllValues on a single-valued key holds when the request
			// lacks the key: it narrows nothing unless Null requires the key.
			name: "resource star under a vacuous ForAllValues condition", code: "LR003", kind: "query-task", sid: "Reports", severity: lint.Warning,
			contains: `s3:ListBucket is allowed on every resource ("*"), although it supports resource-level permissions, and no condition narrows it (ForAllValues:StringLike on s3:prefix does not: ForAllValues holds when the request has no such key`,
			at:       "resources",
			role: stmt("Reports", `actions = ["s3:ListBucket"]`, `resources = ["*"]`, `condition {
        test     = "ForAllValues:StringLike"
        variable = "s3:prefix"
        values   = ["reports/*"]
      }`),
			fixRole: stmt("Reports", `actions = ["s3:ListBucket"]`, `resources = ["*"]`, `condition {
        test     = "ForAllValues:StringLike"
        variable = "s3:prefix"
        values   = ["reports/*"]
      }`, `condition {
        test     = "Null"
        variable = "s3:prefix"
        values   = ["false"]
      }`),
		},
		{
			// ForAnyValue is false when the key is absent, and on a
			// single-valued key tests its one value: it narrows.
			name: "resource star under ForAllValues, fixed with ForAnyValue", code: "LR003", kind: "query-task", sid: "Workers", severity: lint.Warning,
			contains: "(ForAllValues:StringEquals on ecs:cluster does not", at: "resources",
			role: stmt("Workers", `actions = ["ecs:DescribeTasks"]`, `resources = ["*"]`, `condition {
        test     = "ForAllValues:StringEquals"
        variable = "ecs:cluster"
        values   = ["arn:aws:ecs:us-east-1:123456789012:cluster/lakerunner-cluster"]
      }`),
			fixRole: stmt("Workers", `actions = ["ecs:DescribeTasks"]`, `resources = ["*"]`, `condition {
        test     = "ForAnyValue:StringEquals"
        variable = "ecs:cluster"
        values   = ["arn:aws:ecs:us-east-1:123456789012:cluster/lakerunner-cluster"]
      }`),
		},
		{
			name: "resource star, fixed by splitting off the resource-less action", code: "LR003", kind: "ecs-execution", sid: "ECRAccess", severity: lint.Warning,
			contains: "ecr:BatchCheckLayerAvailability, ecr:GetDownloadUrlForLayer and ecr:BatchGetImage are allowed", at: `environment "test"`,
			fixRole: stmt("ECRAccess", `actions = ["ecr:GetAuthorizationToken"]`, `resources = ["*"]`) + "\n" +
				stmt("ECRPull", `actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]`, `resources = ["arn:aws:ecr:us-east-1:123456789012:repository/lakerunner/*"]`),
		},
		{
			name: "account-wide log groups from an unset resource list", code: "LR004", kind: "data-task", sid: "CloudWatchLogs", severity: lint.Warning,
			contains: "because resources.log_groups is not set", at: "resources {",
			env:    `  resources { s3_buckets = ["lakerunner-data"] }`,
			fixEnv: `  resources { log_groups = ["/ecs/lakerunner"] }`,
		},
		{
			name: "account-wide buckets from the resource list", code: "LR004", kind: "data-task", sid: "S3Access", severity: lint.Warning,
			contains: "because of resources.s3_buckets", at: "s3_buckets",
			env:    "  resources {\n    s3_buckets = [\"*\"]\n    log_groups = [\"/ecs/lakerunner\"]\n  }",
			fixEnv: "  resources {\n    s3_buckets = [\"lakerunner-data\"]\n    log_groups = [\"/ecs/lakerunner\"]\n  }",
		},
		{
			name: "account-wide resource in a spec statement", code: "LR004", kind: "data-task", sid: "Queues", severity: lint.Warning,
			contains: `"arn:aws:sqs:us-east-1:123456789012:*" (every sqs resource of account 123456789012 in us-east-1)`, at: "resources",
			role:    stmt("Queues", `actions = ["sqs:SendMessage"]`, `resources = ["arn:aws:sqs:us-east-1:123456789012:*"]`),
			fixRole: stmt("Queues", `actions = ["sqs:SendMessage"]`, `resources = ["arn:aws:sqs:us-east-1:123456789012:lakerunner-ingest"]`),
		},
		{
			name: "PassRole on any role", code: "LR005", kind: "migration-lambda", sid: "PassRole", severity: lint.Error,
			contains: `iam:PassRole is allowed on "*"`, at: "resources",
			env:    "  lambda_migrations = true",
			role:   stmt("PassRole", `actions = ["iam:PassRole"]`, `resources = ["*"]`),
			fixEnv: "  lambda_migrations = true",
			fixRole: stmt("PassRole", `actions = ["iam:PassRole"]`, `resources = ["arn:aws:iam::123456789012:role/lakerunner-migration-task-role"]`,
				`condition {
        test     = "StringEquals"
        variable = "iam:PassedToService"
        values   = ["ecs-tasks.amazonaws.com"]
      }`),
		},
		{
			name: "PassRole without PassedToService (catalog)", code: "LR006", kind: "migration-lambda", sid: "PassRole", severity: lint.Warning,
			contains: "without an iam:PassedToService condition", at: `environment "test"`,
			env:    "  lambda_migrations = true",
			fixEnv: "  lambda_migrations = true",
			fixRole: stmt("PassRole", `actions = ["iam:PassRole"]`, `resources = ["arn:aws:iam::123456789012:role/lakerunner-migration-task-role"]`,
				`condition {
        test     = "StringEquals"
        variable = "iam:PassedToService"
        values   = ["ecs-tasks.amazonaws.com"]
      }`),
		},
		{
			name: "trust any principal", code: "LR007", kind: "partner", severity: lint.Error,
			contains: `Any principal ("*")`, at: `environment "test"`,
			templates:    partnerTemplate("*"),
			fixTemplates: partnerTemplate("arn:aws:iam::210987654321:role/lakerunner-partner"),
		},
		{
			name: "trust wildcard principal", code: "LR008", kind: "partner", severity: lint.Error,
			contains: `AWS principal "arn:aws:iam::210987654321:role/lakerunner-*" contains a wildcard`, at: `environment "test"`,
			templates:    partnerTemplate("arn:aws:iam::210987654321:role/lakerunner-*"),
			fixTemplates: partnerTemplate("arn:aws:iam::210987654321:role/lakerunner-partner"),
		},
		{
			name: "trust account root without ExternalId", code: "LR009", kind: "query-task", sid: "TrustedPrincipals", severity: lint.Warning,
			contains: "Account 210987654321 can assume the role without an sts:ExternalId", at: "trusted_principal_arns",
			role:    `    trusted_principal_arns = ["arn:aws:iam::210987654321:root"]`,
			fixRole: `    trusted_principal_arns = ["arn:aws:iam::210987654321:role/lakerunner-break-glass"]`,
		},
		{
			// The generator may add the principals to the EC2 service
			// statement (no conditions to keep apart): still the spec's.
			name: "trust account root on a role without service conditions", code: "LR009", kind: "ecs-instance", anySid: true, severity: lint.Warning,
			contains: "Account 210987654321 can assume the role without an sts:ExternalId", at: "trusted_principal_arns",
			env: `  compute = "ec2"`, role: `    trusted_principal_arns = ["arn:aws:iam::210987654321:root"]`,
			fixEnv: `  compute = "ec2"`, fixRole: `    trusted_principal_arns = ["arn:aws:iam::210987654321:role/lakerunner-break-glass"]`,
		},
		{
			name: "trust service without source conditions", code: "LR010", kind: "data-task", severity: lint.Warning,
			contains: "ecs-tasks.amazonaws.com can assume the role with no aws:SourceAccount", at: "confused_deputy_protection",
			env: "  confused_deputy_protection = false",
		},
		{
			name: "trust Lambda without source conditions is advisory", code: "LR010", kind: "migration-lambda", severity: lint.Info,
			contains: "Advisory", at: `environment "test"`,
			env: "  lambda_migrations = true", fixEnv: "  lambda_migrations = true",
			fixTemplates: lambdaWithSourceArn(t),
		},
		{
			name: "unknown action", code: "LR011", kind: "data-task", sid: "Read", severity: lint.Error,
			contains: "s3:GetObjects (did you mean s3:GetObject?) is no IAM action", at: "actions",
			role:    stmt("Read", `actions = ["s3:GetObjects"]`, `resources = ["arn:aws:s3:::lakerunner-shared/*"]`),
			fixRole: stmt("Read", `actions = ["s3:GetObject"]`, `resources = ["arn:aws:s3:::lakerunner-shared/*"]`),
		},
		{
			name: "unknown action in a Deny", code: "LR011", kind: "data-task", sid: "NoDelete", severity: lint.Error,
			contains: "does not deny", at: "actions",
			role:    stmt("NoDelete", `effect = "Deny"`, `actions = ["s3:DeleteObjects"]`, `resources = ["*"]`),
			fixRole: stmt("NoDelete", `effect = "Deny"`, `actions = ["s3:DeleteObject"]`, `resources = ["*"]`),
		},
		{
			name: "action pattern that matches nothing", code: "LR011", kind: "data-task", sid: "Topics", severity: lint.Error,
			contains: "kafka-cluster:*Topics (matches no action)", at: "actions",
			role:    stmt("Topics", `actions = ["kafka-cluster:*Topics"]`, `resources = ["arn:aws:kafka:us-east-1:123456789012:topic/lakerunner-msk/*/*"]`),
			fixRole: stmt("Topics", `actions = ["kafka-cluster:DescribeTopic"]`, `resources = ["arn:aws:kafka:us-east-1:123456789012:topic/lakerunner-msk/*/*"]`),
		},
		{
			name: "Allow with NotAction", code: "LR012", kind: "data-task", sid: "AllButIAM", severity: lint.Warning,
			contains: "every action of every service except iam:*", at: "not_actions",
			role:    stmt("AllButIAM", `not_actions = ["iam:*"]`, `resources = ["arn:aws:s3:::lakerunner-shared/*"]`),
			fixRole: stmt("AllButIAM", `actions = ["s3:GetObject"]`, `resources = ["arn:aws:s3:::lakerunner-shared/*"]`),
		},
		{
			name: "Allow with NotResource", code: "LR012", kind: "data-task", sid: "AllBuckets", severity: lint.Warning,
			contains: `on every resource except "arn:aws:s3:::lakerunner-secrets/*"`, at: "not_resources",
			role:    stmt("AllBuckets", `actions = ["s3:GetObject"]`, `not_resources = ["arn:aws:s3:::lakerunner-secrets/*"]`),
			fixRole: stmt("AllBuckets", `actions = ["s3:GetObject"]`, `resources = ["arn:aws:s3:::lakerunner-shared/*"]`),
		},
		{
			name: "partial action wildcard (catalog)", code: "LR013", kind: "msk-access", sid: "MSKTopicAccess", severity: lint.Info,
			contains: "kafka-cluster:*Topic grants 4 actions today", at: `environment "test"`,
			env: "  msk_access = true", fixEnv: "  msk_access = true",
			fixRole: stmt("MSKTopicAccess", `actions = ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData"]`,
				`resources = ["arn:aws:kafka:us-east-1:123456789012:topic/lakerunner-msk/*/*"]`),
		},
		{
			name: "IRSA without audience (template)", code: "LR016", kind: "irsa-custom", severity: lint.Warning,
			contains: "whatever their audience", at: `environment "test"`,
			templates:    map[string]string{"90-irsa.hcl": irsaTemplate(false)},
			fixTemplates: map[string]string{"90-irsa.hcl": irsaTemplate(true)},
		},
		{
			name: "IRSA for ServiceAccount patterns", code: "LR017", kind: "data-task", severity: lint.Warning,
			contains: "ServiceAccounts matching system:serviceaccount:lakerunner:lakerunner-*", at: "wildcard_service_accounts",
			env: eksIRSA(`wildcard_service_accounts = ["lakerunner-*"]`), fixEnv: eksIRSA(""),
		},
		{
			name: "Pod Identity without TagSession (template)", code: "LR018", kind: "pods-custom", severity: lint.Error,
			contains: "does not allow sts:TagSession", at: `environment "test"`,
			templates:    map[string]string{"90-pods.hcl": podsTemplate(`["sts:AssumeRole"]`)},
			fixTemplates: map[string]string{"90-pods.hcl": podsTemplate(`["sts:AssumeRole", "sts:TagSession"]`)},
		},
		{
			name: "inline policy near its quota", code: "LR014", kind: "ecs-instance", severity: lint.Warning,
			contains: "of IAM's quota of 10240", at: `role "ecs-instance"`,
			env: `  compute = "ec2"`, role: bigStatement(inlineN),
			fixEnv: `  compute = "ec2"`, fixRole: bigStatement(10),
		},
		{
			name: "trust policy near its quota", code: "LR014", kind: "ecs-instance", severity: lint.Warning,
			contains: "of IAM's quota of 2048", at: "trusted_principal_arns",
			env: `  compute = "ec2"`, role: trusted(trustN),
			fixEnv: `  compute = "ec2"`, fixRole: trusted(3),
		},
	}
}

// TestRules shows, for each rule, that it fires on a small spec, that the
// fix its hint describes silences it, and that an accept block accepts it
// without a stale-accept finding.
func TestRules(t *testing.T) {
	for _, c := range ruleCases(t) {
		t.Run(c.code+" "+c.name, func(t *testing.T) {
			bad := c.check(t, c.spec(c.env, c.role, ""), c.templates)
			f := c.find(bad)
			if f == nil {
				t.Fatalf("no %s finding for %s/%q; findings: %s", c.code, c.kind, c.sid, summarize(bad))
			}
			if f.Severity != c.severity {
				t.Errorf("severity = %s, want %s", f.Severity, c.severity)
			}
			if f.Rule != lint.RuleByCode(c.code).Name {
				t.Errorf("rule = %q, want %q", f.Rule, lint.RuleByCode(c.code).Name)
			}
			if !strings.Contains(f.Message, c.contains) {
				t.Errorf("message %q does not contain %q", f.Message, c.contains)
			}
			if f.Accepted != nil {
				t.Errorf("finding is accepted without an accept block")
			}
			line := sourceLine(t, bad, f)
			if !strings.Contains(line, c.at) {
				t.Errorf("finding points at %s:%d %q, want a line containing %q", f.Range.Filename, f.Range.Start.Line, line, c.at)
			}
			acceptHint := fmt.Sprintf("an accept %q block with ", c.code)
			if c.sid != "" {
				acceptHint += fmt.Sprintf("sid = %q and ", c.sid)
			}
			if !strings.Contains(f.Hint, acceptHint) {
				t.Errorf("hint %q does not say how to accept it (%s)", f.Hint, acceptHint)
			}

			fixed := c.check(t, c.spec(c.fixEnv, c.fixRole, ""), c.fixTemplates)
			if g := c.find(fixed); g != nil {
				t.Errorf("the fix does not silence it: %s", g.Message)
			}

			sidAttr := ""
			if c.sid != "" {
				sidAttr = fmt.Sprintf("sid = %q\n", c.sid)
			}
			accept := fmt.Sprintf("    accept %q {\n      %sreason = \"reviewed in SEC-42\"\n    }", c.code, sidAttr)
			accepted := c.check(t, c.spec(c.env, c.role, accept), c.templates)
			g := c.find(accepted)
			switch {
			case g == nil:
				t.Errorf("the finding is gone once accepted; it should be reported as accepted")
			case g.Accepted == nil || g.Accepted.Reason != "reviewed in SEC-42":
				t.Errorf("accepted = %+v, want the accept block's reason", g.Accepted)
			}
			for _, h := range accepted.Failing(lint.Info) {
				if h.Code == c.code && h.RoleKind == c.kind && (c.anySid || h.Sid == c.sid) {
					t.Errorf("an accepted finding still fails the check")
				}
				if h.Code == "LR015" {
					t.Errorf("the accept is reported stale: %s", h.Message)
				}
			}
		})
	}
}

// TestRuleCasesCoverEveryRule keeps the table complete as rules are added.
func TestRuleCasesCoverEveryRule(t *testing.T) {
	covered := map[string]bool{"LR015": true} // TestStaleAccept
	for _, c := range ruleCases(t) {
		covered[c.code] = true
	}
	for _, r := range lint.Rules {
		if !covered[r.Code] {
			t.Errorf("rule %s (%s) has no case in ruleCases", r.Code, r.Name)
		}
	}
}

func TestRuleTable(t *testing.T) {
	codeRe := regexp.MustCompile(`^LR\d{3}$`)
	names := map[string]bool{}
	for i, r := range lint.Rules {
		if want := fmt.Sprintf("LR%03d", i+1); r.Code != want {
			t.Errorf("rule %d has code %s, want %s (codes are stable and dense)", i, r.Code, want)
		}
		if !codeRe.MatchString(r.Code) {
			t.Errorf("code %q is not what a spec's accept block takes (LRnnn)", r.Code)
		}
		if names[r.Name] || r.Name == "" {
			t.Errorf("rule %s: name %q is empty or not unique", r.Code, r.Name)
		}
		names[r.Name] = true
		if r.Summary == "" || r.Mirrors == "" {
			t.Errorf("rule %s: needs a summary and what it mirrors", r.Code)
		}
		if lint.RuleByCode(r.Code) != r {
			t.Errorf("RuleByCode(%s) is not the table's rule", r.Code)
		}
	}
	if lint.RuleByCode("LR999") != nil {
		t.Error("RuleByCode(LR999) is not nil")
	}
}

// TestStaleAccept: accept blocks that match nothing are findings, so that
// accepts do not outlive what they accepted.
func TestStaleAccept(t *testing.T) {
	tests := []struct {
		name, accept, contains string
	}{
		{"fixed finding", `accept "LR001" { reason = "r" }`, `No LR001 (allow-all-actions) finding is reported for role "ecs-execution"`},
		{"Sid typo", "accept \"LR003\" {\n      sid    = \"ECRAcess\"\n      reason = \"r\"\n    }", `has no statement with Sid "ECRAcess", so this accept matches nothing. Did you mean "ECRAccess"?`},
		{"other statement", "accept \"LR003\" {\n      sid    = \"KMSDecrypt\"\n      reason = \"r\"\n    }", `No LR003 (resource-star) finding is reported for role "ecs-execution", statement KMSDecrypt,`},
		{"unknown code", `accept "LR999" { reason = "r" }`, "LR999 is not a finding code of lakerunner-iam lint (the codes are LR001 to LR018)"},
		{"stale-accept itself", `accept "LR015" { reason = "r" }`, "findings cannot be accepted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := check(t, specHead+"  role \"ecs-execution\" {\n    "+tt.accept+"\n  }\n}\n")
			var stale []lint.Finding
			for _, f := range r.Findings {
				if f.Code == "LR015" {
					stale = append(stale, f)
				}
			}
			if len(stale) != 1 {
				t.Fatalf("got %d stale-accept findings, want 1: %s", len(stale), summarize(r))
			}
			f := stale[0]
			if !strings.Contains(f.Message, tt.contains) {
				t.Errorf("message %q does not contain %q", f.Message, tt.contains)
			}
			if f.Severity != lint.Warning || f.Accepted != nil || len(r.Failing(lint.Warning)) == 0 {
				t.Errorf("a stale accept must be an unaccepted warning that fails the check: %+v", f)
			}
			if line := sourceLine(t, r, &f); !strings.Contains(line, "accept") {
				t.Errorf("finding points at %q, want the accept block", line)
			}
		})
	}
	// Without the accept block, nothing is stale.
	r := check(t, specHead+"}\n")
	for _, f := range r.Findings {
		if f.Code == "LR015" {
			t.Errorf("stale accept without an accept block: %s", f.Message)
		}
	}
}

// TestAcceptWithoutSidCoversEveryStatement: an accept without sid accepts
// the code for all statements of the role, and only of that role.
func TestAcceptWithoutSidCoversEveryStatement(t *testing.T) {
	r := check(t, specHead+`  role "query-task" {
    accept "LR003" { reason = "query workers are scaled by ops" }
  }
}
`)
	var accepted, open []string
	for _, f := range r.Findings {
		if f.Code != "LR003" {
			continue
		}
		if f.Accepted != nil {
			accepted = append(accepted, f.RoleKind+"/"+f.Sid)
		} else {
			open = append(open, f.RoleKind+"/"+f.Sid)
		}
	}
	if strings.Join(accepted, " ") != "query-task/AutoScaling query-task/CloudWatchAccess" {
		t.Errorf("accepted %v, want both LR003 findings of query-task", accepted)
	}
	if strings.Join(open, " ") != "ecs-execution/ECRAccess" {
		t.Errorf("open %v, want ecs-execution's LR003 only", open)
	}
}

func summarize(r *lint.Report) string {
	var s []string
	for _, f := range r.Findings {
		s = append(s, fmt.Sprintf("%s %s/%s", f.Code, f.RoleKind, f.Statement()))
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func sourceLine(t *testing.T, r *lint.Report, f *lint.Finding) string {
	t.Helper()
	src := r.Sources[f.Range.Filename]
	lines := strings.Split(string(src), "\n")
	if f.Range.Start.Line < 1 || f.Range.Start.Line > len(lines) {
		t.Fatalf("finding range %s is not in the spec", f.Range)
	}
	return lines[f.Range.Start.Line-1]
}

// eksIRSA is an EKS environment with IRSA and a role per kind.
func eksIRSA(extra string) string {
	return `  platform = "eks"
  eks {
    cluster_name    = "lakerunner"
    identity        = "irsa"
    oidc_issuer_url = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
    role_layout     = "per-role"
    ` + extra + `
  }`
}

// irsaTemplate is a role kind of a team's own with a hand-written IRSA
// trust, with or without the audience condition.
func irsaTemplate(aud bool) string {
	cond := ""
	if aud {
		cond = `
      condition {
        test     = "StringEquals"
        variable = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:aud"
        values   = ["sts.amazonaws.com"]
      }`
	}
	return `role "irsa-custom" {
  summary     = "A role for one pod of the team's own."
  name        = "${env.name_prefix}-irsa-custom"
  description = "IRSA role"
  trust {
    statement {
      actions = ["sts:AssumeRoleWithWebIdentity"]
      principals {
        type        = "Federated"
        identifiers = ["arn:${var.partition}:iam::${var.account_id}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"]
      }
      condition {
        test     = "StringEquals"
        variable = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE:sub"
        values   = ["system:serviceaccount:tools:exporter"]
      }` + cond + `
    }
  }
}
`
}

// podsTemplate is a role kind of a team's own trusted by EKS Pod Identity
// with the given actions.
func podsTemplate(actions string) string {
	return `role "pods-custom" {
  summary     = "A role for one pod of the team's own."
  name        = "${env.name_prefix}-pods-custom"
  description = "Pod Identity role"
  trust {
    statement {
      actions = ` + actions + `
      principals {
        type        = "Service"
        identifiers = ["pods.eks.amazonaws.com"]
      }
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [var.account_id]
      }
    }
  }
}
`
}
