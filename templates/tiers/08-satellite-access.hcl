# The role of a satellite (source) account: the central install's process
# role assumes it to collect raw telemetry from the account's bucket and
# queue (pull model; nothing in the satellite calls out). CardinalHQ:
# 2026-05-31-multi-account-satellite-ingest-design.md.
role "satellite-access" {
  summary     = "Role of a satellite (source) account that exactly the central install's process role assumes, to read and delete raw telemetry in the account's bucket and consume its notification queue."
  name        = "${env.name_prefix}-satellite-access-role"
  description = "Allows the central Lakerunner process role to collect this account's raw telemetry"
  enabled     = env.satellite != null
  tags = {
    Component = "Satellite"
    Type      = "SatelliteAccessRole"
  }

  input "central_role_arns" {
    type        = list(string)
    description = "The central install's process role: the only principal that may assume this role."
    value       = [env.satellite.central_role_arn]
  }

  input "external_id" {
    type        = string
    description = "The sts:ExternalId the central role must present; empty disables the check (Lakerunner sends none)."
    value       = env.satellite.external_id
  }

  input "s3_buckets" {
    type        = list(string)
    description = "The satellite's raw bucket, by name or ARN."
    value       = env.resources.s3_buckets
  }

  input "sqs_queues" {
    type        = list(string)
    description = "The queue the raw bucket's notifications feed, by name (this account and region) or ARN."
    value       = env.resources.sqs_queues
  }

  trust {
    statement {
      sid     = "CentralProcessRole"
      actions = ["sts:AssumeRole"]
      principals {
        type        = "AWS"
        identifiers = var.central_role_arns
      }
      condition {
        enabled  = var.external_id != ""
        test     = "StringEquals"
        variable = "sts:ExternalId"
        values   = [var.external_id]
      }
    }
  }

  policy {
    name = "${env.name_prefix}-satellite-access"

    statement {
      sid       = "RawBucketList"
      actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
      resources = [for b in var.s3_buckets : startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"]
    }

    statement {
      sid       = "RawObjectsReadDelete"
      actions   = ["s3:GetObject", "s3:DeleteObject"]
      resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/*"]
    }

    statement {
      sid = "RawQueueConsume"
      actions = [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:GetQueueUrl",
        "sqs:ChangeMessageVisibility",
      ]
      resources = [for q in var.sqs_queues : startswith(q, "arn:") ? q : "arn:${var.partition}:sqs:${var.region}:${var.account_id}:${q}"]
    }
  }

  # What the central process role may do here, and nothing more.

  expect "list-bucket" {
    effect    = "allow"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [for b in var.s3_buckets : startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"]
  }

  expect "read-delete-raw" {
    effect    = "allow"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/otel-raw/logs/batch-0.binpb"]
  }

  expect "consume-queue" {
    effect    = "allow"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ChangeMessageVisibility"]
    resources = [for q in var.sqs_queues : startswith(q, "arn:") ? q : "arn:${var.partition}:sqs:${var.region}:${var.account_id}:${q}"]
  }

  expect "no-write" {
    effect    = "deny"
    actions   = ["s3:PutObject"]
    resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/otel-raw/logs/batch-0.binpb"]
  }

  expect "no-queue-send" {
    effect    = "deny"
    actions   = ["sqs:SendMessage", "sqs:PurgeQueue"]
    resources = [for q in var.sqs_queues : startswith(q, "arn:") ? q : "arn:${var.partition}:sqs:${var.region}:${var.account_id}:${q}"]
  }

  expect "no-other-buckets" {
    effect    = "deny"
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = ["arn:${var.partition}:s3:::not-the-raw-bucket/otel-raw/logs/batch-0.binpb"]
  }

  expect "no-bedrock" {
    effect    = "deny"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = ["arn:${var.partition}:bedrock:${var.region}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"]
  }

  expect "no-iam" {
    effect    = "deny"
    actions   = ["iam:PassRole", "iam:CreateUser"]
    resources = ["arn:${var.partition}:iam::${var.account_id}:role/${var.name}", "arn:${var.partition}:iam::${var.account_id}:user/escalation"]
  }
}
