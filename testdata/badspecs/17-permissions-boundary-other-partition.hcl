environment "govcloud" {
  account_id = "123456789012"
  region     = "us-gov-west-1"

  role "data-task" {
    permissions_boundary = "arn:aws:iam::123456789012:policy/boundary"
  }
}
