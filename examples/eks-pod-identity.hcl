# Lakerunner on EKS with EKS Pod Identity, one ServiceAccount and one role
# per role kind: the data services, the query services and the database
# migration each get only their own permissions. `lakerunner-iam gen`
# writes the roles, an aws_eks_pod_identity_association per ServiceAccount,
# and out/production/kubernetes/ with the ServiceAccounts
# (kubectl apply -k).

environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"

  eks {
    cluster_name = "lakerunner"
    identity     = "pod-identity"
    namespace    = "lakerunner"
    role_layout  = "per-role"
    service_accounts = {
      "data-task"      = "lakerunner-data"
      "query-task"     = "lakerunner-query"
      "migration-task" = "lakerunner-migration"
    }
  }

  resources {
    s3_buckets = ["lakerunner-123456789012-us-east-1"]
    sqs_queues = ["lakerunner-ingest"]
  }
}
