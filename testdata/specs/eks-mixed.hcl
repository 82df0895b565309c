# One spec, two platforms: staging on ECS (Fargate), production on EKS with
# IRSA and a ServiceAccount per role kind. The workload templates get a
# module per trust shape: modules/<kind>/ for ECS tasks and
# modules/irsa/<kind>/ for the EKS pods.

environment "staging" {
  account_id = "444455556666"
  region     = "eu-west-1"
  resources {
    s3_buckets = ["lakerunner-staging"]
  }
}

environment "production" {
  account_id  = "777788889999"
  region      = "eu-west-1"
  platform    = "eks"
  name_prefix = "lr"

  eks {
    cluster_name             = "lakerunner-prod"
    identity                 = "irsa"
    oidc_issuer_url          = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
    oidc_provider_account_id = "111122223333"
    namespace                = "observability"
    role_layout              = "per-role"
    service_accounts = {
      "query-task" = "lakerunner-query"
    }
    wildcard_service_accounts = ["lakerunner-canary-*"]
  }

  msk_access = true

  resources {
    s3_buckets = ["lakerunner-prod"]
  }

  role "data-task" {
    trusted_principal_arns = ["arn:aws:iam::777788889999:role/break-glass"]
    statement {
      sid       = "ReadConfig"
      actions   = ["ssm:GetParameter"]
      resources = ["arn:aws:ssm:eu-west-1:777788889999:parameter/lakerunner/*"]
    }
  }

  service "pubsub-sqs" {}
  service "query-api" {}
  service "migration" {}
}
