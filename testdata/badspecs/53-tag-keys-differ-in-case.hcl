environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  # IAM tag keys are case-insensitive: these two are one key to IAM.
  tags = {
    Team = "platform"
    team = "data"
  }
}
