environment "production" {
  # A number loses its leading zero: 012345678901 becomes 12345678901.
  account_id = 012345678901
  region     = "us-east-1"
}
