catalog = "tiers"

environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  # Written by lakerunner-iam import from the roles the account has: gen --adopt
  # imports them, and the first plan changes nothing.
  adopt = true
  service "process-logs" {
  }
  service "query-api" {
  }
  service "sweeper" {
  }
  service "otel-gateway" {
  }
  service "migration" {
  }
  service "maestro" {
  }

  resources {
    s3_buckets       = ["lakerunner-123456789012-us-east-1"]
    sqs_queues       = ["lakerunner-ingest"]
    secrets          = ["lakerunner-db", "lakerunner-license", "lakerunner-admin-key"]
    database_secrets = ["lakerunner-db"]
  }

  role "process-task" {
    description = ""
    policy_name = "process-policy"
  }
}
