# Lakerunner IAM spec, written by `lakerunner-iam init` (catalog
# console-guide, platform eks). Set account_id, region and the resources to
# yours, then:
#
#   lakerunner-iam lint   # what the roles may do, and what to narrow
#   lakerunner-iam gen    # writes out/: a module per role, a root per environment
#   cd out/production && terraform init && terraform apply
#
# Every attribute is in lakerunner-iam's README ("A spec"). Left out, a value
# takes the Lakerunner IAM console guide's.

environment "production" {
  account_id = "123456789012" # yours, as a string (leading zeros count)
  region     = "us-east-1"

  # Lakerunner's pods on EKS get their roles through EKS Pod Identity
  # ("irsa" needs oidc_issuer_url too), in namespace "lakerunner". One role
  # per role kind, each for its own ServiceAccount (lakerunner-data-task,
  # lakerunner-query-task, lakerunner-migration-task): give the Helm
  # chart's services those. role_layout = "shared" is one role with all
  # their permissions, for the chart's single ServiceAccount "lakerunner".
  platform = "eks"
  eks {
    cluster_name = "lakerunner"
    identity     = "pod-identity"
    role_layout  = "per-role"
  }

  # What the roles are scoped to: names, not ARNs; IAM wildcards * and ? work.
  resources {
    s3_buckets       = ["lakerunner-123456789012-us-east-1"] # the data lake bucket
    sqs_queues       = ["lakerunner-ingest"]                 # its object-created notifications
    database_secrets = ["lakerunner-database-secret"]        # read by the migration task
    log_groups       = ["/lakerunner/*"]                     # where the services log
  }

  # The services you deploy. A role is generated only when a deployed
  # service runs under it: drop the migration service and the migration
  # task role goes too.
  service "pubsub-sqs" {}      # data-task
  service "ingest-logs" {}     # data-task
  service "ingest-metrics" {}  # data-task
  service "ingest-traces" {}   # data-task
  service "compact-logs" {}    # data-task
  service "compact-metrics" {} # data-task
  service "compact-traces" {}  # data-task
  service "rollup-metrics" {}  # data-task
  service "sweeper" {}         # data-task
  service "query-api" {}       # query-task
  service "query-worker" {}    # query-task
  service "migration" {}       # migration-task

  # Optional parts of the guide:
  # lambda_migrations = true  # the migration Lambda function's role
  # msk_access        = true  # the MSK access role (MSK with IAM auth)
  # cross_account {           # a role other accounts assume
  #   trusted_account_ids = ["210987654321"]
  #   external_id         = "a-secret-you-share"
  # }

  # The guide grants some actions on every resource. A statement with the
  # sid of a guide statement replaces it; these keep lint clean.
  role "query-task" {
    statement {
      sid = "CloudWatchAccess" # logs only to the log groups above
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
      sid       = "CloudWatchMetrics" # metrics only to Lakerunner's namespace
      actions   = ["cloudwatch:PutMetricData"]
      resources = ["*"]
      condition {
        test     = "StringEquals"
        variable = "cloudwatch:namespace"
        values   = ["Lakerunner"]
      }
    }
    # A finding you reviewed and keep: lint reports it as accepted.
    accept "LR003" {
      sid    = "AutoScaling"
      reason = "query-api scales its workers; the scalable targets are created at deploy time."
    }
  }
}
