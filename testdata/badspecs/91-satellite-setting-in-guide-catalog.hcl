environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"
}

environment "acme-logs" {
  account_id   = "210987654321"
  region       = "us-west-2"
  satellite_of = "production"
}
