# The smallest useful spec: Fargate, every default of the console guide.
environment "dev" {
  account_id = "111111111111"
  region     = "us-east-1"
}
