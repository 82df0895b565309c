# The task role of the process tier: process-logs, process-metrics,
# process-traces and pubsub-sqs. CardinalHQ: iam-roles.md, "ProcessRole";
# the satellite design for sts:AssumeRole.
role "process-task" {
  summary          = "Task role of the process tier (process-logs, process-metrics, process-traces, pubsub-sqs): read, write and delete in the data bucket, consume its notification queue, invoke Bedrock foundation models, assume the satellite access roles."
  name             = "${env.name_prefix}-process-task-role"
  description      = "Allows the Lakerunner process tier to ingest and transform telemetry"
  default_services = ["process-logs", "process-metrics", "process-traces", "pubsub-sqs"]
  enabled          = contains([for s, k in env.services : k], "process-task")
  tags = {
    Component = "ECS"
    Type      = "TaskRole"
    Tier      = "process"
  }

  trust {
    service    = "ecs-tasks.amazonaws.com"
    source_arn = "arn:${var.partition}:ecs:${var.region}:${var.account_id}:*"
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
}
