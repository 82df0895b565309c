# service_accounts names one ServiceAccount per kind: per-role layout only.
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"
  eks {
    cluster_name     = "lakerunner"
    identity         = "pod-identity"
    service_accounts = { "data-task" = "lakerunner-data" }
  }
}
