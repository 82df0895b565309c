environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  resources {
    sqs_queues = ["arn:aws:sqs:us-west-2:210987654321:lakerunner-ingest"]
  }
}
