# EKS has no ECS execution role.
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"
  eks {
    cluster_name = "lakerunner"
    identity     = "pod-identity"
  }
  service "query-api" {
    execution_role = "ecs-execution"
  }
}
