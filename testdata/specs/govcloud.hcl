# AWS GovCloud (US): every ARN, including those of the AWS managed
# policies, is in the aws-us-gov partition.
environment "gov" {
  account_id        = "555555555555"
  region            = "us-gov-west-1"
  compute           = "ec2"
  lambda_migrations = true
}
