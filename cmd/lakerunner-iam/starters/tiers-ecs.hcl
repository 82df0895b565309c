# Lakerunner IAM spec, written by `lakerunner-iam init` (catalog tiers,
# platform ecs): today's Lakerunner, one task role per tier. Set account_id,
# region and the resources to yours, then:
#
#   lakerunner-iam lint   # what the roles may do, and what to narrow
#   lakerunner-iam gen    # writes out/: a module per role, a root per environment
#   cd out/production && terraform init && terraform apply
#
# Every attribute is in lakerunner-iam's README ("A spec").

catalog = "tiers"

environment "production" {
  account_id = "123456789012" # yours, as a string (leading zeros count)
  region     = "us-east-1"

  # What the roles are scoped to: names, not ARNs; IAM wildcards * and ? work.
  resources {
    s3_buckets        = ["lakerunner-123456789012-us-east-1"] # the data lake bucket
    sqs_queues        = ["lakerunner-ingest"]                 # its object-created notifications
    database_secrets  = ["lakerunner-database-secret"]
    license_secrets   = ["lakerunner-license"]
    admin_key_secrets = ["lakerunner-admin-key"]
  }

  # The services you deploy. A tier's role is generated only when one of
  # its services is deployed; remove the services you do not run.
  service "process-logs" {}    # process-task
  service "process-metrics" {} # process-task
  service "process-traces" {}  # process-task
  service "pubsub-sqs" {}      # process-task
  service "sweeper" {}         # control-task
  service "monitoring" {}      # control-task
  service "admin-api" {}       # control-task
  service "alert-evaluator" {} # control-task
  service "query-api" {}       # query-task
  service "query-worker" {}    # query-task
  service "migration" {}       # migration-task
  service "otel-gateway" {}    # otel-task
  service "maestro" {}         # maestro-task

  # bedrock = false  # the process tier may not invoke Bedrock models
}

# A satellite account holds raw telemetry for the environment above; its
# role lets the process tier read it.
# environment "satellite" {
#   account_id   = "210987654321"
#   region       = "us-east-1"
#   satellite_of = "production"
#   resources {
#     s3_buckets = ["lakerunner-raw-210987654321"]
#     sqs_queues = ["lakerunner-raw-notifications"]
#   }
# }
