# The task role of query-api and query-worker. Console guide: "3. Query
# Service Task Role".
role "query-task" {
  summary          = "Task role for query-api and query-worker: read the data lake bucket, discover and scale query workers in the ECS cluster, write logs and metrics."
  name             = "${env.name_prefix}-query-task-role"
  description      = "Allows Lakerunner query services to access data and manage workers"
  workload         = true # ECS tasks or EKS pods, as the environment's platform says
  default_services = ["query-api", "query-worker"]
  tags = {
    Component = "ECS"
    Type      = "TaskRole"
  }

  input "s3_buckets" {
    type        = list(string)
    description = "Names or name patterns of the S3 buckets the query services read."
    value       = env.resources.s3_buckets
  }

  input "ecs_cluster" {
    type        = string
    description = "Name of the ECS cluster whose services and tasks the query services may describe and update."
    value       = env.resources.ecs_cluster
  }

  policy {
    name = "${env.name_prefix}-query-access"

    statement {
      sid = "S3ReadAccess"
      actions = [
        "s3:GetObject",
        "s3:ListBucket",
        "s3:GetBucketLocation",
      ]
      resources = flatten([for b in var.s3_buckets : ["arn:${var.partition}:s3:::${b}", "arn:${var.partition}:s3:::${b}/*"]])
    }

    statement {
      sid = "ECSServiceManagement"
      actions = [
        "ecs:DescribeServices",
        "ecs:UpdateService",
        "ecs:DescribeTasks",
        "ecs:ListTasks",
      ]
      resources = ["*"]
      condition {
        test     = "StringEquals"
        variable = "ecs:cluster"
        values   = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:cluster/${var.ecs_cluster}"]
      }
    }

    statement {
      sid = "AutoScaling"
      actions = [
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:DescribeScalingPolicies",
        "application-autoscaling:PutScalingPolicy",
        "application-autoscaling:RegisterScalableTarget",
      ]
      resources = ["*"]
    }

    statement {
      sid = "CloudWatchAccess"
      actions = [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "cloudwatch:PutMetricData",
      ]
      resources = ["*"]
    }
  }

  # Expectations (lakerunner-iam test). Console guide, "Testing IAM Roles":
  # the query role reads the bucket, and only reads it.
  expect "lists-bucket" {
    effect    = "allow"
    actions   = ["s3:ListBucket", "s3:GetBucketLocation"]
    resources = [for b in var.s3_buckets : "arn:${var.partition}:s3:::${replace(b, "*", "${var.account_id}-${var.region}")}"]
  }

  expect "reads-objects" {
    effect    = "allow"
    actions   = ["s3:GetObject"]
    resources = [for b in var.s3_buckets : "arn:${var.partition}:s3:::${replace(b, "*", "${var.account_id}-${var.region}")}/expect/object"]
  }

  expect "only-reads-objects" {
    effect    = "deny"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = [for b in var.s3_buckets : "arn:${var.partition}:s3:::${replace(b, "*", "${var.account_id}-${var.region}")}/expect/object"]
  }

  expect "discovers-workers" {
    effect    = "allow"
    actions   = ["ecs:ListTasks", "ecs:DescribeTasks", "ecs:DescribeServices"]
    resources = ["*"]
    context   = { "ecs:cluster" = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:cluster/${var.ecs_cluster}"] }
  }

  expect "no-other-cluster" {
    effect    = "deny"
    actions   = ["ecs:ListTasks", "ecs:UpdateService"]
    resources = ["*"]
    context   = { "ecs:cluster" = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:cluster/${var.ecs_cluster}-other"] }
  }

  # Console guide, "Testing IAM Roles"; no Lakerunner role administers IAM.
  expect "no-iam-user-creation" {
    effect    = "deny"
    actions   = ["iam:CreateUser", "iam:CreateAccessKey"]
    resources = ["arn:${var.partition}:iam::${var.account_id}:user/lakerunner-escalation-test"]
  }
}
