package kecs

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/policy"
)

// guideRow is a row of the guide's "IAM Policy Mapping" table as written.
type guideRow struct {
	action           string
	resources, verbs []string
}

// guideTable reads the mapping table from the guide's text in testdata.
func guideTable(t *testing.T) []guideRow {
	t.Helper()
	data, err := os.ReadFile("testdata/kecs-guide.md")
	if err != nil {
		t.Fatal(err)
	}
	rowRe := regexp.MustCompile(`(?m)^\| ([a-z0-9-]+:[A-Za-z]+) \| ([a-z, ]+) \| ([a-z, ]+) \|$`)
	split := func(s string) []string { return strings.Split(s, ", ") }
	var rows []guideRow
	for _, m := range rowRe.FindAllStringSubmatch(string(data), -1) {
		rows = append(rows, guideRow{m[1], split(m[2]), split(m[3])})
	}
	if len(rows) != 7 {
		t.Fatalf("read %d rows of the guide's table, want 7", len(rows))
	}
	return rows
}

func TestTableIsTheGuides(t *testing.T) {
	rows := guideTable(t)
	if len(Table) != len(rows) {
		t.Fatalf("Table has %d rows, the guide %d", len(Table), len(rows))
	}
	for i, row := range rows {
		got := Table[i]
		if got.Action != row.action || got.APIGroup != "" || !reflect.DeepEqual(got.Resources, row.resources) || !reflect.DeepEqual(got.Verbs, row.verbs) {
			t.Errorf("Table[%d] = %+v, the guide's row %d is %+v", i, got, i+1, row)
		}
	}
}

// TestTableRows maps each row's action alone, as a task role's only
// permission, and expects exactly that row's rule.
func TestTableRows(t *testing.T) {
	for _, row := range guideTable(t) {
		t.Run(row.action, func(t *testing.T) {
			a := analyze(allow(row.action))
			want := []Rule{{APIGroups: []string{""}, Resources: slices.Compact(slices.Sorted(slices.Values(row.resources))), Verbs: slices.Compact(slices.Sorted(slices.Values(row.verbs)))}}
			if !reflect.DeepEqual(a.Rules, want) {
				t.Errorf("rules = %+v, want %+v", a.Rules, want)
			}
			if len(a.Grants) != 1 || a.Grants[0].Action != row.action {
				t.Errorf("grants = %+v, want only %s", a.Grants, row.action)
			}
			if len(a.Unmapped)+len(a.Denied)+len(a.Expansions) != 0 {
				t.Errorf("unexpected findings: %+v", a)
			}
		})
	}
}

func allow(actions ...string) []statement {
	return []statement{{Statement: policy.Statement{Effect: "Allow", Actions: actions, Resources: []string{"*"}}, Policy: "test"}}
}

// rulesOf writes rules compactly: "configmaps,secrets=get".
func rulesOf(t *testing.T, rs []Rule) []string {
	t.Helper()
	var out []string
	for _, r := range rs {
		if !reflect.DeepEqual(r.APIGroups, []string{""}) {
			t.Errorf("rule %+v: want the core API group only", r)
		}
		out = append(out, strings.Join(r.Resources, ",")+"="+strings.Join(r.Verbs, ","))
	}
	return out
}

func actionsOf(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Action)
	}
	return out
}

func TestAnalyze(t *testing.T) {
	tests := []struct {
		name       string
		policy     string // IAM policy JSON
		rules      []string
		unmapped   []string
		denied     []string
		expansions map[string][]string
	}{
		{
			name:   "string Action",
			policy: `{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}`,
			rules:  []string{"configmaps,secrets=get"},
		},
		{
			name:   "list Action",
			policy: `{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}]}`,
			rules:  []string{"configmaps=create,update", "configmaps,secrets=get"},
		},
		{
			name:   "string and list Action in one policy",
			policy: `{"Statement": [{"Effect": "Allow", "Action": "logs:CreateLogStream", "Resource": "*"}, {"Effect": "Allow", "Action": ["logs:PutLogEvents"], "Resource": "*"}]}`,
			rules:  []string{"events=create,patch"},
		},
		{
			name:       "service wildcard",
			policy:     `{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`,
			rules:      []string{"configmaps=create,update", "configmaps,secrets=get"},
			expansions: map[string][]string{"s3:*": {"s3:GetObject", "s3:PutObject"}},
		},
		{
			name:       "prefix wildcard",
			policy:     `{"Statement": [{"Effect": "Allow", "Action": ["s3:Get*"], "Resource": "*"}]}`,
			rules:      []string{"configmaps,secrets=get"},
			expansions: map[string][]string{"s3:Get*": {"s3:GetObject"}},
		},
		{
			name:   "every action",
			policy: `{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}`,
			rules:  []string{"configmaps=create,update", "configmaps,secrets=get", "events=create,patch"},
			expansions: map[string][]string{"*": {
				"s3:GetObject", "s3:PutObject", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "ssm:GetParameter", "secretsmanager:GetSecretValue",
			}},
		},
		{
			name:       "single-character wildcard",
			policy:     `{"Statement": [{"Effect": "Allow", "Action": "s3:?etObject", "Resource": "*"}]}`,
			rules:      []string{"configmaps,secrets=get"},
			expansions: map[string][]string{"s3:?etObject": {"s3:GetObject"}},
		},
		{
			name:   "case-insensitive action",
			policy: `{"Statement": [{"Effect": "Allow", "Action": "SecretsManager:getSecretValue", "Resource": "*"}]}`,
			rules:  []string{"secrets=get"},
		},
		{
			name:       "wildcard inside the name",
			policy:     `{"Statement": [{"Effect": "Allow", "Action": "logs:*Log*", "Resource": "*"}]}`,
			rules:      []string{"events=create,patch"},
			expansions: map[string][]string{"logs:*Log*": {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}},
		},
		{
			name:     "wildcard that matches no mapped action",
			policy:   `{"Statement": [{"Effect": "Allow", "Action": ["sqs:*", "s3:List*"], "Resource": "*"}]}`,
			unmapped: []string{"s3:List*", "sqs:*"},
		},
		{
			name:     "unmapped actions are reported, mapped ones granted",
			policy:   `{"Statement": [{"Effect": "Allow", "Action": ["s3:DeleteObject", "s3:GetObject", "kms:Decrypt"], "Resource": "*"}]}`,
			rules:    []string{"configmaps,secrets=get"},
			unmapped: []string{"kms:Decrypt", "s3:DeleteObject"},
		},
		{
			name:       "Allow with NotAction",
			policy:     `{"Statement": [{"Effect": "Allow", "NotAction": ["s3:*", "logs:*"], "Resource": "*"}]}`,
			rules:      []string{"configmaps,secrets=get"},
			unmapped:   []string{"NotAction s3:*, logs:*"},
			expansions: map[string][]string{"NotAction s3:*, logs:*": {"ssm:GetParameter", "secretsmanager:GetSecretValue"}},
		},
		{
			name: "Deny removes the action",
			policy: `{"Statement": [
				{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"},
				{"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}]}`,
			rules:  []string{"configmaps,secrets=get"},
			denied: []string{"s3:PutObject"},
		},
		{
			name: "Deny keeps what other allowed actions map to",
			policy: `{"Statement": [
				{"Effect": "Allow", "Action": ["s3:GetObject", "ssm:GetParameter"], "Resource": "*"},
				{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*"}]}`,
			rules:  []string{"configmaps,secrets=get"},
			denied: []string{"s3:GetObject"},
		},
		{
			name: "Deny before the Allow still wins",
			policy: `{"Statement": [
				{"Effect": "Deny", "Action": "logs:PutLogEvents", "Resource": "*"},
				{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}`,
			rules:      []string{"events=create"},
			denied:     []string{"logs:PutLogEvents"},
			expansions: map[string][]string{"logs:*": {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"}},
		},
		{
			name: "Deny with a wildcard",
			policy: `{"Statement": [
				{"Effect": "Allow", "Action": "*", "Resource": "*"},
				{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}`,
			rules:  []string{"configmaps,secrets=get", "events=create,patch"},
			denied: []string{"s3:GetObject", "s3:PutObject"},
			expansions: map[string][]string{"*": {
				"s3:GetObject", "s3:PutObject", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "ssm:GetParameter", "secretsmanager:GetSecretValue",
			}},
		},
		{
			name: "Deny with NotAction denies everything else",
			policy: `{"Statement": [
				{"Effect": "Allow", "Action": ["s3:GetObject", "logs:CreateLogStream", "secretsmanager:GetSecretValue"], "Resource": "*"},
				{"Effect": "Deny", "NotAction": "logs:*", "Resource": "*"}]}`,
			rules:  []string{"events=create"},
			denied: []string{"s3:GetObject", "secretsmanager:GetSecretValue"},
		},
		{
			name: "Deny scoped by resource and condition still removes the action",
			policy: `{"Statement": [
				{"Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*"},
				{"Effect": "Deny", "Action": "ssm:GetParameter", "Resource": "arn:aws:ssm:us-east-1:000000000000:parameter/secret/*",
				 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}`,
			denied: []string{"ssm:GetParameter"},
		},
		{
			name: "Deny of actions never allowed changes nothing",
			policy: `{"Statement": [
				{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
				{"Effect": "Deny", "Action": ["sqs:*", "s3:PutObject"], "Resource": "*"}]}`,
			rules: []string{"configmaps,secrets=get"},
		},
		{
			name:   "duplicate rules merge",
			policy: `{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "ssm:GetParameter", "logs:CreateLogGroup", "logs:PutLogEvents", "logs:CreateLogStream"], "Resource": "*"}]}`,
			rules:  []string{"configmaps,secrets=get", "events=create,patch"},
		},
		{
			name:   "a rule other rules cover is dropped",
			policy: `{"Statement": [{"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "ssm:GetParameter"], "Resource": "*"}]}`,
			rules:  []string{"configmaps,secrets=get"},
		},
		{
			name:   "a rule other rules cover only in part stays",
			policy: `{"Statement": [{"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue", "s3:PutObject"], "Resource": "*"}]}`,
			rules:  []string{"configmaps=create,update", "secrets=get"},
		},
		{
			name: "same unmapped action in two statements",
			policy: `{"Statement": [
				{"Sid": "One", "Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"},
				{"Sid": "Two", "Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:sendmessage"], "Resource": "*"}]}`,
			unmapped: []string{"sqs:SendMessage", "sqs:sendmessage"},
		},
		{
			name:   "no statements",
			policy: `{"Statement": []}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ParsePolicy([]byte(tt.policy))
			if err != nil {
				t.Fatal(err)
			}
			var stmts []statement
			for _, st := range doc.Statements {
				stmts = append(stmts, statement{st, "test"})
			}
			a := analyze(stmts)
			if got := rulesOf(t, a.Rules); !reflect.DeepEqual(got, tt.rules) {
				t.Errorf("rules = %q, want %q", got, tt.rules)
			}
			if got := actionsOf(a.Unmapped); !reflect.DeepEqual(got, tt.unmapped) {
				t.Errorf("unmapped = %q, want %q", got, tt.unmapped)
			}
			if got := actionsOf(a.Denied); !reflect.DeepEqual(got, tt.denied) {
				t.Errorf("denied = %q, want %q", got, tt.denied)
			}
			got := map[string][]string{}
			for _, x := range a.Expansions {
				got[x.Pattern] = x.Actions
			}
			if tt.expansions == nil {
				tt.expansions = map[string][]string{}
			}
			if !reflect.DeepEqual(got, tt.expansions) {
				t.Errorf("expansions = %q, want %q", got, tt.expansions)
			}

			// The result does not depend on statement order.
			rev := make([]statement, len(stmts))
			for i, s := range stmts {
				rev[len(stmts)-1-i] = s
			}
			if b := analyze(rev); !reflect.DeepEqual(a, b) {
				t.Errorf("statements in reverse order give\n%+v\nnot\n%+v", b, a)
			}
		})
	}
}

func TestFindingSources(t *testing.T) {
	stmts := []statement{
		{policy.Statement{Sid: "B", Effect: "Allow", Actions: []string{"sqs:SendMessage"}}, "inline policy p"},
		{policy.Statement{Sid: "A", Effect: "Allow", Actions: []string{"sqs:SendMessage", "s3:GetObject"}}, "inline policy p"},
		{policy.Statement{Effect: "Allow", Actions: []string{"sqs:SendMessage"}}, "managed policy m"},
		{policy.Statement{Effect: "Deny", Actions: []string{"s3:Get*"}}, "managed policy m"},
	}
	a := analyze(stmts)
	want := []Finding{{Action: "sqs:SendMessage", Sources: []string{"inline policy p, statement A", "inline policy p, statement B", "managed policy m"}}}
	if !reflect.DeepEqual(a.Unmapped, want) {
		t.Errorf("unmapped = %+v, want %+v", a.Unmapped, want)
	}
	wantDenied := []Finding{{Action: "s3:GetObject", Sources: []string{"managed policy m"}}}
	if !reflect.DeepEqual(a.Denied, wantDenied) {
		t.Errorf("denied = %+v, want %+v", a.Denied, wantDenied)
	}
}

func TestParsePolicy(t *testing.T) {
	tests := []struct {
		name, json string
		want       []policy.Statement
		err        string
	}{
		{
			name: "strings",
			json: `{"Version": "2012-10-17", "Statement": {"Sid": "S", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}`,
			want: []policy.Statement{{Sid: "S", Effect: "Allow", Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::b/*"}}},
		},
		{
			name: "lists",
			json: `{"Statement": [{"Effect": "Deny", "NotAction": ["s3:GetObject", "s3:PutObject"], "NotResource": ["*"]}]}`,
			want: []policy.Statement{{Effect: "Deny", NotActions: []string{"s3:GetObject", "s3:PutObject"}, NotResources: []string{"*"}}},
		},
		{
			name: "principal and condition are accepted and not read",
			json: `{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Principal": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}`,
			want: []policy.Statement{{Effect: "Allow", Actions: []string{"s3:GetObject"}, Resources: []string{"*"}}},
		},
		{name: "bad effect", json: `{"Statement": [{"Effect": "allow", "Action": "s3:GetObject"}]}`, err: `Effect "allow"`},
		{name: "no action", json: `{"Statement": [{"Effect": "Allow", "Resource": "*"}]}`, err: "exactly one of Action and NotAction"},
		{name: "null action", json: `{"Statement": [{"Effect": "Allow", "Action": null}]}`, err: "exactly one of Action and NotAction"},
		{name: "both", json: `{"Statement": [{"Effect": "Allow", "Action": "a:b", "NotAction": "c:d"}]}`, err: "exactly one of Action and NotAction"},
		{name: "number action", json: `{"Statement": [{"Effect": "Allow", "Action": 3}]}`, err: "want a string or a list of strings"},
		{name: "unknown element", json: `{"Statement": [{"Effect": "Allow", "Actions": ["s3:GetObject"]}]}`, err: "unknown field"},
		{name: "not JSON", json: `Statement:`, err: "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ParsePolicy([]byte(tt.json))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(doc.Statements, tt.want) {
				t.Errorf("statements = %+v, want %+v", doc.Statements, tt.want)
			}
		})
	}
}

// TestExecutionPolicyIsGuideDefault checks the known content of
// AmazonECSTaskExecutionRolePolicy against the KECS guide's default
// execution role policy, which AWS documents as the same.
func TestExecutionPolicyIsGuideDefault(t *testing.T) {
	data, err := os.ReadFile("testdata/kecs-guide.md")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```json\n(.*?)```").FindSubmatch(data)
	if block == nil {
		t.Fatal("no JSON block in the guide text")
	}
	guide, err := ParsePolicy(block[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, partition := range []string{"aws", "aws-us-gov", "aws-cn"} {
		doc, ok := ManagedPolicy("arn:" + partition + ":iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")
		if !ok {
			t.Fatalf("%s: AmazonECSTaskExecutionRolePolicy unknown", partition)
		}
		if !reflect.DeepEqual(doc, guide) {
			t.Errorf("%s: AmazonECSTaskExecutionRolePolicy = %+v, the guide's default execution policy is %+v", partition, doc, guide)
		}
	}
}

func TestManagedPolicyUnknown(t *testing.T) {
	for _, arn := range []string{
		"arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy", // wrong path
		"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
		"arn:aws:iam::123456789012:policy/service-role/AmazonECSTaskExecutionRolePolicy", // a customer policy
		"arn:aws:iam::aws:role/service-role/AmazonECSTaskExecutionRolePolicy",
		"AmazonECSTaskExecutionRolePolicy",
		"",
	} {
		if _, ok := ManagedPolicy(arn); ok {
			t.Errorf("ManagedPolicy(%q) is known", arn)
		}
	}
}

func TestMappedPoliciesKnown(t *testing.T) {
	for _, key := range mappedPolicies {
		if _, ok := ManagedPolicy("arn:aws:iam::aws:policy/" + key); !ok {
			t.Errorf("%s: content unknown", key)
		}
	}
}

func TestScalar(t *testing.T) {
	tests := map[string]string{
		"default":                   "default",
		"kecs-lakerunner-role-sa":   "kecs-lakerunner-role-sa",
		"a.b-c":                     "a.b-c",
		"no":                        `"no"`,
		"on":                        `"on"`,
		"null":                      `"null"`,
		"y":                         `"y"`,
		"1e3":                       `"1e3"`,
		"0123":                      `"0123"`,
		"Kecs":                      `"Kecs"`,
		"arn:aws:iam::1:role/x":     `"arn:aws:iam::1:role/x"`,
		"a b":                       `"a b"`,
		"<&>":                       `"<&>"`,
		"":                          `""`,
		"line\nbreak \"quoted\" \\": `"line\nbreak \"quoted\" \\"`,
	}
	for in, want := range tests {
		if got := scalar(in); got != want {
			t.Errorf("scalar(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestComment(t *testing.T) {
	var w writer
	w.comment("one two three\nfour")
	w.comment("  indented " + strings.Repeat("word ", 20))
	for _, l := range strings.Split(strings.TrimSuffix(w.String(), "\n"), "\n") {
		if !strings.HasPrefix(l, "#") || len(l) > 80 {
			t.Errorf("bad comment line %q", l)
		}
	}
	if !strings.HasPrefix(w.String(), "# one two three four\n#   indented word") {
		t.Errorf("comment = %q", w.String())
	}
}

func TestEmptyKustomization(t *testing.T) {
	if got, want := string(kustomization(nil)), "resources: []\n"; !strings.HasSuffix(got, want) {
		t.Errorf("kustomization(nil) = %q, want it to end in %q", got, want)
	}
}
