# service_accounts keys are the environment's workload role kinds.
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"
  eks {
    cluster_name = "lakerunner"
    identity     = "pod-identity"
    role_layout  = "per-role"
    service_accounts = {
      "data-tasks" = "lakerunner-data"
    }
  }
}
