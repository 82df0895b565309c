# Test spec of the KECS renderer: an empty kecs block takes the KECS IAM
# integration guide's defaults.
environment "local" {
  account_id = "000000000000"
  region     = "us-east-1"

  kecs {}
}
