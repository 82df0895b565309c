# The role of the EC2 container instances when ECS runs on EC2, and its
# instance profile. Console guide: "EC2 Instance Roles (If Using EC2 for ECS)".
role "ecs-instance" {
  summary          = "Role and instance profile of the EC2 container instances of the ECS cluster: register with ECS, pull images, and be reachable through Session Manager."
  name             = "${env.name_prefix}-ecs-instance-role"
  description      = "Allows EC2 container instances to join the Lakerunner ECS cluster and use Session Manager"
  enabled          = env.compute == "ec2"
  instance_profile = true
  tags = {
    Component = "EC2"
    Type      = "InstanceRole"
  }

  # EC2 assumes the role for the instance itself: there is no source ARN to
  # pin, so no confused-deputy condition.
  trust {
    service = "ec2.amazonaws.com"
  }

  managed_policy "AmazonEC2ContainerServiceforEC2Role" {
    path = "service-role/"
  }

  managed_policy "AmazonSSMManagedInstanceCore" {
    path = ""
  }

  # Expectations (lakerunner-iam test): what its AWS managed policies grant.
  expect "joins-cluster" {
    effect    = "allow"
    actions   = ["ecs:RegisterContainerInstance", "ecs:Poll", "ecs:SubmitTaskStateChange", "ssm:UpdateInstanceInformation"]
    resources = ["*"]
  }

  # Console guide, "Testing IAM Roles"; no Lakerunner role administers IAM.
  expect "no-iam-user-creation" {
    effect    = "deny"
    actions   = ["iam:CreateUser", "iam:CreateAccessKey"]
    resources = ["arn:${var.partition}:iam::${var.account_id}:user/lakerunner-escalation-test"]
  }
}
