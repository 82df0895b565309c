environment "govcloud" {
  account_id = "123456789012"
  region     = "us-gov-west-1"

  cross_account {
    trusted_principal_arns = ["arn:aws:iam::210987654321:role/lakerunner"]
    external_id            = "unique-external-id"
  }
}
