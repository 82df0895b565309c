# EC2 compute with the instance profile, Lambda migrations, MSK access and a
# cross-account role with ExternalId and MFA; exact resource names as a real
# deployment has them.
environment "prod" {
  account_id        = "222222222222"
  region            = "us-west-2"
  compute           = "ec2"
  lambda_migrations = true
  msk_access        = true

  tags = {
    Team = "observability"
  }

  resources {
    s3_buckets          = ["lakerunner-222222222222-us-west-2"]
    sqs_queues          = ["lakerunner-ingest"]
    secrets             = ["lakerunner-database-secret", "lakerunner-api-keys"]
    database_secrets    = ["lakerunner-database-secret"]
    ssm_parameter_paths = ["/lakerunner/prod/"]
    log_groups          = ["/ecs/lakerunner"]
    ecs_cluster         = "lakerunner-prod"
    msk_cluster         = "lakerunner-msk-cluster"
  }

  cross_account {
    trusted_account_ids    = ["210987654321"]
    trusted_principal_arns = ["arn:aws:iam::210987654321:role/lakerunner-satellite"]
    external_id            = "lakerunner-7f3c9a1e"
    require_mfa            = true
  }

  service "pubsub-sqs" {}
  service "ingest-logs" {}
  service "ingest-metrics" {}
  service "compact-logs" {}
  service "compact-metrics" {}
  service "rollup-metrics" {}
  service "sweeper" {}
  service "query-api" {}
  service "query-worker" {}
  service "migration" {}
}
