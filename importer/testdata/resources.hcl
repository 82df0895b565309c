# Roles scoped to a team's own buckets, queue, secrets and cluster: import
# writes them as the resources block, not as replaced statements.
environment "acme" {
  account_id = "123456789012"
  region     = "us-east-1"

  resources {
    s3_buckets       = ["acme-lake", "acme-archive"]
    sqs_queues       = ["acme-ingest"]
    secrets          = ["acme-app"]
    database_secrets = ["acme-db"]
    ecs_cluster      = "acme-ecs"
  }
}
