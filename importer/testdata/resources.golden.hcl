environment "acme" {
  account_id = "123456789012"
  region     = "us-east-1"

  # Written by lakerunner-iam import from the roles the account has: gen --adopt
  # imports them, and the first plan changes nothing.
  adopt = true

  resources {
    s3_buckets       = ["acme-lake", "acme-archive"]
    sqs_queues       = ["acme-ingest"]
    secrets          = ["acme-app"]
    database_secrets = ["acme-db"]
    ecs_cluster      = "acme-ecs"
  }
}
