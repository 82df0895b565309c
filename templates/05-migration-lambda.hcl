# The Lambda function role that starts the migration task on each release.
# Console guide: "Lambda Roles (If Using Lambda)".
role "migration-lambda" {
  summary     = "Execution role of the Lambda function that runs the migration task: run, describe and stop ECS tasks and pass them their roles."
  name        = "${env.name_prefix}-migration-lambda-role"
  description = "Allows the Lakerunner migration Lambda function to run the migration ECS task"
  enabled     = env.lambda_migrations
  tags = {
    Component = "Lambda"
    Type      = "ExecutionRole"
  }

  trust {
    service = "lambda.amazonaws.com"
  }

  managed_policy "AWSLambdaBasicExecutionRole" {
    path = "service-role/"
  }

  input "passable_role_arns" {
    type        = list(string)
    description = "ARNs (or ARN patterns) of the roles the function may pass to the tasks it runs: the execution role and the task roles."
    value = [
      "arn:${env.partition}:iam::${env.account_id}:role${env.roles["ecs-execution"].path}${env.name_prefix}-*-execution-role",
      "arn:${env.partition}:iam::${env.account_id}:role${env.roles["migration-task"].path}${env.name_prefix}-*-task-role",
    ]
  }

  policy {
    name = "${env.name_prefix}-migration-lambda-ecs"

    statement {
      sid = "ECSTaskExecution"
      actions = [
        "ecs:RunTask",
        "ecs:DescribeTasks",
        "ecs:StopTask",
      ]
      resources = ["*"]
    }

    statement {
      sid       = "PassRole"
      actions   = ["iam:PassRole"]
      resources = var.passable_role_arns
    }
  }

  # Expectations (lakerunner-iam test): the function passes the migration
  # task its roles (RunTask's iam:PassRole carries iam:PassedToService),
  # and no other role (its own, for one). Which cluster it runs tasks in is
  # the spec's to narrow, so the catalog expects nothing of ecs:RunTask.
  expect "passes-migration-roles" {
    effect    = "allow"
    actions   = ["iam:PassRole"]
    resources = [replace(var.passable_role_arns[0], "*", "ecs"), replace(var.passable_role_arns[1], "*", "migration")]
    context   = { "iam:PassedToService" = ["ecs-tasks.amazonaws.com"] }
  }

  expect "passes-no-other-role" {
    effect    = "deny"
    actions   = ["iam:PassRole"]
    resources = ["arn:${var.partition}:iam::${var.account_id}:role${var.path}${var.name}"]
  }

  # Console guide, "Testing IAM Roles"; no Lakerunner role administers IAM.
  expect "no-iam-user-creation" {
    effect    = "deny"
    actions   = ["iam:CreateUser", "iam:CreateAccessKey"]
    resources = ["arn:${var.partition}:iam::${var.account_id}:user/lakerunner-escalation-test"]
  }
}
