# The shared ECS task execution role of today's Lakerunner: ECS uses it at
# task launch to pull images, write the bootstrap log stream and inject the
# secrets and parameters task definitions reference. CardinalHQ:
# docs/operations/iam-roles.md, "ExecutionRole".
role "ecs-execution" {
  summary        = "Shared ECS task execution role: pulls images, writes container logs and injects the install's secrets (and SSM parameters, when a container resolves one) into every Lakerunner task."
  name           = "${env.name_prefix}-ecs-execution-role"
  description    = "Allows ECS to start Lakerunner tasks: pull images, write logs, inject secrets"
  execution_role = true
  # Only an environment that runs Lakerunner services needs it.
  enabled = length(env.services) > 0
  tags = {
    Component = "ECS"
    Type      = "ExecutionRole"
  }

  trust {
    service    = "ecs-tasks.amazonaws.com"
    source_arn = "arn:${var.partition}:ecs:${var.region}:${var.account_id}:*"
  }

  managed_policy "AmazonECSTaskExecutionRolePolicy" {
    path = "service-role/"
  }

  input "secrets" {
    type        = list(string)
    description = "Names of the Secrets Manager secrets task definitions inject. A name that does not end in a wildcard matches exactly the six-character suffix Secrets Manager appends."
    value       = env.resources.secrets
  }

  input "ssm_parameter_paths" {
    type        = list(string)
    description = "SSM Parameter Store paths (starting and ending with \"/\") whose parameters task definitions inject; empty when no container resolves one."
    value       = env.resources.ssm_parameter_paths
  }

  policy {
    name = "${env.name_prefix}-execution-secrets"

    statement {
      sid       = "ResolveSecrets"
      actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      resources = [for s in var.secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${endswith(s, "*") ? s : "${s}-??????"}"]
    }

    statement {
      sid       = "ResolveParameters"
      enabled   = length(var.ssm_parameter_paths) > 0
      actions   = ["ssm:GetParameter", "ssm:GetParameters"]
      resources = [for p in var.ssm_parameter_paths : "arn:${var.partition}:ssm:${var.region}:${var.account_id}:parameter${p}*"]
    }
  }

  # Required (CardinalHQ iam-roles.md, ExecutionRole) and what it must not do.

  expect "read-secrets" {
    effect    = "allow"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [for s in var.secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${trimsuffix(s, "*")}-AbCdEf"]
  }

  # From AmazonECSTaskExecutionRolePolicy.
  expect "pull-images" {
    effect    = "allow"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  expect "resolve-parameters" {
    effect    = "allow"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = [for p in var.ssm_parameter_paths : "arn:${var.partition}:ssm:${var.region}:${var.account_id}:parameter${trimsuffix(p, "*")}storage-profiles"]
    enabled   = length(var.ssm_parameter_paths) > 0
  }

  expect "no-parameters" {
    effect    = "deny"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = ["arn:${var.partition}:ssm:${var.region}:${var.account_id}:parameter/lakerunner/storage-profiles"]
    enabled   = length(var.ssm_parameter_paths) == 0
  }

  expect "no-other-secrets" {
    effect    = "deny"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:other-application-AbCdEf"]
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

  expect "no-iam" {
    effect    = "deny"
    actions   = ["iam:PassRole", "iam:CreateUser"]
    resources = ["arn:${var.partition}:iam::${var.account_id}:role/${var.name}", "arn:${var.partition}:iam::${var.account_id}:user/escalation"]
  }
}
