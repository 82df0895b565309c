# Tier roles made by hand from REFERENCE.md section 8: the production
# environment of examples/lakerunner-tiers.hcl, with names the console
# would give the inline policies and no descriptions.
catalog = "tiers"

environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  resources {
    s3_buckets        = ["lakerunner-123456789012-us-east-1"]
    sqs_queues        = ["lakerunner-ingest"]
    ecs_cluster       = "lakerunner-cluster"
    database_secrets  = ["lakerunner-db"]
    license_secrets   = ["lakerunner-license"]
    admin_key_secrets = ["lakerunner-admin-key"]
  }

  service "process-logs" {}
  service "query-api" {}
  service "sweeper" {}
  service "otel-gateway" {}
  service "migration" {}
  service "maestro" {}

  role "process-task" {
    description = ""
    policy_name = "process-policy"
  }
}
