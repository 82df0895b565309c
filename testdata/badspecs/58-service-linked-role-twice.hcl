environment "production" {
  account_id = "123456789012"
  region     = "us-east-1"

  service_linked_roles = [
    "ecs.amazonaws.com",
    "rds.amazonaws.com",
    "ecs.amazonaws.com",
  ]
}
