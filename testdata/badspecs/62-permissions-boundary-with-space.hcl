environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  role "query-task" {
    permissions_boundary = "arn:aws:iam::123456789012:policy/team boundary"
  }
}
