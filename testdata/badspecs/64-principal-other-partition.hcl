environment "china" {
  account_id = "123456789012"
  region     = "cn-north-1"

  role "data-task" {
    trusted_principal_arns = ["arn:aws:iam::123456789012:role/break-glass"]
  }
}
