catalog = "tiers"

environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  resources {
    s3_buckets = ["arn:aws:s3:us-east-1:123456789012:lakerunner"]
    sqs_queues = ["arn:aws-cn:sqs:cn-north-1:210987654321:lakerunner-ingest"]
  }
}
