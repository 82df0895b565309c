package iameval_test

import (
	"testing"

	"github.com/cardinalhq/lakerunner-iam/iameval"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// BenchmarkCheckExample is lakerunner-iam test's evaluation of the guide
// example: every expectation and trust property of its one environment
// (the spec is loaded once, outside the loop).
func BenchmarkCheckExample(b *testing.B) {
	env := production(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, o := range iameval.CheckEnvironment(env) {
			if !o.Passed() {
				b.Fatalf("%s %s failed", o.Role.Kind(), o.Name)
			}
		}
	}
}

// BenchmarkExplainExample is one explain question on the example: the
// query role's ECS discovery, with its condition key.
func BenchmarkExplainExample(b *testing.B) {
	role := iameval.ForRole(production(b).Role("query-task"))
	ctx := map[string][]string{"ecs:cluster": {"arn:aws:ecs:us-east-1:123456789012:cluster/lakerunner-cluster"}}
	b.ReportAllocs()
	for b.Loop() {
		if role.Can("ecs:ListTasks", "*", ctx).Decision != iameval.Allowed {
			b.Fatal("not allowed")
		}
	}
}

// BenchmarkLoadAndCheckExample is the whole of lakerunner-iam test on the
// example but for printing: load, build, evaluate.
func BenchmarkLoadAndCheckExample(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m, _, diags := pipeline.Load("../examples/lakerunner.hcl")
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		iameval.CheckEnvironment(m.Environments[0])
	}
}
