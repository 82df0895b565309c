# Lakerunner on a laptop: KECS (ECS on Kubernetes) with LocalStack beside
# it. `lakerunner-iam gen -o out examples/local-kecs.hcl` writes
#
#   out/local/          a Terraform root that creates the roles in LocalStack
#   out/local/kecs/     a ServiceAccount, Role and RoleBinding for every role
#                       ECS tasks assume, for `kubectl apply -k`
#
# See the README, "Running locally on KECS".

environment "local" {
  # LocalStack's default account (the one its "test" credentials map to)
  # and region.
  account_id = "000000000000"
  region     = "us-east-1"

  # Fargate: no ECS instance role. With no service blocks, every
  # Lakerunner service runs under its default task role.
  compute = "fargate"

  # The KECS IAM integration guide's defaults, written out. Role names get
  # the prefix (kecs-lakerunner-data-task-role, ...), Terraform talks to
  # LocalStack at the endpoint, and the ServiceAccounts go to the
  # namespace.
  kecs {
    namespace   = "default"
    endpoint    = "http://localhost:4566"
    role_prefix = "kecs-"
  }
}
