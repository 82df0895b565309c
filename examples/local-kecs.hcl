# Lakerunner on a laptop: KECS (ECS on Kubernetes) with LocalStack beside
# it. `lakerunner-iam gen -o out examples/local-kecs.hcl` writes
#
#   out/local/          a Terraform root that creates the roles in LocalStack
#   out/local/kecs/     a ServiceAccount, Role and RoleBinding for every role
#                       ECS tasks assume, for `kubectl apply -k`
#
# See the README, "Running locally on KECS".

environment "local" {
  # LocalStack's default account (the one its "test" credentials map to)
  # and region.
  account_id = "000000000000"
  region     = "us-east-1"

  # Fargate: no ECS instance role. With no service blocks, every
  # Lakerunner service runs under its default task role.
  compute = "fargate"

  # The KECS IAM integration guide's defaults, written out. Role names get
  # the prefix (kecs-lakerunner-data-task-role, ...), Terraform talks to
  # LocalStack at the endpoint, and the ServiceAccounts go to the
  # namespace.
  kecs {
    namespace   = "default"
    endpoint    = "http://localhost:4566"
    role_prefix = "kecs-"
  }

  # Narrower than the console guide, so that `lakerunner-iam lint` finds
  # nothing to report: the data services write only to Lakerunner's log
  # groups, and a statement block with the sid of a guide statement
  # replaces it.
  resources {
    log_groups = ["/ecs/lakerunner-*"]
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
      resources = ["arn:aws:ecr:us-east-1:000000000000:repository/lakerunner*"]
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
        "arn:aws:logs:us-east-1:000000000000:log-group:/ecs/lakerunner-*",
        "arn:aws:logs:us-east-1:000000000000:log-group:/ecs/lakerunner-*:*",
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
