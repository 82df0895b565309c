# The task role of the migration service, which runs `lakerunner migrate`
# as an ECS service (no Lambda in today's product). CardinalHQ: iam-roles.md,
# "MigrationRole".
role "migration-task" {
  summary          = "Task role of the migration service (lakerunner migrate as an ECS task): read the database secret and write its logs."
  name             = "${env.name_prefix}-migration-task-role"
  description      = "Allows the Lakerunner migration task to read its database secret"
  default_services = ["migration"]
  enabled          = contains([for s, k in env.services : k], "migration-task")
  tags = {
    Component = "ECS"
    Type      = "TaskRole"
    Tier      = "migration"
  }

  trust {
    service    = "ecs-tasks.amazonaws.com"
    source_arn = "arn:${var.partition}:ecs:${var.region}:${var.account_id}:*"
  }

  input "secrets" {
    type        = list(string)
    description = "Secrets the migration reads at run time: the database secret."
    value       = env.resources.database_secrets
  }

  input "log_groups" {
    type        = list(string)
    description = "The tier's own CloudWatch log groups, one per deployed service."
    value       = [for s, k in env.services : "/ecs/${env.name_prefix}/${s}" if k == "migration-task"]
  }

  policy {
    name = "${env.name_prefix}-migration-access"

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
}
