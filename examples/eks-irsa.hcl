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
