# The tiers catalog on EKS with the Helm chart's shared ServiceAccount:
# every tier's grants are in one role, lakerunner-workload-role, so that is
# the role a satellite's access role must trust, and the one that may
# assume it.
catalog = "tiers"

environment "central" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"

  eks {
    cluster_name    = "lakerunner"
    identity        = "pod-identity"
    service_account = "lakerunner"
  }

  resources {
    s3_buckets = ["lakerunner-123456789012-us-east-1"]
    sqs_queues = ["lakerunner-ingest"]
  }
}

environment "edge" {
  account_id   = "210987654321"
  region       = "us-west-2"
  satellite_of = "central"

  resources {
    s3_buckets = ["acme-otel-raw"]
    sqs_queues = ["acme-otel-raw-notify"]
  }
}
