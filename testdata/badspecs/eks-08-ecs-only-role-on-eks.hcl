# The ECS execution role is not generated on EKS, so it cannot be customized.
environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  platform   = "eks"
  eks {
    cluster_name = "lakerunner"
    identity     = "pod-identity"
  }
  role "ecs-execution" {
    max_session_duration = 7200
  }
}
