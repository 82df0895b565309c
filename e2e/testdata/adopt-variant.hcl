# The console guide's roles made another way than adopt.hcl's: inline
# policies named "<role>-policy", no descriptions, the cross-account role
# without an inline policy, and one tag, Project = lakerunner, on every role
# (its instance profile untagged). e2e/import_test.go makes them so and
# checks that `lakerunner-iam import` writes a spec that adopts them as this
# one does.
environment "console" {
  account_id = "999900001111"
  region     = "us-east-1"

  adopt = true

  compute           = "ec2"
  lambda_migrations = true
  msk_access        = true

  confused_deputy_protection = false
  catalog_tags               = false
  tags                       = { Project = "lakerunner" }

  cross_account {
    trusted_account_ids = ["210987654321"]
    external_id         = "unique-external-id"
  }

  role "ecs-execution" {
    description = ""
    policy_name = "lakerunner-ecs-execution-role-policy"
  }
  role "data-task" {
    description = ""
    policy_name = "lakerunner-data-task-role-policy"
  }
  role "query-task" {
    description = ""
    policy_name = "lakerunner-query-task-role-policy"
  }
  role "migration-task" {
    description = ""
    policy_name = "lakerunner-migration-task-role-policy"
  }
  role "migration-lambda" {
    description = ""
    policy_name = "lakerunner-migration-lambda-role-policy"
  }
  role "ecs-instance" {
    description           = ""
    instance_profile_tags = {}
  }
  role "msk-access" {
    description = ""
    policy_name = "lakerunner-msk-access-role-policy"
  }
  role "cross-account" {
    description   = ""
    inline_policy = false
  }
}
