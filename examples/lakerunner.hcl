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
}
