# The tiers catalog with what the example leaves out: a name prefix, a
# queue and a bucket of other accounts and regions given by ARN, a subset of
# services (no maestro, no otel gateway: their roles are not generated),
# Bedrock off, and two satellites, one with an ExternalId and the CloudWatch
# metric stream roles.
catalog = "tiers"

environment "central" {
  account_id  = "111111111111"
  region      = "eu-west-1"
  name_prefix = "acme"
  bedrock     = false

  resources {
    s3_buckets = ["acme-lake", "arn:aws:s3:::acme-archive-eu-central-1"]
    sqs_queues = ["acme-ingest", "arn:aws:sqs:eu-central-1:444444444444:acme-remote-ingest"]
    raw_prefix = "raw/otel/"
  }

  service "process-logs" {}
  service "pubsub-sqs" {}
  service "query-api" {}
  service "query-worker" {}
  service "sweeper" {}
  service "migration" {}
}

environment "edge-a" {
  account_id            = "222222222222"
  region                = "eu-west-1"
  name_prefix           = "acme"
  satellite_of          = "central"
  satellite_external_id = "acme-edge-a"
  metric_streams        = true

  resources {
    s3_buckets = ["acme-edge-a-raw"]
    sqs_queues = ["acme-edge-a-notify"]
  }
}

environment "edge-b" {
  account_id   = "333333333333"
  region       = "ap-southeast-2"
  satellite_of = "central"

  resources {
    s3_buckets = ["acme-edge-b-raw"]
    sqs_queues = ["arn:aws:sqs:ap-southeast-1:333333333333:acme-edge-b-notify"]
  }

  role "satellite-access" {
    name = "acme-collector"
    path = "/lakerunner/"
  }
}
