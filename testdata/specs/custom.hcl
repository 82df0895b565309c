# A team's own conventions: another name prefix, an IAM path, a permissions
# boundary, two environments in two accounts, and per-role overrides.
terraform {
  required_version     = ">= 1.5.0, < 2.0.0"
  aws_provider_version = "~> 5.0"
}

environment "staging" {
  account_id                 = "333333333333"
  region                     = "eu-west-1"
  name_prefix                = "acme-lr"
  confused_deputy_protection = false

  tags = {
    CostCenter = "cc-1234"
  }

  role "ecs-execution" {
    name                 = "acme-lr-services-execution-role"
    path                 = "/lakerunner/"
    permissions_boundary = "arn:aws:iam::333333333333:policy/acme-boundary"
  }

  role "data-task" {
    path                 = "/lakerunner/"
    permissions_boundary = "arn:aws:iam::333333333333:policy/acme-boundary"
    max_session_duration = 7200
    description          = "Lakerunner data services (staging)"
    tags = {
      DataClass = "internal"
    }
    managed_policy_arns = ["arn:aws:iam::333333333333:policy/acme-kms-use"]

    # Replaces the catalog's CloudWatchLogs statement (same Sid) with one
    # scoped to Lakerunner's log groups.
    statement {
      sid     = "CloudWatchLogs"
      actions = ["logs:CreateLogStream", "logs:PutLogEvents"]
      resources = [
        "arn:aws:logs:eu-west-1:333333333333:log-group:/ecs/acme-lr-*",
        "arn:aws:logs:eu-west-1:333333333333:log-group:/ecs/acme-lr-*:*",
      ]
    }

    statement {
      sid       = "ReadSharedConfig"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::acme-shared-config/lakerunner/*"]
      condition {
        test     = "StringEquals"
        variable = "aws:ResourceAccount"
        values   = ["333333333333"]
      }
    }
  }

  role "query-task" {
    path                   = "/lakerunner/"
    permissions_boundary   = "arn:aws:iam::333333333333:policy/acme-boundary"
    trusted_principal_arns = ["arn:aws:iam::333333333333:role/acme-break-glass"]
  }

  role "migration-task" {
    path                  = "/lakerunner/"
    permissions_boundary  = "arn:aws:iam::333333333333:policy/acme-boundary"
    force_detach_policies = false
  }

  service "pubsub-sqs" {}
  service "ingest-logs" {}
  service "query-api" {}
  service "query-worker" {}
  service "migration" {}
}

environment "production" {
  account_id  = "444444444444"
  region      = "eu-central-1"
  name_prefix = "acme-lr"

  resources {
    s3_buckets = ["acme-lr-444444444444-eu-central-1"]
    sqs_queues = ["acme-lr-ingest"]
  }
}
