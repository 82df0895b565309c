# The task role of maestro (with its dex and mcp-gateway containers).
# CardinalHQ: iam-roles.md, "MaestroRole".
role "maestro-task" {
  summary          = "Task role of maestro (and its dex and mcp-gateway containers): read the database, license and admin key secrets and write its logs."
  name             = "${env.name_prefix}-maestro-task-role"
  description      = "Allows Maestro to read its secrets"
  default_services = ["maestro"]
  enabled          = contains([for s, k in env.services : k], "maestro-task")
  tags = {
    Component = "ECS"
    Type      = "TaskRole"
    Tier      = "maestro"
  }

  trust {
    service    = "ecs-tasks.amazonaws.com"
    source_arn = "arn:${var.partition}:ecs:${var.region}:${var.account_id}:*"
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
}
