# The task role of the OTLP gateway collector (otel-grpc), which writes raw
# telemetry under the raw prefix and never reads. CardinalHQ: iam-roles.md,
# "OtelRole" (permissions-lakerunner.md lists only logs; the collector's
# awss3 exporter writes, so it gets write-only access to the prefix).
role "otel-task" {
  summary          = "Task role of the OTLP gateway (otel-gateway): write raw telemetry under the raw prefix of the data bucket, and nothing else there."
  name             = "${env.name_prefix}-otel-task-role"
  description      = "Allows the Lakerunner OTLP gateway to write raw telemetry"
  default_services = ["otel-gateway"]
  enabled          = contains([for s, k in env.services : k], "otel-task")
  tags = {
    Component = "ECS"
    Type      = "TaskRole"
    Tier      = "otel"
  }

  trust {
    service    = "ecs-tasks.amazonaws.com"
    source_arn = "arn:${var.partition}:ecs:${var.region}:${var.account_id}:*"
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
}
