environment "govcloud" {
  account_id = "123456789012"
  region     = "us-gov-west-1"

  resources {
    kms_key_arns = ["arn:aws:kms:us-gov-west-1:123456789012:key/1234abcd"]
  }
}
