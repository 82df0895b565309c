package lint

// awsManagedGrants is what the AWS managed policies the role catalog
// attaches allow on "*" (every one of their Allow statements with Resource
// "*" and no condition). Source: the policy documents shipped with moto
// 5.2.1 (moto/iam/aws_managed_policies.py), default versions
// AmazonECSTaskExecutionRolePolicy v1, AWSLambdaBasicExecutionRole v1,
// AmazonEC2ContainerServiceforEC2Role v10, AmazonSSMManagedInstanceCore v2.
//
// The lint uses it only to say, in a hint, when scoping an inline statement
// would change nothing because an attached managed policy grants the same
// actions on "*" anyway.
var awsManagedGrants = map[string][]string{
	"AmazonECSTaskExecutionRolePolicy": {
		"ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
		"ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents",
	},
	"AWSLambdaBasicExecutionRole": {
		"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
	},
	"AmazonEC2ContainerServiceforEC2Role": {
		"ec2:DescribeTags", "ecs:CreateCluster", "ecs:DeregisterContainerInstance", "ecs:DiscoverPollEndpoint",
		"ecs:Poll", "ecs:RegisterContainerInstance", "ecs:StartTelemetrySession", "ecs:UpdateContainerInstancesState",
		"ecs:Submit*", "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer",
		"ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents",
	},
	"AmazonSSMManagedInstanceCore": {
		"ssm:DescribeAssociation", "ssm:GetDeployablePatchSnapshotForInstance", "ssm:GetDocument",
		"ssm:DescribeDocument", "ssm:GetManifest", "ssm:GetParameter", "ssm:GetParameters",
		"ssm:ListAssociations", "ssm:ListInstanceAssociations", "ssm:PutInventory", "ssm:PutComplianceItems",
		"ssm:PutConfigurePackageResult", "ssm:UpdateAssociationStatus", "ssm:UpdateInstanceAssociationStatus",
		"ssm:UpdateInstanceInformation",
		"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel",
		"ssmmessages:OpenDataChannel",
		"ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage",
		"ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply",
	},
}
