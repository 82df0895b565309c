# Lakerunner deployment spec: every IAM role of the Lakerunner IAM console
# guide, with every optional part enabled. `make gen` turns it into out/.
#
# Values left out take the guide's defaults: name prefix "lakerunner",
# buckets, queues and secrets "lakerunner-*", SSM path "/lakerunner/",
# cluster "lakerunner-cluster", MSK cluster "lakerunner-msk", metrics
# namespace "Lakerunner".

environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  # EC2 container instances: adds the ECS instance role and its instance
  # profile. Use "fargate" (the default) to leave them out.
  compute = "ec2"

  # Optional parts of the guide.
  lambda_migrations = true # the migration Lambda function's role
  msk_access        = true # the MSK access role, for MSK with IAM auth

  # Service-linked roles AWS otherwise creates on first use. Leave out the
  # ones your account already has: IAM refuses to create them twice.
  service_linked_roles = [
    "ecs.amazonaws.com",
    "ecs.application-autoscaling.amazonaws.com",
    "rds.amazonaws.com",
  ]

  tags = {
    Environment = "lakerunner"
  }

  # What the roles are scoped to. These are the guide's patterns; real
  # deployments usually name one bucket and one queue exactly.
  resources {
    s3_buckets       = ["lakerunner-*"]
    sqs_queues       = ["lakerunner-*"]
    secrets          = ["lakerunner-*"]
    database_secrets = ["lakerunner-database-secret"]
    ecs_cluster      = "lakerunner-cluster"
    msk_cluster      = "lakerunner-msk"
  }

  # Principals of another account may assume lakerunner-cross-account-role,
  # presenting this ExternalId.
  cross_account {
    trusted_account_ids = ["210987654321"]
    external_id         = "unique-external-id"
  }

  # Each deployed service and the role its tasks run under; every task also
  # gets the ECS execution role.
  service "pubsub-sqs" { task_role = "data-task" }
  service "ingest-logs" { task_role = "data-task" }
  service "ingest-metrics" { task_role = "data-task" }
  service "ingest-traces" { task_role = "data-task" }
  service "compact-logs" { task_role = "data-task" }
  service "compact-metrics" { task_role = "data-task" }
  service "compact-traces" { task_role = "data-task" }
  service "rollup-metrics" { task_role = "data-task" }
  service "sweeper" { task_role = "data-task" }
  service "query-api" { task_role = "query-task" }
  service "query-worker" { task_role = "query-task" }
  service "migration" { task_role = "migration-task" }

  # This spec reproduces the console guide, over-grants included, so it
  # accepts the guide's statements that `lakerunner-iam lint` reports; each
  # reason says why the guide grants it. A real deployment narrows them
  # instead: a statement block with the same sid replaces the guide's (see
  # examples/local-kecs.hcl).
  role "ecs-execution" {
    accept "LR003" {
      sid    = "ECRAccess"
      reason = "The guide pulls images from any repository; AmazonECSTaskExecutionRolePolicy grants the same on \"*\"."
    }
  }
  role "data-task" {
    accept "LR004" {
      sid    = "CloudWatchLogs"
      reason = "The guide lets the data services write to every log group of the account; resources.log_groups narrows it."
    }
  }
  role "query-task" {
    accept "LR003" {
      sid    = "AutoScaling"
      reason = "query-api scales its workers; the guide grants it on \"*\" as the scalable targets are created at deploy time."
    }
    accept "LR003" {
      sid    = "CloudWatchAccess"
      reason = "The guide lets the query services write to every log group and metrics namespace."
    }
  }
  role "migration-lambda" {
    accept "LR003" {
      sid    = "ECSTaskExecution"
      reason = "The guide lets the migration function run, describe and stop any task; its task definition is registered at deploy time."
    }
    accept "LR006" {
      sid    = "PassRole"
      reason = "The guide limits PassRole to the Lakerunner execution and task roles but not to ecs-tasks.amazonaws.com."
    }
    accept "LR010" {
      reason = "The guide's Lambda trust has no aws:SourceArn; the function is created after the role."
    }
  }
  role "msk-access" {
    accept "LR013" {
      sid    = "MSKTopicAccess"
      reason = "The guide grants the topic actions by pattern (kafka-cluster:*Topic)."
    }
  }
}
