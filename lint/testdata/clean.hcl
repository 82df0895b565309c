# Every role of the console guide with every finding fixed in the spec:
# `lakerunner-iam lint` reports nothing, and accepts only what a reviewer
# signed off.
environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"
  compute    = "ec2"

  lambda_migrations = true
  msk_access        = true

  resources {
    s3_buckets       = ["lakerunner-123456789012-us-east-1"]
    sqs_queues       = ["lakerunner-ingest"]
    secrets          = ["lakerunner-api-keys"]
    database_secrets = ["lakerunner-database-secret"]
    log_groups       = ["/ecs/lakerunner"]
  }

  cross_account {
    trusted_account_ids = ["210987654321"]
    external_id         = "unique-external-id"
  }

  role "ecs-execution" {
    statement {
      sid       = "ECRAccess"
      actions   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
      resources = ["arn:aws:ecr:us-east-1:123456789012:repository/lakerunner/*"]
    }
    statement {
      sid       = "ECRAuth"
      actions   = ["ecr:GetAuthorizationToken"]
      resources = ["*"]
    }
  }

  role "query-task" {
    statement {
      sid       = "AutoScaling"
      actions   = ["application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies"]
      resources = ["*"]
    }
    statement {
      sid       = "AutoScalingWorkers"
      actions   = ["application-autoscaling:PutScalingPolicy", "application-autoscaling:RegisterScalableTarget"]
      resources = ["*"]
      condition {
        test     = "StringEquals"
        variable = "aws:ResourceTag/lakerunner:service"
        values   = ["query-worker"]
      }
    }
    statement {
      sid     = "CloudWatchAccess"
      actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
      resources = [
        "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/lakerunner",
        "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/lakerunner:*",
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
  }

  role "migration-lambda" {
    statement {
      sid       = "ECSTaskExecution"
      actions   = ["ecs:RunTask", "ecs:DescribeTasks", "ecs:StopTask"]
      resources = ["*"]
      condition {
        test     = "ArnEquals"
        variable = "ecs:cluster"
        values   = ["arn:aws:ecs:us-east-1:123456789012:cluster/lakerunner-cluster"]
      }
    }
    statement {
      sid     = "PassRole"
      actions = ["iam:PassRole"]
      resources = [
        "arn:aws:iam::123456789012:role/lakerunner-ecs-execution-role",
        "arn:aws:iam::123456789012:role/lakerunner-migration-task-role",
      ]
      condition {
        test     = "StringEquals"
        variable = "iam:PassedToService"
        values   = ["ecs-tasks.amazonaws.com"]
      }
    }
    accept "LR010" {
      reason = "Lambda assumes this role only for our own migration function; the catalog's trust has no source ARN to pin."
    }
  }

  role "msk-access" {
    statement {
      sid       = "MSKTopicAccess"
      actions   = ["kafka-cluster:DescribeTopic", "kafka-cluster:CreateTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData"]
      resources = ["arn:aws:kafka:us-east-1:123456789012:topic/lakerunner-msk/*/*"]
    }
  }
}
