# Test spec of the KECS renderer: what a team might change from the
# defaults, in three environments.

# A KECS environment with its own namespace and role overrides that
# exercise the mapping: a service wildcard, a Deny, a managed policy whose
# content is not known, a permissions boundary, a prefix wildcard, and a
# role name that carries KECS's prefix already.
environment "dev" {
  account_id = "000000000000"
  region     = "us-east-1"

  kecs {
    namespace = "lakerunner"
  }

  service "ingest-logs" {}
  service "query-api" {}
  service "migration" {}

  role "data-task" {
    managed_policy_arns = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]

    statement {
      sid       = "ConfigBucket"
      actions   = ["s3:*"]
      resources = ["arn:aws:s3:::lakerunner-config", "arn:aws:s3:::lakerunner-config/*"]
    }

    statement {
      sid       = "NoArchiveWrites"
      effect    = "Deny"
      actions   = ["s3:PutObject", "s3:DeleteObject"]
      resources = ["arn:aws:s3:::lakerunner-archive/*"]
    }
  }

  role "query-task" {
    permissions_boundary = "arn:aws:iam::000000000000:policy/lakerunner-boundary"

    statement {
      sid       = "ReadParameters"
      actions   = ["ssm:Get*"]
      resources = ["arn:aws:ssm:us-east-1:000000000000:parameter/lakerunner/*"]
    }
  }

  role "migration-task" {
    name = "kecs-lakerunner-migrator"
  }
}

# KECS inside a cluster that reaches LocalStack by its service name, while
# Terraform runs on the host; no role prefix; a namespace YAML would read
# as a boolean unquoted; EC2 and Lambda roles, which ECS tasks do not
# assume.
environment "kind" {
  account_id        = "111111111111"
  region            = "eu-west-1"
  aws_endpoint      = "http://localhost:4566"
  compute           = "ec2"
  lambda_migrations = true

  kecs {
    namespace   = "no"
    endpoint    = "http://localstack.localstack.svc.cluster.local:4566"
    role_prefix = ""
  }
}

# Real AWS: no kecs block, no Kubernetes files.
environment "prod" {
  account_id = "222222222222"
  region     = "us-east-1"
}
