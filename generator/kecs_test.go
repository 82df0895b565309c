package generator

import (
	"testing"

	"github.com/cardinalhq/lakerunner-iam/schema"
)

func TestKECSRoleName(t *testing.T) {
	tests := []struct {
		kecs       *schema.KECS
		name, want string
	}{
		{nil, "lakerunner-data-task-role", "lakerunner-data-task-role"},
		{&schema.KECS{RolePrefix: "kecs-"}, "lakerunner-data-task-role", "kecs-lakerunner-data-task-role"},
		{&schema.KECS{RolePrefix: "kecs-"}, "kecs-my-task-role", "kecs-my-task-role"}, // once, as KECS adds it
		{&schema.KECS{RolePrefix: "kecs-"}, "kecsrole", "kecs-kecsrole"},
		{&schema.KECS{RolePrefix: "local."}, "role", "local.role"},
		{&schema.KECS{RolePrefix: ""}, "role", "role"},
	}
	for _, tt := range tests {
		if got := kecsRoleName(&schema.Environment{KECS: tt.kecs}, tt.name); got != tt.want {
			t.Errorf("kecsRoleName(%+v, %q) = %q, want %q", tt.kecs, tt.name, got, tt.want)
		}
	}
}

func TestKECSAWSEndpoint(t *testing.T) {
	const localstack = "http://localhost:4566"
	tests := []struct {
		name     string
		endpoint string
		kecs     *schema.KECS
		want     string
	}{
		{"real AWS", "", nil, ""},
		{"explicit endpoint", "http://moto:5000", nil, "http://moto:5000"},
		{"KECS LocalStack", "", &schema.KECS{Endpoint: localstack}, localstack},
		{"explicit endpoint wins over KECS", "http://127.0.0.1:4566", &schema.KECS{Endpoint: "http://localstack.svc:4566"}, "http://127.0.0.1:4566"},
	}
	for _, tt := range tests {
		if got := awsEndpoint(&schema.Environment{AWSEndpoint: tt.endpoint, KECS: tt.kecs}); got != tt.want {
			t.Errorf("%s: awsEndpoint = %q, want %q", tt.name, got, tt.want)
		}
	}
}
