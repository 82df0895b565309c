# An EKS environment needs an eks block.
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"
}
