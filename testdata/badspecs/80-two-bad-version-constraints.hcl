# Both errors, always in this order (they once swapped between runs).
terraform {
  required_version     = ">= 1.5 <"
  aws_provider_version = "five"
}

environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"
}
