# Access to an MSK cluster that uses IAM authentication. Console guide: "MSK
# Access Role (If Using Kafka)", which names neither the role nor its trust:
# ECS tasks assume it, like the other Lakerunner task roles.
role "msk-access" {
  summary     = "Role for Lakerunner services that reach an MSK cluster with IAM authentication: connect, use its topics and consumer groups."
  name        = "${env.name_prefix}-msk-access-role"
  description = "Allows Lakerunner services to connect to the MSK cluster and use its topics and consumer groups"
  workload    = true # ECS tasks or EKS pods, as the environment's platform says
  enabled     = env.msk_access
  tags = {
    Component = "MSK"
    Type      = "TaskRole"
  }

  input "msk_cluster" {
    type        = string
    description = "Name of the MSK cluster."
    value       = env.resources.msk_cluster
  }

  policy {
    name = "${env.name_prefix}-msk-access"

    statement {
      sid = "MSKClusterAccess"
      actions = [
        "kafka-cluster:Connect",
        "kafka-cluster:AlterCluster",
        "kafka-cluster:DescribeCluster",
      ]
      resources = ["arn:${var.partition}:kafka:${var.region}:${var.account_id}:cluster/${var.msk_cluster}/*"]
    }

    statement {
      sid = "MSKTopicAccess"
      actions = [
        "kafka-cluster:*Topic",
        "kafka-cluster:ReadData",
        "kafka-cluster:WriteData",
      ]
      resources = ["arn:${var.partition}:kafka:${var.region}:${var.account_id}:topic/${var.msk_cluster}/*/*"]
    }

    statement {
      sid = "MSKGroupAccess"
      actions = [
        "kafka-cluster:AlterGroup",
        "kafka-cluster:DescribeGroup",
      ]
      resources = ["arn:${var.partition}:kafka:${var.region}:${var.account_id}:group/${var.msk_cluster}/*/*"]
    }
  }

  # Expectations (lakerunner-iam test).
  expect "uses-cluster" {
    effect    = "allow"
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = ["arn:${var.partition}:kafka:${var.region}:${var.account_id}:cluster/${var.msk_cluster}/abcd1234-ab12-cd34-ef56-abcdef123456-1"]
  }

  expect "reads-and-writes-topics" {
    effect    = "allow"
    actions   = ["kafka-cluster:ReadData", "kafka-cluster:WriteData", "kafka-cluster:DescribeTopic"]
    resources = ["arn:${var.partition}:kafka:${var.region}:${var.account_id}:topic/${var.msk_cluster}/abcd1234-ab12-cd34-ef56-abcdef123456-1/logs"]
  }

  expect "no-other-cluster" {
    effect    = "deny"
    actions   = ["kafka-cluster:Connect"]
    resources = ["arn:${var.partition}:kafka:${var.region}:${var.account_id}:cluster/${var.msk_cluster}-other/abcd1234-ab12-cd34-ef56-abcdef123456-1"]
  }

  # Console guide, "Testing IAM Roles"; no Lakerunner role administers IAM.
  expect "no-iam-user-creation" {
    effect    = "deny"
    actions   = ["iam:CreateUser", "iam:CreateAccessKey"]
    resources = ["arn:${var.partition}:iam::${var.account_id}:user/lakerunner-escalation-test"]
  }
}
