# An eks block without platform = "eks".
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  eks {
    cluster_name = "lakerunner"
    identity     = "pod-identity"
  }
}
