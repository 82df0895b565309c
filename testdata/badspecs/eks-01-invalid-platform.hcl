# platform is "ecs" or "eks".
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "kubernetes"
}
