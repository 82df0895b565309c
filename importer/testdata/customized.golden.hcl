environment "custom" {
  account_id = "123456789012"
  region     = "eu-west-1"

  # Written by lakerunner-iam import from the roles the account has: gen --adopt
  # imports them, and the first plan changes nothing.
  adopt = true

  role "ecs-execution" {
    path                 = "/lakerunner/"
    permissions_boundary = "arn:aws:iam::123456789012:policy/boundary"
    max_session_duration = 7200
    tags = {
      Environment = "prod"
      Owner       = "platform"
    }
    managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
  }

  role "data-task" {
    trusted_principal_arns = ["arn:aws:iam::123456789012:role/break-glass"]
    statement {
      sid       = "DataAccess"
      actions   = ["s3:GetObject"]
      resources = ["arn:aws:s3:::data/*"]
    }
    statement {
      actions   = ["sqs:ReceiveMessage"]
      resources = ["arn:aws:sqs:eu-west-1:123456789012:q"]
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = ["123456789012"]
      }
    }
  }
}
