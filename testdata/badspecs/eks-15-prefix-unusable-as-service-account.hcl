# Per-role ServiceAccounts default to "<name_prefix>-<kind>": a Kubernetes name.
environment "prod" {
  account_id  = "123456789012"
  region      = "us-east-1"
  platform    = "eks"
  name_prefix = "Lakerunner"
  resources {
    s3_buckets = ["lakerunner-data"]
    sqs_queues = ["lakerunner-ingest"]
  }
  eks {
    cluster_name = "lakerunner"
    identity     = "pod-identity"
    role_layout  = "per-role"
    service_accounts = {
      "data-task"      = "lakerunner-data"
      "query-task"     = "lakerunner-query"
    }
  }
}
