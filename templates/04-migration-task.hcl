# The task role of the one-off database migration task. Console guide: "4.
# Migration Task Role".
role "migration-task" {
  summary          = "Task role for the database migration task that runs once per release: read the database credentials and write the migration's logs."
  name             = "${env.name_prefix}-migration-task-role"
  description      = "Allows database migration tasks to access credentials"
  workload         = true # ECS tasks or EKS pods, as the environment's platform says
  default_services = ["migration"]
  tags = {
    Component = "ECS"
    Type      = "TaskRole"
  }

  input "database_secrets" {
    type        = list(string)
    description = "Names or name patterns of the Secrets Manager secrets holding the database credentials. A name that does not end in a wildcard also matches the six-character suffix Secrets Manager appends."
    value       = env.resources.database_secrets
  }

  input "log_group" {
    type        = string
    description = "The CloudWatch log group the migration task writes to."
    value       = env.resources.migration_log_group
  }

  policy {
    name = "${env.name_prefix}-migration-access"

    statement {
      sid       = "SecretsAccess"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [for s in var.database_secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${endswith(s, "*") ? s : "${s}-*"}"]
    }

    statement {
      sid = "CloudWatchLogs"
      actions = [
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ]
      resources = ["arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${var.log_group}:*"]
    }
  }

  # Expectations (lakerunner-iam test).
  expect "reads-database-secret" {
    effect    = "allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [for s in var.database_secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${replace(s, "*", "db")}-AbCdEf"]
  }

  expect "writes-migration-logs" {
    effect    = "allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:${var.log_group}:log-stream:migration"]
  }

  # Console guide, "Testing IAM Roles"; no Lakerunner role administers IAM.
  expect "no-iam-user-creation" {
    effect    = "deny"
    actions   = ["iam:CreateUser", "iam:CreateAccessKey"]
    resources = ["arn:${var.partition}:iam::${var.account_id}:user/lakerunner-escalation-test"]
  }
}
