# identity is "irsa" or "pod-identity".
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"
  eks {
    cluster_name = "lakerunner"
    identity     = "kiam"
  }
}
