# In the shared layout the workload kinds are one role: a boundary on one
# kind would apply to nothing, so gen refuses it instead of dropping it.
environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"

  eks {
    cluster_name    = "lakerunner"
    identity        = "pod-identity"
    service_account = "lakerunner"
  }

  role "query-task" {
    permissions_boundary = "arn:aws:iam::123456789012:policy/boundary"
  }
}
