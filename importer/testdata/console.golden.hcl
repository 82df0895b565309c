environment "console" {
  account_id = "999900001111"
  region     = "us-east-1"

  # Written by lakerunner-iam import from the roles the account has: gen --adopt
  # imports them, and the first plan changes nothing.
  adopt                      = true
  compute                    = "ec2"
  lambda_migrations          = true
  msk_access                 = true
  confused_deputy_protection = false
  catalog_tags               = false

  cross_account {
    trusted_account_ids = ["210987654321"]
    external_id         = "unique-external-id"
  }

  role "ecs-execution" {
    tags = {
      Component   = "ECS"
      Environment = "lakerunner"
      Type        = "ExecutionRole"
    }
  }

  role "query-task" {
    policy_name = "lakerunner-query-service-policy"
  }

  role "migration-task" {
    policy_name = "lakerunner-migration-policy"
  }

  role "migration-lambda" {
    description = "Allows Lambda functions to call AWS services on your behalf."
    policy_name = "lakerunner-ecs-task-execution-policy"
  }

  role "ecs-instance" {
    description = "Allows EC2 instances to call AWS services on your behalf."
  }

  role "msk-access" {
    description = "Allows ECS tasks to call AWS services on your behalf."
    policy_name = "lakerunner-msk-access-policy"
  }

  role "cross-account" {
    description = ""
    policy_name = "lakerunner-cross-account-s3-read"
  }
}
