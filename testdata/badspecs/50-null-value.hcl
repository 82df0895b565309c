environment "production" {
  account_id = "123456789012"
  region     = null
}
