# A team template that nests too deep is refused before it is parsed.
templates_dir = "templates-deep"

environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"
}
