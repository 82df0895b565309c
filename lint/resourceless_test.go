package lint_test

import (
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/lint"
	"github.com/cardinalhq/lakerunner-iam/lint/actions"
)

// TestResourcelessListIsKnown: the list is generated from the same Service
// Authorization Reference snapshot as lint/actions, so every entry is a
// known action in its canonical spelling, of a covered service.
func TestResourcelessListIsKnown(t *testing.T) {
	list := lint.ResourcelessActions()
	if len(list) < 100 {
		t.Fatalf("only %d resource-less actions; is resourceless.txt empty?", len(list))
	}
	for _, a := range list {
		c, ok := actions.Canonical(a)
		if !ok || c != a {
			t.Errorf("%q: Canonical = %q, %v; want a known action in canonical spelling", a, c, ok)
		}
		svc, _, _ := strings.Cut(a, ":")
		if !actions.Covered(svc) {
			t.Errorf("%q: service not covered by lint/actions", a)
		}
	}
}

// TestResourcelessCatalogActions pins the facts the catalog's findings rest
// on (Service Authorization Reference, "Resource types" column).
func TestResourcelessCatalogActions(t *testing.T) {
	tests := []struct {
		action string
		want   bool
	}{
		// Only "*" is possible: no finding for these on "*".
		{"ecr:GetAuthorizationToken", true},
		{"cloudwatch:PutMetricData", true},
		{"application-autoscaling:DescribeScalableTargets", true},
		{"application-autoscaling:DescribeScalingPolicies", true},
		{"sts:GetCallerIdentity", true},
		{"s3:ListAllMyBuckets", true},
		{"ECR:getauthorizationtoken", true}, // IAM ignores case
		// These support resource types, so "*" needs a reason.
		{"ecr:BatchGetImage", false},
		{"ecr:GetDownloadUrlForLayer", false},
		{"ecr:BatchCheckLayerAvailability", false},
		{"logs:CreateLogGroup", false},
		{"logs:PutLogEvents", false},
		{"application-autoscaling:PutScalingPolicy", false},
		{"application-autoscaling:RegisterScalableTarget", false},
		{"ecs:RunTask", false},
		{"ecs:DescribeTasks", false},
		{"kms:Decrypt", false},
		{"iam:PassRole", false},
		// Not covered, or not an action: never resource-less.
		{"ssmmessages:CreateControlChannel", false},
		{"ecr:GetAuthorizationTokens", false},
	}
	for _, tt := range tests {
		if got := lint.Resourceless(tt.action); got != tt.want {
			t.Errorf("Resourceless(%q) = %v, want %v", tt.action, got, tt.want)
		}
	}
}
