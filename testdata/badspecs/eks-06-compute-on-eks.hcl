# compute is an ECS setting.
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"
  compute    = "ec2"
  eks {
    cluster_name = "lakerunner"
    identity     = "pod-identity"
  }
}
