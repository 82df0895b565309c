# The task role of maestro (with its dex and mcp-gateway containers).
# CardinalHQ: iam-roles.md, "MaestroRole".
role "maestro-task" {
  summary          = "Task role of maestro (and its dex and mcp-gateway containers): read the database, license and admin key secrets and write its logs."
  name             = "${env.name_prefix}-maestro-task-role"
  description      = "Allows Maestro to read its secrets"
  workload         = true # ECS tasks or EKS pods, as the environment's platform says
  default_services = ["maestro"]
  enabled          = contains([for s, k in env.services : k], "maestro-task")
  tags = {
    Component = "ECS"
    Type      = "TaskRole"
    Tier      = "maestro"
  }

  input "secrets" {
    type        = list(string)
    description = "Secrets maestro reads at run time: the database, license and admin key secrets."
    value       = concat(env.resources.database_secrets, env.resources.license_secrets, env.resources.admin_key_secrets)
  }

  input "log_groups" {
    type        = list(string)
    description = "The tier's own CloudWatch log groups, one per deployed service."
    value       = [for s, k in env.services : "/ecs/${env.name_prefix}/${s}" if k == "maestro-task"]
  }

  policy {
    name = "${env.name_prefix}-maestro-access"

    statement {
      sid       = "ReadSecrets"
      actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      resources = [for s in var.secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${endswith(s, "*") ? s : "${s}-??????"}"]
    }

    statement {
      sid       = "CloudWatchLogs"
      actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
      resources = [for g in var.log_groups : "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${g}:*"]
    }
  }

  # Required (CardinalHQ iam-roles.md, MaestroRole) and Must NOT.

  expect "read-secrets" {
    effect    = "allow"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [for s in var.secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${trimsuffix(s, "*")}-AbCdEf"]
  }

  expect "write-logs" {
    effect    = "allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for g in var.log_groups : "arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${g}:log-stream:task-0"]
  }

  expect "no-s3-objects" {
    effect    = "deny"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["arn:${var.partition}:s3:::lakerunner-${var.account_id}-${var.region}/db/part-0.parquet"]
  }
  expect "no-s3-list" {
    effect    = "deny"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${var.partition}:s3:::lakerunner-${var.account_id}-${var.region}"]
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
