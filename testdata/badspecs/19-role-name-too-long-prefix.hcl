environment "production" {
  account_id        = "123456789012"
  region            = "us-east-1"
  name_prefix       = "acme-observability-lakerunner-prod-use1"
  lambda_migrations = true
}
