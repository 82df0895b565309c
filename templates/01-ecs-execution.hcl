# The ECS task execution role: the ECS agent uses it to pull images, write
# container logs and read the secrets and parameters a task definition
# references. Console guide: "1. ECS Task Execution Role".
role "ecs-execution" {
  summary        = "ECS task execution role: pulls images, writes container logs and reads the secrets and SSM parameters that Lakerunner task definitions reference."
  name           = "${env.name_prefix}-ecs-execution-role"
  description    = "Allows ECS tasks to pull images and write logs"
  execution_role = true
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
    description = "Names or name patterns of the Secrets Manager secrets task definitions inject. A name that does not end in a wildcard also matches the six-character suffix Secrets Manager appends."
    value       = env.resources.secrets
  }

  input "ssm_parameter_paths" {
    type        = list(string)
    description = "SSM Parameter Store paths (starting and ending with \"/\") whose parameters task definitions inject."
    value       = env.resources.ssm_parameter_paths
  }

  input "kms_key_arns" {
    type        = list(string)
    description = "KMS keys that encrypt those secrets and parameters; [\"*\"] allows any key, still only through Secrets Manager and SSM (kms:ViaService)."
    value       = env.resources.kms_key_arns
  }

  policy {
    name = "${env.name_prefix}-execution-secrets-access"

    statement {
      sid       = "SecretsManagerAccess"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [for s in var.secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${endswith(s, "*") ? s : "${s}-*"}"]
    }

    statement {
      sid = "ParameterStoreAccess"
      actions = [
        "ssm:GetParameter",
        "ssm:GetParameters",
        "ssm:GetParametersByPath",
      ]
      resources = [for p in var.ssm_parameter_paths : "arn:${var.partition}:ssm:${var.region}:${var.account_id}:parameter${p}*"]
    }

    statement {
      sid = "KMSDecrypt"
      actions = [
        "kms:Decrypt",
        "kms:DescribeKey",
      ]
      resources = var.kms_key_arns
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values = [
          "secretsmanager.${var.region}.${var.partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"}",
          "ssm.${var.region}.${var.partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"}",
        ]
      }
    }

    statement {
      sid = "ECRAccess"
      actions = [
        "ecr:GetAuthorizationToken",
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage",
      ]
      resources = ["*"]
    }
  }

  # Expectations (lakerunner-iam test). Representative resources: the
  # install's own secrets and parameters, named from its patterns.
  expect "pulls-images" {
    effect    = "allow"
    actions   = ["ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = ["*"]
  }

  expect "writes-container-logs" {
    effect    = "allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:${var.partition}:logs:${var.region}:${var.account_id}:log-group:/ecs/lakerunner:log-stream:task"]
  }

  expect "reads-secrets" {
    effect    = "allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [for s in var.secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${replace(s, "*", "db")}-AbCdEf"]
  }

  expect "reads-parameters" {
    effect    = "allow"
    actions   = ["ssm:GetParameters"]
    resources = [for p in var.ssm_parameter_paths : "arn:${var.partition}:ssm:${var.region}:${var.account_id}:parameter${p}license"]
  }

  expect "no-secret-writes" {
    effect    = "deny"
    actions   = ["secretsmanager:PutSecretValue", "secretsmanager:DeleteSecret"]
    resources = [for s in var.secrets : "arn:${var.partition}:secretsmanager:${var.region}:${var.account_id}:secret:${replace(s, "*", "db")}-AbCdEf"]
  }

  # Console guide, "Testing IAM Roles"; no Lakerunner role administers IAM.
  expect "no-iam-user-creation" {
    effect    = "deny"
    actions   = ["iam:CreateUser", "iam:CreateAccessKey"]
    resources = ["arn:${var.partition}:iam::${var.account_id}:user/lakerunner-escalation-test"]
  }
}
