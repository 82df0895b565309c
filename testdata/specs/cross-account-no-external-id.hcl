# The console guide's cross-account role for principals that send no
# ExternalId: an exact role of another account, and MFA.
environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  cross_account {
    trusted_principal_arns = ["arn:aws:iam::210987654321:role/analytics"]
    require_mfa            = true
  }
}
