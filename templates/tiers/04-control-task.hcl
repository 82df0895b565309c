# The task role of the control tier: sweeper, monitoring, admin-api and
# alert-evaluator. CardinalHQ: iam-roles.md, "ControlRole".
role "control-task" {
  summary          = "Task role of the control tier (sweeper, monitoring, admin-api, alert-evaluator): read the data bucket and delete expired objects."
  name             = "${env.name_prefix}-control-task-role"
  description      = "Allows the Lakerunner control tier to read and expire data"
  workload         = true # ECS tasks or EKS pods, as the environment's platform says
  default_services = ["sweeper", "monitoring", "admin-api", "alert-evaluator"]
  enabled          = contains([for s, k in env.services : k], "control-task")
  tags = {
    Component = "ECS"
    Type      = "TaskRole"
    Tier      = "control"
  }

  input "secrets" {
    type        = list(string)
    description = "Secrets the tier reads at run time: the database, license and admin key secrets."
    value       = concat(env.resources.database_secrets, env.resources.license_secrets, env.resources.admin_key_secrets)
  }

  input "s3_buckets" {
    type        = list(string)
    description = "The data buckets, by name (this account) or ARN."
    value       = env.resources.s3_buckets
  }

  input "log_groups" {
    type        = list(string)
    description = "The tier's own CloudWatch log groups, one per deployed service."
    value       = [for s, k in env.services : "/ecs/${env.name_prefix}/${s}" if k == "control-task"]
  }

  policy {
    name = "${env.name_prefix}-control-access"

    statement {
      sid       = "ReadSecrets"
      actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      resources = [for s in var.secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${endswith(s, "*") ? s : "${s}-??????"}"]
    }

    statement {
      sid       = "IngestBucketList"
      actions   = ["s3:ListBucket"]
      resources = [for b in var.s3_buckets : startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"]
    }

    statement {
      sid       = "SweeperS3Cleanup"
      actions   = ["s3:GetObject", "s3:DeleteObject"]
      resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/*"]
    }

    statement {
      sid       = "CloudWatchLogs"
      actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      resources = [for g in var.log_groups : "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${g}:*"]
    }
  }

  # Required (CardinalHQ iam-roles.md, ControlRole) and Must NOT.

  expect "read-secrets" {
    effect    = "allow"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [for s in var.secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${trimsuffix(s, "*")}-AbCdEf"]
  }

  expect "list-bucket" {
    effect    = "allow"
    actions   = ["s3:ListBucket"]
    resources = [for b in var.s3_buckets : startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"]
  }

  expect "read-delete-objects" {
    effect    = "allow"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/db/part-0.parquet"]
  }

  expect "write-logs" {
    effect    = "allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for g in var.log_groups : "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${g}:log-stream:task-0"]
  }

  expect "no-s3-write" {
    effect    = "deny"
    actions   = ["s3:PutObject"]
    resources = concat([for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/db/part-0.parquet"], [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/otel-raw/logs/batch-0.binpb"])
  }

  expect "no-ecs-api" {
    effect    = "deny"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:service/lakerunner-cluster/query-worker"]
    context   = { "ecs:cluster" = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:cluster/lakerunner-cluster"] }
  }
  expect "no-ecs-discovery" {
    effect    = "deny"
    actions   = ["ecs:ListTasks"]
    resources = ["*"]
    context   = { "ecs:cluster" = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:cluster/lakerunner-cluster"] }
  }

  expect "no-sqs" {
    effect    = "deny"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:SendMessage"]
    resources = ["arn:${var.partition}:sqs:${var.region}:${var.account_id}:lakerunner-ingest"]
  }

  expect "no-bedrock" {
    effect    = "deny"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = ["arn:${var.partition}:bedrock:${var.region}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"]
  }

  expect "no-alb" {
    effect    = "deny"
    actions   = ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:RegisterTargets"]
    resources = ["*"]
  }

  expect "no-other-secrets" {
    effect    = "deny"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:other-application-AbCdEf"]
  }

  expect "no-iam" {
    effect    = "deny"
    actions   = ["iam:PassRole", "iam:CreateUser"]
    resources = ["arn:${var.partition}:iam::${var.account_id}:role/${var.name}", "arn:${var.partition}:iam::${var.account_id}:user/escalation"]
  }
}
