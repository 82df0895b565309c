# IRSA needs the cluster's OIDC issuer URL.
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"
  eks {
    cluster_name = "lakerunner"
    identity     = "irsa"
  }
}
