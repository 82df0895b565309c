environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  cross_account {
    trusted_account_ids = ["210987654321"]
    external_id         = "x"
  }
}
