# The task role of the process tier: process-logs, process-metrics,
# process-traces and pubsub-sqs. CardinalHQ: iam-roles.md, "ProcessRole";
# the satellite design for sts:AssumeRole.
role "process-task" {
  summary          = "Task role of the process tier (process-logs, process-metrics, process-traces, pubsub-sqs): read, write and delete in the data bucket, consume its notification queue, invoke Bedrock foundation models, assume the satellite access roles."
  name             = "${env.name_prefix}-process-task-role"
  description      = "Allows the Lakerunner process tier to ingest and transform telemetry"
  workload         = true # ECS tasks or EKS pods, as the environment's platform says
  default_services = ["process-logs", "process-metrics", "process-traces", "pubsub-sqs"]
  enabled          = contains([for s, k in env.services : k], "process-task")
  tags = {
    Component = "ECS"
    Type      = "TaskRole"
    Tier      = "process"
  }

  input "secrets" {
    type        = list(string)
    description = "Secrets the tier reads at run time: the database and license secrets."
    value       = concat(env.resources.database_secrets, env.resources.license_secrets)
  }

  input "s3_buckets" {
    type        = list(string)
    description = "The data buckets, by name (this account) or ARN."
    value       = env.resources.s3_buckets
  }

  input "sqs_queues" {
    type        = list(string)
    description = "The notification queues the tier consumes, by name (this account and region) or ARN."
    value       = env.resources.sqs_queues
  }

  input "bedrock" {
    type        = bool
    description = "Whether the tier may invoke Bedrock foundation models for enrichment."
    value       = env.bedrock
  }

  input "satellite_role_arns" {
    type        = list(string)
    description = "The satellite access roles the tier assumes to collect from source accounts; exactly those."
    value       = env.satellite_role_arns
  }

  input "log_groups" {
    type        = list(string)
    description = "The tier's own CloudWatch log groups, one per deployed service."
    value       = [for s, k in env.services : "/ecs/${env.name_prefix}/${s}" if k == "process-task"]
  }

  # Foundation models belong to no account, and Bedrock's cross-region
  # inference routes a request to the model in other regions.
  accept "LR004" {
    sid    = "InvokeBedrockFoundationModels"
    reason = "Foundation models are AWS-owned (no account in their ARN) and cross-region inference invokes them in other regions; the statement names only foundation models of the partition (CardinalHQ iam-roles.md)."
  }

  policy {
    name = "${env.name_prefix}-process-access"

    statement {
      sid       = "ReadSecrets"
      actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      resources = [for s in var.secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${endswith(s, "*") ? s : "${s}-??????"}"]
    }

    statement {
      sid       = "IngestBucketList"
      actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
      resources = [for b in var.s3_buckets : startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"]
    }

    statement {
      sid       = "IngestObjectsReadWrite"
      actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
      resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/*"]
    }

    statement {
      sid       = "IngestQueueConsume"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
      resources = [for q in var.sqs_queues : startswith(q, "arn:") ? q : "arn:${var.partition}:sqs:${var.region}:${var.account_id}:${q}"]
    }

    statement {
      sid       = "InvokeBedrockFoundationModels"
      enabled   = var.bedrock
      actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
      resources = ["arn:${var.partition}:bedrock:*::foundation-model/*"]
    }

    statement {
      sid       = "AssumeSatelliteRoles"
      enabled   = length(var.satellite_role_arns) > 0
      actions   = ["sts:AssumeRole"]
      resources = var.satellite_role_arns
    }

    statement {
      sid       = "CloudWatchLogs"
      actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      resources = [for g in var.log_groups : "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${g}:*"]
    }
  }

  # Required (CardinalHQ iam-roles.md, ProcessRole; the satellite design) and Must NOT.

  expect "read-secrets" {
    effect    = "allow"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [for s in var.secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${trimsuffix(s, "*")}-AbCdEf"]
  }

  expect "list-bucket" {
    effect    = "allow"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [for b in var.s3_buckets : startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"]
  }

  expect "read-write-objects" {
    effect    = "allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/otel-raw/logs/batch-0.binpb"]
  }

  expect "read-write-cooked" {
    effect    = "allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/db/part-0.parquet"]
  }

  expect "consume-queue" {
    effect    = "allow"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [for q in var.sqs_queues : startswith(q, "arn:") ? q : "arn:${var.partition}:sqs:${var.region}:${var.account_id}:${q}"]
  }

  expect "invoke-bedrock" {
    effect    = "allow"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = ["arn:${var.partition}:bedrock:${var.region}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"]
    enabled   = var.bedrock
  }

  expect "assume-satellites" {
    effect    = "allow"
    actions   = ["sts:AssumeRole"]
    resources = var.satellite_role_arns
    enabled   = length(var.satellite_role_arns) > 0
  }

  expect "write-logs" {
    effect    = "allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for g in var.log_groups : "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${g}:log-stream:task-0"]
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

  expect "no-bedrock" {
    effect    = "deny"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = ["arn:${var.partition}:bedrock:${var.region}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"]
    enabled   = !var.bedrock
  }

  # The binary never sends; S3 notifications feed the queue.
  expect "no-queue-send" {
    effect    = "deny"
    actions   = ["sqs:SendMessage"]
    resources = [for q in var.sqs_queues : startswith(q, "arn:") ? q : "arn:${var.partition}:sqs:${var.region}:${var.account_id}:${q}"]
  }

  expect "no-other-roles" {
    effect    = "deny"
    actions   = ["sts:AssumeRole"]
    resources = ["arn:${var.partition}:iam::${var.account_id}:role/not-a-satellite", "arn:${var.partition}:iam::999999999999:role/lakerunner-satellite-access-role"]
  }

  expect "no-other-buckets" {
    effect    = "deny"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:${var.partition}:s3:::not-lakerunner/db/part-0.parquet"]
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
