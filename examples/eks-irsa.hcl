# Lakerunner on EKS with IAM roles for service accounts (IRSA), deployed
# with CardinalHQ's Helm chart: every pod runs under the chart's single
# ServiceAccount "lakerunner", so one role gets what every Lakerunner
# service needs. `lakerunner-iam gen` writes the role and
# out/production/helm/values.yaml, which annotates the ServiceAccount with
# the role's ARN for `helm install -f`.

environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"

  eks {
    cluster_name = "lakerunner"
    identity     = "irsa"
    # aws eks describe-cluster --name lakerunner --query cluster.identity.oidc.issuer
    oidc_issuer_url = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    namespace       = "lakerunner"
    role_layout     = "shared"
    service_account = "lakerunner"
  }

  resources {
    s3_buckets = ["lakerunner-123456789012-us-east-1"]
    sqs_queues = ["lakerunner-ingest"]
  }
}
