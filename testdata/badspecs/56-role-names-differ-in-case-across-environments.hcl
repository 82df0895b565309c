# Two environments of one account whose name prefixes differ only in
# case: IAM role names are case-insensitive, so every role name clashes.
environment "staging" {
  account_id  = "123456789012"
  region      = "us-east-1"
  name_prefix = "Lakerunner"

  resources {
    s3_buckets = ["lakerunner-staging-*"]
  }
}

environment "production" {
  account_id = "123456789012"
  region     = "us-west-2"
}
