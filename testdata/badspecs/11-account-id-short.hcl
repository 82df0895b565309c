environment "production" {
  account_id = "12345678901"
  region     = "us-east-1"
}
