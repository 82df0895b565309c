environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  role "ecs-execution" {
    managed_policy_arns = [
      "arn:aws:iam::123456789012:policy/extra-01",
      "arn:aws:iam::123456789012:policy/extra-02",
      "arn:aws:iam::123456789012:policy/extra-03",
      "arn:aws:iam::123456789012:policy/extra-04",
      "arn:aws:iam::123456789012:policy/extra-05",
      "arn:aws:iam::123456789012:policy/extra-06",
      "arn:aws:iam::123456789012:policy/extra-07",
      "arn:aws:iam::123456789012:policy/extra-08",
      "arn:aws:iam::123456789012:policy/extra-09",
      "arn:aws:iam::123456789012:policy/extra-10",
    ]
  }
}
