package actions

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// guideActions is every action the console guide's policies use, as printed
// in testdata/guide (kafka-cluster:*Topic is checked via Match).
var guideActions = []string{
	// execution-secrets-access.json
	"secretsmanager:GetSecretValue",
	"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
	"kms:Decrypt", "kms:DescribeKey",
	"ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
	"ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
	// data-access.json
	"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket",
	"s3:GetBucketLocation", "s3:ListBucketMultipartUploads",
	"s3:AbortMultipartUpload", "s3:ListMultipartUploadParts",
	"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
	"sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:SendMessage",
	"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
	"logs:DescribeLogStreams",
	"cloudwatch:PutMetricData",
	// query-access.json
	"ecs:DescribeServices", "ecs:UpdateService", "ecs:DescribeTasks", "ecs:ListTasks",
	"application-autoscaling:DescribeScalableTargets",
	"application-autoscaling:DescribeScalingPolicies",
	"application-autoscaling:PutScalingPolicy",
	"application-autoscaling:RegisterScalableTarget",
	// migration-lambda-ecs.json
	"ecs:RunTask", "ecs:StopTask", "iam:PassRole",
	// msk-access.json
	"kafka-cluster:Connect", "kafka-cluster:AlterCluster", "kafka-cluster:DescribeCluster",
	"kafka-cluster:ReadData", "kafka-cluster:WriteData",
	"kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup",
	// trust policies
	"sts:AssumeRole",
}

func TestGuideActionsKnown(t *testing.T) {
	for _, a := range guideActions {
		t.Run(a, func(t *testing.T) {
			if !Known(a) {
				t.Errorf("Known(%q) = false", a)
			}
			c, ok := Canonical(a)
			if !ok || c != a {
				t.Errorf("Canonical(%q) = %q, %v; want the same spelling", a, c, ok)
			}
			svc, _, _ := strings.Cut(a, ":")
			if !Covered(svc) {
				t.Errorf("Covered(%q) = false", svc)
			}
		})
	}
}

// TestGuideFixturesKnown walks every policy fixture in testdata/guide and
// checks each Action (wildcards included) against the list.
func TestGuideFixturesKnown(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "guide", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range files {
		if filepath.Base(f) == "roles.json" {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Statement []struct {
				Action json.RawMessage
			}
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, st := range doc.Statement {
			var list []string
			if err := json.Unmarshal(st.Action, &list); err != nil {
				var one string
				if err := json.Unmarshal(st.Action, &one); err != nil {
					t.Fatalf("%s: Action: %v", f, err)
				}
				list = []string{one}
			}
			for _, a := range list {
				seen++
				if !Known(a) {
					t.Errorf("%s: action %q is not known", filepath.Base(f), a)
				}
			}
		}
	}
	if seen == 0 {
		t.Skip("no guide fixtures found")
	}
}

func TestKnownTable(t *testing.T) {
	tests := []struct {
		action string
		want   bool
	}{
		// case-insensitive, as IAM is
		{"s3:getobject", true},
		{"S3:GETOBJECT", true},
		{"Sqs:receiveMessage", true},
		{"kafka-cluster:writedataidempotently", true},
		{"iam:passrole", true},
		// IAM action names that are not API operation names
		{"s3:ListBucket", true},
		{"s3:ListAllMyBuckets", true},
		{"s3:GetObjectVersion", true},
		{"ecs:Poll", true},
		{"logs:Unmask", true},
		// fakes and API-only names
		{"s3:GetObjects", false},
		{"sqs:ReceiveMessages", false},
		{"s3:ListObjectsV2", false},
		{"s3:ListObjects", false},
		{"logs:PutLogEvent", false},
		{"kafka-cluster:ReadTopic", false},
		{"ecs:DescribeTask", false},
		{"iam:PassRoles", false},
		// malformed
		{"", false},
		{"s3", false},
		{"s3:", false},
		{":GetObject", false},
		{"s3:GetObject ", false},
		// uncovered service: never known
		{"dynamodb:GetItem", false},
		// wildcards: known when they match something
		{"s3:Get*", true},
		{"kafka-cluster:*Topic", true},
		{"sqs:*", true},
		{"sqs:Nope*", false},
		{"sq?:SendMessage", true},
		{"dynamodb:*", false},
	}
	for _, tt := range tests {
		if got := Known(tt.action); got != tt.want {
			t.Errorf("Known(%q) = %v, want %v", tt.action, got, tt.want)
		}
	}
}

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string
	}{
		{"kafka-cluster:*Topic", []string{
			"kafka-cluster:AlterTopic", "kafka-cluster:CreateTopic",
			"kafka-cluster:DeleteTopic", "kafka-cluster:DescribeTopic",
		}},
		{"KAFKA-CLUSTER:*topic", []string{
			"kafka-cluster:AlterTopic", "kafka-cluster:CreateTopic",
			"kafka-cluster:DeleteTopic", "kafka-cluster:DescribeTopic",
		}},
		{"kafka-cluster:*Topic*", []string{
			"kafka-cluster:AlterTopic", "kafka-cluster:AlterTopicDynamicConfiguration",
			"kafka-cluster:CreateTopic", "kafka-cluster:DeleteTopic",
			"kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration",
		}},
		{"kafka-cluster:WriteData*", []string{
			"kafka-cluster:WriteData", "kafka-cluster:WriteDataIdempotently",
		}},
		{"ssm:GetParameter?", []string{"ssm:GetParameters"}},
		{"ssm:GetParameter*", []string{
			"ssm:GetParameter", "ssm:GetParameterHistory",
			"ssm:GetParameters", "ssm:GetParametersByPath",
		}},
		{"sqs:*Message", []string{
			"sqs:DeleteMessage", "sqs:ReceiveMessage", "sqs:SendMessage",
		}},
		{"s3:GetObject", []string{"s3:GetObject"}},
		{"s3:getobject", []string{"s3:GetObject"}},
		{"s3:GetObjects", nil},
		{"dynamodb:*", nil},
	}
	for _, tt := range tests {
		got := Match(tt.pattern)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Match(%q) = %v, want %v", tt.pattern, got, tt.want)
		}
	}
}

func TestMatchAll(t *testing.T) {
	all := Match("*")
	if len(all) < 1500 {
		t.Fatalf("Match(\"*\") = %d actions, want the full list", len(all))
	}
	if got := Match("*:*"); len(got) != len(all) {
		t.Errorf("Match(\"*:*\") = %d, want %d", len(got), len(all))
	}
	if !sort.StringsAreSorted(all) {
		t.Error("Match result not sorted")
	}
}

func TestServicesAndCovered(t *testing.T) {
	want := []string{
		"application-autoscaling", "cloudwatch", "ec2", "ecr", "ecs", "iam",
		"kafka-cluster", "kms", "lambda", "logs", "s3", "secretsmanager",
		"sqs", "ssm", "sts",
	}
	if got := Services(); !reflect.DeepEqual(got, want) {
		t.Errorf("Services() = %v, want %v", got, want)
	}
	s := Services()
	s[0] = "mutated"
	if Services()[0] != want[0] {
		t.Error("Services() returned the internal slice")
	}
	for _, svc := range want {
		if !Covered(svc) || !Covered(strings.ToUpper(svc)) {
			t.Errorf("Covered(%q) = false", svc)
		}
		if len(Actions(svc)) == 0 {
			t.Errorf("Actions(%q) is empty", svc)
		}
	}
	for _, svc := range []string{"dynamodb", "kafka", "rds", "", "s3:"} {
		if Covered(svc) {
			t.Errorf("Covered(%q) = true", svc)
		}
	}
	if n := len(Actions("kafka-cluster")); n != 19 {
		t.Errorf("kafka-cluster has %d actions, want 19", n)
	}
}

// TestDataFile checks the embedded file: sorted byte-wise, no duplicates
// (case-insensitively), every service has a source comment.
func TestDataFile(t *testing.T) {
	entries, err := parse(actionsTxt)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	seen := map[string]bool{}
	for _, e := range entries {
		if seen[e.lower] {
			t.Errorf("duplicate action %q", e.canonical)
		}
		seen[e.lower] = true
		lines = append(lines, e.canonical)
	}
	if !sort.StringsAreSorted(lines) {
		t.Error("actions.txt is not sorted")
	}
	for _, svc := range Services() {
		if !strings.Contains(actionsTxt, "\n# "+svc+": ") {
			t.Errorf("no source comment for service %q", svc)
		}
	}
}

func TestParseRejectsMalformed(t *testing.T) {
	for _, bad := range []string{"s3", "s3:", ":Get", "s3:Get*", "s3:Get Object", "s3:a:b"} {
		if _, err := parse(bad + "\n"); err == nil {
			t.Errorf("parse(%q) succeeded", bad)
		}
	}
	got, err := parse("# comment\n\n s3:GetObject \n")
	if err != nil || len(got) != 1 || got[0].canonical != "s3:GetObject" {
		t.Errorf("parse: %v, %v", got, err)
	}
}
