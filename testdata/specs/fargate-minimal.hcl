# The smallest useful spec: Fargate, every default of the console guide.
environment "dev" {
  account_id = "123456789012"
  region     = "us-east-1"
}
