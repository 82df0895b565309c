environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  role "data-task" {
    trusted_principal_arns = ["arn:aws:iam::123456789012:role/break glass"]
  }
}
