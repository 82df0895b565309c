# One account has one service-linked role per service.
environment "staging" {
  account_id           = "123456789012"
  region               = "us-east-1"
  name_prefix          = "staging"
  service_linked_roles = ["ecs.amazonaws.com"]
}

environment "production" {
  account_id           = "123456789012"
  region               = "us-west-2"
  service_linked_roles = ["rds.amazonaws.com", "ECS.amazonaws.com"]
}
