environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  role "data-task" {
    managed_policy_arns = ["arn:aws:iam::aws:policy/ReadOnly Access"]
  }
}
