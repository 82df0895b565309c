environment "govcloud" {
  account_id = "123456789012"
  region     = "us-gov-west-1"
  partition  = "aws"
}
