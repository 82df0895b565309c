# Two environments in one account with the same name prefix: IAM role
# names are unique per account.
environment "staging" {
  account_id = "123456789012"
  region     = "us-east-1"
}

environment "production" {
  account_id = "123456789012"
  region     = "us-west-2"
}
