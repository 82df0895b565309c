# An empty raw prefix would let the otel tier write anywhere in the bucket.
catalog = "tiers"

environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  resources {
    s3_buckets = ["lakerunner-123456789012-us-east-1"]
    sqs_queues = ["lakerunner-ingest"]
    raw_prefix = ""
  }
}
