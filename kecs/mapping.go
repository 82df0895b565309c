// Package kecs renders what a local run of Lakerunner on KECS (ECS on
// Kubernetes, with LocalStack beside it) needs on the Kubernetes side: for
// every environment with a kecs block and every IAM role that ECS tasks
// assume, the ServiceAccount, Role and RoleBinding that the KECS IAM
// integration guide says KECS creates for a task role, with RBAC rules
// derived from the role's IAM policies through the guide's mapping table.
//
// Files go to <env>/kecs/ under the output directory: one multi-document
// manifest per role (<role-name>.yaml), a kustomization.yaml listing them
// for `kubectl apply -k`, and UNMAPPED.md, which lists every IAM action the
// table has no Kubernetes equivalent for.
package kecs

// Mapping is one row of the guide's "IAM Policy Mapping" table: an IAM
// action and the RBAC permissions it becomes.
type Mapping struct {
	Action    string // the IAM action, spelled as the guide spells it
	APIGroup  string // "" is the core API group
	Resources []string
	Verbs     []string
}

// Table is the KECS IAM integration guide's mapping, row by row in the
// guide's order. The guide's Role example puts its resources in the core
// API group (apiGroups: [""]); events are the core group's v1 Events.
// It is the whole contract: an action not listed here is not granted
// anything in Kubernetes, and is reported instead.
var Table = []Mapping{
	{Action: "s3:GetObject", APIGroup: "", Resources: []string{"configmaps", "secrets"}, Verbs: []string{"get"}},
	{Action: "s3:PutObject", APIGroup: "", Resources: []string{"configmaps"}, Verbs: []string{"create", "update"}},
	{Action: "logs:CreateLogGroup", APIGroup: "", Resources: []string{"events"}, Verbs: []string{"create"}},
	{Action: "logs:CreateLogStream", APIGroup: "", Resources: []string{"events"}, Verbs: []string{"create"}},
	{Action: "logs:PutLogEvents", APIGroup: "", Resources: []string{"events"}, Verbs: []string{"create", "patch"}},
	{Action: "ssm:GetParameter", APIGroup: "", Resources: []string{"secrets", "configmaps"}, Verbs: []string{"get"}},
	{Action: "secretsmanager:GetSecretValue", APIGroup: "", Resources: []string{"secrets"}, Verbs: []string{"get"}},
}
