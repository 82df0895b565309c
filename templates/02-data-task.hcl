# The task role of the services that move and transform data. Console guide:
# "2. Data Processing Task Role".
role "data-task" {
  summary          = "Task role for the Lakerunner services that process data: read and write the data lake bucket, consume and produce its SQS notifications, write logs and metrics."
  name             = "${env.name_prefix}-data-task-role"
  description      = "Allows Lakerunner data processing services to access AWS resources"
  workload         = true # ECS tasks or EKS pods, as the environment's platform says
  default_services = ["pubsub-sqs", "ingest-logs", "ingest-metrics", "ingest-traces", "compact-logs", "compact-metrics", "compact-traces", "rollup-metrics", "sweeper"]
  tags = {
    Component = "ECS"
    Type      = "TaskRole"
  }

  input "s3_buckets" {
    type        = list(string)
    description = "Names or name patterns of the S3 buckets the data services read and write."
    value       = env.resources.s3_buckets
  }

  input "sqs_queues" {
    type        = list(string)
    description = "Names or name patterns of the SQS queues the data services consume and produce."
    value       = env.resources.sqs_queues
  }

  input "log_groups" {
    type        = list(string)
    description = "CloudWatch log groups the services may write to; empty allows every log group of the account, as the console guide does."
    value       = env.resources.log_groups
  }

  input "metrics_namespace" {
    type        = string
    description = "The only CloudWatch metrics namespace the services may publish to."
    value       = env.resources.metrics_namespace
  }

  policy {
    name = "${env.name_prefix}-data-access"

    statement {
      sid = "S3Access"
      actions = [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
        "s3:GetBucketLocation",
        "s3:ListBucketMultipartUploads",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
      ]
      resources = flatten([for b in var.s3_buckets : ["arn:${var.partition}:s3:::${b}", "arn:${var.partition}:s3:::${b}/*"]])
    }

    statement {
      sid = "SQSAccess"
      actions = [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",
        "sqs:GetQueueUrl",
        "sqs:SendMessage",
      ]
      resources = [for q in var.sqs_queues : "arn:${var.partition}:sqs:${var.region}:${var.account_id}:${q}"]
    }

    statement {
      sid = "CloudWatchLogs"
      actions = [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "logs:DescribeLogStreams",
      ]
      resources = length(var.log_groups) == 0 ? ["arn:${var.partition}:logs:${var.region}:${var.account_id}:*"] : flatten([for g in var.log_groups : ["arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${g}", "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${g}:*"]])
    }

    statement {
      sid       = "CloudWatchMetrics"
      actions   = ["cloudwatch:PutMetricData"]
      resources = ["*"]
      condition {
        test     = "StringEquals"
        variable = "cloudwatch:namespace"
        values   = [var.metrics_namespace]
      }
    }
  }

  # Expectations (lakerunner-iam test). Console guide, "Testing IAM Roles":
  # the data role lists and uses its bucket (aws s3 ls s3://lakerunner-
  # {accountId}-{region}/), which patterns such as "lakerunner-*" name.
  expect "lists-bucket" {
    effect    = "allow"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [for b in var.s3_buckets : "arn:${var.partition}:s3:::${replace(b, "*", "${var.account_id}-${var.region}")}"]
  }

  expect "reads-and-writes-objects" {
    effect    = "allow"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = [for b in var.s3_buckets : "arn:${var.partition}:s3:::${replace(b, "*", "${var.account_id}-${var.region}")}/expect/object"]
  }

  expect "consumes-queue" {
    effect    = "allow"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"]
    resources = [for q in var.sqs_queues : "arn:${var.partition}:sqs:${var.region}:${var.account_id}:${replace(q, "*", "events")}"]
  }

  expect "publishes-metrics" {
    effect    = "allow"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    context   = { "cloudwatch:namespace" = [var.metrics_namespace] }
  }

  expect "no-metrics-elsewhere" {
    effect    = "deny"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    context   = { "cloudwatch:namespace" = ["AWS/EC2"] }
  }

  # Console guide, "Testing IAM Roles"; no Lakerunner role administers IAM.
  expect "no-iam-user-creation" {
    effect    = "deny"
    actions   = ["iam:CreateUser", "iam:CreateAccessKey"]
    resources = ["arn:${var.partition}:iam::${var.account_id}:user/lakerunner-escalation-test"]
  }
}
