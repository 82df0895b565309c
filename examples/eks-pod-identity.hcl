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
    log_groups = ["/lakerunner/*"]
  }

  # Narrower than the console guide, so that `lakerunner-iam lint` finds
  # nothing to report. Logs go only to the log groups the pods' log
  # shipper writes (resources.log_groups); nothing on EKS scales ECS
  # services, so the query role keeps only Application Auto Scaling's
  # read calls. A statement block with the sid of a guide statement
  # replaces that statement.
  role "query-task" {
    statement {
      sid = "AutoScaling"
      actions = [
        "application-autoscaling:DescribeScalableTargets",
        "application-autoscaling:DescribeScalingPolicies",
      ] # support only "*"
      resources = ["*"]
    }
    statement {
      sid = "CloudWatchAccess"
      actions = [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ]
      resources = [
        "arn:aws:logs:us-east-1:123456789012:log-group:/lakerunner/*",
        "arn:aws:logs:us-east-1:123456789012:log-group:/lakerunner/*:*",
      ]
    }
    statement {
      sid       = "CloudWatchMetrics"
      actions   = ["cloudwatch:PutMetricData"] # supports only "*"
      resources = ["*"]
      condition {
        test     = "StringEquals"
        variable = "cloudwatch:namespace"
        values   = ["Lakerunner"]
      }
    }
  }
}
