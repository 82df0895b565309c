# The task role of the OTLP gateway collector (otel-grpc), which writes raw
# telemetry under the raw prefix and never reads. CardinalHQ: iam-roles.md,
# "OtelRole" (permissions-lakerunner.md lists only logs; the collector's
# awss3 exporter writes, so it gets write-only access to the prefix).
role "otel-task" {
  summary          = "Task role of the OTLP gateway (otel-gateway): write raw telemetry under the raw prefix of the data bucket, and nothing else there."
  name             = "${env.name_prefix}-otel-task-role"
  description      = "Allows the Lakerunner OTLP gateway to write raw telemetry"
  workload         = true # ECS tasks or EKS pods, as the environment's platform says
  default_services = ["otel-gateway"]
  enabled          = contains([for s, k in env.services : k], "otel-task")
  tags = {
    Component = "ECS"
    Type      = "TaskRole"
    Tier      = "otel"
  }

  input "secrets" {
    type        = list(string)
    description = "Secrets the gateway reads at run time: the license secret."
    value       = env.resources.license_secrets
  }

  input "s3_buckets" {
    type        = list(string)
    description = "The data buckets, by name (this account) or ARN."
    value       = env.resources.s3_buckets
  }

  input "raw_prefix" {
    type        = string
    description = "The key prefix the gateway writes raw telemetry under."
    value       = env.resources.raw_prefix
  }

  input "log_groups" {
    type        = list(string)
    description = "The tier's own CloudWatch log groups, one per deployed service."
    value       = [for s, k in env.services : "/ecs/${env.name_prefix}/${s}" if k == "otel-task"]
  }

  policy {
    name = "${env.name_prefix}-otel-access"

    statement {
      sid       = "ReadSecrets"
      actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      resources = [for s in var.secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${endswith(s, "*") ? s : "${s}-??????"}"]
    }

    statement {
      sid       = "OtelRawWrite"
      actions   = ["s3:PutObject"]
      resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/${var.raw_prefix}*"]
    }

    statement {
      sid       = "CloudWatchLogs"
      actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      resources = [for g in var.log_groups : "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${g}:*"]
    }
  }

  # Required (CardinalHQ iam-roles.md, OtelRole) and Must NOT.

  expect "read-secrets" {
    effect    = "allow"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [for s in var.secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${trimsuffix(s, "*")}-AbCdEf"]
  }

  expect "write-raw" {
    effect    = "allow"
    actions   = ["s3:PutObject"]
    resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/${var.raw_prefix}logs/batch-0.binpb"]
  }

  expect "write-logs" {
    effect    = "allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for g in var.log_groups : "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${g}:log-stream:task-0"]
  }

  expect "no-read-delete-raw" {
    effect    = "deny"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/${var.raw_prefix}logs/batch-0.binpb"]
  }

  expect "no-list" {
    effect    = "deny"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [for b in var.s3_buckets : startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"]
  }

  expect "no-write-outside-raw" {
    effect    = "deny"
    actions   = ["s3:PutObject"]
    resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/db/part-0.parquet"]
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
