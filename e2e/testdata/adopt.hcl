# The roles of the IAM console guide as an operator clicks them together,
# described exactly, so that `gen --adopt` imports them and changes nothing.
# e2e/adopt_test.go makes them in the emulator as the guide says; where the
# guide leaves a choice to the operator, the choice is noted here and there.
environment "console" {
  account_id = "999900001111"
  region     = "us-east-1"

  adopt = true

  compute           = "ec2" # "EC2 Instance Roles (If Using EC2 for ECS)"
  lambda_migrations = true  # "Lambda Roles (If Using Lambda)"
  msk_access        = true  # "MSK Access Role (If Using Kafka)"

  # Console-made trust policies have no aws:SourceAccount/aws:SourceArn.
  confused_deputy_protection = false
  # The guide tags only the execution role; every other role has no tags.
  catalog_tags = false

  cross_account {
    trusted_account_ids = ["210987654321"]
    external_id         = "unique-external-id"
  }

  role "ecs-execution" {
    tags = {
      Environment = "lakerunner"
      Component   = "ECS"
      Type        = "ExecutionRole"
    }
  }

  # The guide names no policy of these roles; the operator named each
  # after the guide's heading.
  role "query-task" {
    policy_name = "lakerunner-query-service-policy" # "Add Query Service Policy"
  }

  role "migration-task" {
    policy_name = "lakerunner-migration-policy" # "Add Migration Policy"
  }

  # The guide gives no description of the next three roles: the console
  # keeps the one it fills in for the use case.
  role "migration-lambda" {
    description = "Allows Lambda functions to call AWS services on your behalf."
    policy_name = "lakerunner-ecs-task-execution-policy" # "Add ECS Task Execution Policy"
  }

  role "ecs-instance" {
    description = "Allows EC2 instances to call AWS services on your behalf."
  }

  # The guide names neither the MSK role nor its trust: the operator
  # created it "as before" (ECS task use case) under the catalog's name.
  role "msk-access" {
    description = "Allows ECS tasks to call AWS services on your behalf."
    policy_name = "lakerunner-msk-access-policy"
  }

  # "Another AWS account" has no default description. For the guide's
  # "appropriate policies" the operator gave read access to the data lake
  # buckets: the S3ReadAccess statement of the query role's policy.
  role "cross-account" {
    description = ""
    policy_name = "lakerunner-cross-account-s3-read"
  }
}
