# The task role of the query tier: query-api and query-worker. CardinalHQ:
# iam-roles.md, "QueryRole".
role "query-task" {
  summary          = "Task role of the query tier (query-api, query-worker): read the data bucket and discover query workers in the ECS cluster."
  name             = "${env.name_prefix}-query-task-role"
  description      = "Allows the Lakerunner query tier to read data and discover its workers"
  workload         = true # ECS tasks or EKS pods, as the environment's platform says
  default_services = ["query-api", "query-worker"]
  enabled          = contains([for s, k in env.services : k], "query-task")
  tags = {
    Component = "ECS"
    Type      = "TaskRole"
    Tier      = "query"
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

  input "ecs_cluster" {
    type        = string
    description = "Name of the ECS cluster whose tasks query-api discovers."
    value       = env.resources.ecs_cluster
  }

  input "log_groups" {
    type        = list(string)
    description = "The tier's own CloudWatch log groups, one per deployed service."
    value       = [for s, k in env.services : "/ecs/${env.name_prefix}/${s}" if k == "query-task"]
  }

  policy {
    name = "${env.name_prefix}-query-access"

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
      sid       = "IngestObjectsRead"
      actions   = ["s3:GetObject"]
      resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/*"]
    }

    statement {
      sid     = "DescribeWorkerTasks"
      actions = ["ecs:DescribeServices", "ecs:DescribeTasks"]
      resources = [
        "arn:${var.partition}:ecs:${var.region}:${var.account_id}:service/${var.ecs_cluster}/*",
        "arn:${var.partition}:ecs:${var.region}:${var.account_id}:task/${var.ecs_cluster}/*",
      ]
      condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:cluster/${var.ecs_cluster}"]
      }
    }

    # ecs:ListTasks lists a cluster's tasks and has no task ARN to scope by;
    # ArnEquals ecs:cluster is what limits it to the install's cluster.
    statement {
      sid       = "ListWorkerTasks"
      actions   = ["ecs:ListTasks"]
      resources = ["*"]
      condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:cluster/${var.ecs_cluster}"]
      }
    }

    statement {
      sid       = "CloudWatchLogs"
      actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      resources = [for g in var.log_groups : "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${g}:*"]
    }
  }

  # Required (CardinalHQ iam-roles.md, QueryRole) and Must NOT.

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

  expect "read-objects" {
    effect    = "allow"
    actions   = ["s3:GetObject"]
    resources = [for b in var.s3_buckets : "${startswith(b, "arn:") ? b : "arn:${var.partition}:s3:::${b}"}/db/part-0.parquet"]
  }

  expect "describe-services" {
    effect    = "allow"
    actions   = ["ecs:DescribeServices"]
    resources = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:service/${var.ecs_cluster}/query-worker"]
    context   = { "ecs:cluster" = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:cluster/${var.ecs_cluster}"] }
  }

  expect "describe-tasks" {
    effect    = "allow"
    actions   = ["ecs:DescribeTasks"]
    resources = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:task/${var.ecs_cluster}/0123456789abcdef"]
    context   = { "ecs:cluster" = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:cluster/${var.ecs_cluster}"] }
  }

  expect "list-tasks" {
    effect    = "allow"
    actions   = ["ecs:ListTasks"]
    resources = ["*"]
    context   = { "ecs:cluster" = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:cluster/${var.ecs_cluster}"] }
  }

  expect "write-logs" {
    effect    = "allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for g in var.log_groups : "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${g}:log-stream:task-0"]
  }

  expect "no-s3-write" {
    effect    = "deny"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
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

  expect "no-update-service" {
    effect    = "deny"
    actions   = ["ecs:UpdateService"]
    resources = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:service/${var.ecs_cluster}/query-worker"]
    context   = { "ecs:cluster" = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:cluster/${var.ecs_cluster}"] }
  }

  expect "no-other-cluster" {
    effect    = "deny"
    actions   = ["ecs:ListTasks", "ecs:DescribeTasks"]
    resources = ["*", "arn:${var.partition}:ecs:${var.region}:${var.account_id}:task/other-cluster/0123456789abcdef"]
    context   = { "ecs:cluster" = ["arn:${var.partition}:ecs:${var.region}:${var.account_id}:cluster/other-cluster"] }
  }

  expect "no-autoscaling" {
    effect    = "deny"
    actions   = ["application-autoscaling:RegisterScalableTarget", "application-autoscaling:PutScalingPolicy"]
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
