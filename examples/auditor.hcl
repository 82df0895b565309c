# A spec with a role kind of the team's own: the read-only auditor role of
# examples/templates/auditor.hcl, next to the built-in roles. templates_dir
# is relative to this file; a template there with the kind of a built-in
# role ("data-task") would replace it.

templates_dir = "templates"

environment "production" {
  account_id = "666666666666"
  region     = "us-east-2"

  # Narrower than the console guide, so that `lakerunner-iam lint` finds
  # nothing to report: the data services write only to Lakerunner's log
  # groups, and a statement block with the sid of a guide statement
  # replaces it.
  resources {
    s3_buckets = ["lakerunner-666666666666-us-east-2"]
    sqs_queues = ["lakerunner-ingest"]
    log_groups = ["/ecs/lakerunner-*"]
  }

  # A custom kind takes the same per-role settings as a built-in one.
  role "auditor" {
    max_session_duration = 14400
    tags = {
      Compliance = "sox"
    }
  }

  role "ecs-execution" {
    # Images only from the team's lakerunner* repositories.
    statement {
      sid = "ECRAccess"
      actions = [
        "ecr:BatchCheckLayerAvailability",
        "ecr:GetDownloadUrlForLayer",
        "ecr:BatchGetImage",
      ]
      resources = ["arn:aws:ecr:us-east-2:666666666666:repository/lakerunner*"]
    }
    statement {
      sid       = "ECRAuthorization"
      actions   = ["ecr:GetAuthorizationToken"] # supports only "*"
      resources = ["*"]
    }
  }

  role "query-task" {
    # Logs only to Lakerunner's log groups; metrics only to its namespace.
    statement {
      sid = "CloudWatchAccess"
      actions = [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ]
      resources = [
        "arn:aws:logs:us-east-2:666666666666:log-group:/ecs/lakerunner-*",
        "arn:aws:logs:us-east-2:666666666666:log-group:/ecs/lakerunner-*:*",
      ]
    }
    statement {
      sid       = "CloudWatchMetrics"
      actions   = ["cloudwatch:PutMetricData"]
      resources = ["*"]
      condition {
        test     = "StringEquals"
        variable = "cloudwatch:namespace"
        values   = ["Lakerunner"]
      }
    }
    # Application Auto Scaling IDs its scalable targets when they are
    # registered, so no ARN can name them in advance.
    accept "LR003" {
      sid    = "AutoScaling"
      reason = "query-api scales its workers; the scalable targets are created at deploy time."
    }
  }
}
