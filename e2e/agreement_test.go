package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/iameval"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// TestEvaluatorAgreesWithProbes: for every probe the e2e tests make on an
// enforcing emulator (probesFor, with the targets createTargets makes),
// the offline evaluator decides as the probe expects, which is what moto
// answered when the e2e tests pass. It needs no emulator: the probes are
// data. sts:GetCallerIdentity is left out: IAM never authorizes it ("No
// permissions are required to perform this operation", STS API
// reference), so no policy decides it.
func TestEvaluatorAgreesWithProbes(t *testing.T) {
	compared := 0
	for _, c := range cases {
		if !c.probe {
			continue
		}
		m, _, diags := pipeline.Load(c.spec)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", c.spec, diags.Error())
		}
		for _, env := range m.Environments {
			res, acct := env.Spec.Resources, env.Spec.AccountID
			queue := strings.ReplaceAll(res.SQSQueues[0], "*", "e2e")
			tg := probeTargets{
				bucket:      strings.ReplaceAll(res.S3Buckets[0], "*", "e2e-"+acct),
				otherBucket: "forbidden-e2e-" + acct,
				queueARN:    fmt.Sprintf("arn:aws:sqs:%s:%s:%s", env.Spec.Region, acct, queue),
				otherQueueA: fmt.Sprintf("arn:aws:sqs:%s:%s:forbidden-e2e", env.Spec.Region, acct),
			}
			for _, role := range env.Roles {
				if !probeable(role) {
					continue
				}
				eval := iameval.ForRole(role)
				for _, p := range probesFor(role.Kind(), tg) {
					if p.action == "sts:GetCallerIdentity" {
						continue
					}
					compared++
					got := eval.Can(p.action, p.resource, nil)
					if (got.Decision == iameval.Allowed) != p.allowed {
						t.Errorf("%s %s (%s): %s on %s: the evaluator says %s (%s), the probe expects allowed=%v",
							c.name, role.Name, role.Kind(), p.action, p.resource, got.Decision, got.Reason, p.allowed)
					}
				}
			}
		}
	}
	if compared == 0 {
		t.Fatal("no probe compared")
	}
	t.Logf("%d probe decisions compared", compared)
}
