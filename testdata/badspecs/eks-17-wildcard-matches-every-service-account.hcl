# A bare "*" lets every pod of the namespace assume the roles.
environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"

  eks {
    cluster_name              = "lakerunner"
    identity                  = "irsa"
    oidc_issuer_url           = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    wildcard_service_accounts = ["*"]
  }
}
