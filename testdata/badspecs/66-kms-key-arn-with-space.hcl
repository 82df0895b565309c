environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  resources {
    kms_key_arns = ["arn:aws:kms:us-east-1:123456789012:key/1234abcd 5678"]
  }
}
