# Lakerunner as CardinalHQ deploys it today (CloudFormation, image v1.81):
# one shared ECS execution role and one task role per tier, and a
# satellite account whose raw telemetry the central process tier collects.
# `lakerunner-iam gen examples/lakerunner-tiers.hcl` writes one root per
# environment: production/ and acme-logs/.
catalog = "tiers"

environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"
  compute    = "fargate"

  # The process tier may invoke Bedrock foundation models (the default).
  bedrock = true

  resources {
    s3_buckets        = ["lakerunner-123456789012-us-east-1"]
    sqs_queues        = ["lakerunner-ingest"]
    ecs_cluster       = "lakerunner-cluster"
    database_secrets  = ["lakerunner-db"]
    license_secrets   = ["lakerunner-license"]
    admin_key_secrets = ["lakerunner-admin-key"]
  }

  # Every tier's services; each runs under its tier's task role and the
  # shared execution role.
  service "process-logs" {}
  service "process-metrics" {}
  service "process-traces" {}
  service "pubsub-sqs" {}
  service "sweeper" {}
  service "monitoring" {}
  service "admin-api" {}
  service "alert-evaluator" {}
  service "query-api" {}
  service "query-worker" {}
  service "migration" {}
  service "otel-gateway" {}
  service "maestro" {}
}

# A source account: its raw bucket and the queue its S3 notifications feed.
# Its root creates lakerunner-satellite-access-role, which only production's
# process role may assume; production's root outputs what Lakerunner's
# storage profile needs (queue URL, region, role ARN). No ExternalId:
# Lakerunner sends none.
environment "acme-logs" {
  account_id   = "210987654321"
  region       = "us-west-2"
  satellite_of = "production"

  resources {
    s3_buckets = ["acme-otel-raw"]
    sqs_queues = ["acme-otel-raw-notify"]
  }
}
