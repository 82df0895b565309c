package moddocs

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/iameval"
)

// capability is a thing a service may need to do, as the requests that
// doing it makes; atLaunch: the requests are the execution role's (ECS
// reads a task's secrets before it starts), else the task role's.
type capability struct {
	name     string
	requests []capabilityRequest
	atLaunch bool
	// always: shown even when no service has it (it shows that none does).
	always bool
}

type capabilityRequest struct {
	action, resource string
	context          map[string][]string
}

func (r capabilityRequest) String() string {
	s := code(r.action) + " on " + code(r.resource)
	for _, k := range slices.Sorted(maps.Keys(r.context)) {
		s += " with " + code(k+" = "+strings.Join(r.context[k], ", "))
	}
	return s
}

// capabilities are what the access matrix asks of an environment's
// services, on representative resources of its own: an object of each
// bucket pattern, each queue, each secret, its cluster.
func capabilities(e *generator.Environment) []capability {
	env := e.Spec
	res := env.Resources
	arn := func(svc, rest string) string {
		return fmt.Sprintf("arn:%s:%s:%s:%s:%s", env.Partition, svc, env.Region, env.AccountID, rest)
	}
	var out []capability
	for _, b := range res.S3Buckets {
		bucket := b // a bucket of another account, given by ARN
		if !strings.HasPrefix(b, "arn:") {
			bucket = fmt.Sprintf("arn:%s:s3:::%s", env.Partition, strings.ReplaceAll(b, "*", env.AccountID+"-"+env.Region))
		}
		object := bucket + "/any/key"
		out = append(out,
			capability{name: "Read bucket " + code(b), always: true, requests: []capabilityRequest{{"s3:ListBucket", bucket, nil}, {"s3:GetObject", object, nil}}},
			capability{name: "Write bucket " + code(b), always: true, requests: []capabilityRequest{{"s3:PutObject", object, nil}}},
			capability{name: "Delete from bucket " + code(b), always: true, requests: []capabilityRequest{{"s3:DeleteObject", object, nil}}},
		)
	}
	for _, q := range res.SQSQueues {
		queue := q // a queue of another account or region, given by ARN
		if !strings.HasPrefix(q, "arn:") {
			queue = arn("sqs", strings.ReplaceAll(q, "*", "events"))
		}
		out = append(out, capability{name: "Consume queue " + code(q), always: true,
			requests: []capabilityRequest{{"sqs:ReceiveMessage", queue, nil}, {"sqs:DeleteMessage", queue, nil}}})
	}
	secret := func(s string) string {
		return arn("secretsmanager", "secret:"+strings.ReplaceAll(s, "*", "db")+"-AbCdEf")
	}
	for _, s := range res.Secrets {
		out = append(out, capability{name: "Secret " + code(s) + " at launch", atLaunch: true, always: true,
			requests: []capabilityRequest{{"secretsmanager:GetSecretValue", secret(s), nil}}})
	}
	seen := map[string]bool{}
	for _, s := range append(append([]string{}, res.Secrets...), res.DatabaseSecrets...) {
		if seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, capability{name: "Read secret " + code(s),
			requests: []capabilityRequest{{"secretsmanager:GetSecretValue", secret(s), nil}}})
	}
	cluster := map[string][]string{"ecs:cluster": {arn("ecs", "cluster/"+res.ECSCluster)}}
	out = append(out,
		capability{name: "ECS discovery in " + code(res.ECSCluster), always: true,
			requests: []capabilityRequest{{"ecs:ListTasks", "*", cluster}, {"ecs:DescribeTasks", arn("ecs", "task/"+res.ECSCluster+"/any"), cluster}}},
		capability{name: "Update ECS services", requests: []capabilityRequest{{"ecs:UpdateService", "*", cluster}}},
		capability{name: "MSK " + code(res.MSKCluster),
			requests: []capabilityRequest{{"kafka-cluster:Connect", arn("kafka", "cluster/"+res.MSKCluster+"/id"), nil}}},
		capability{name: "Bedrock models",
			requests: []capabilityRequest{{"bedrock:InvokeModel", fmt.Sprintf("arn:%s:bedrock:%s::foundation-model/any", env.Partition, env.Region), nil}}},
		capability{name: "Assume other roles",
			requests: []capabilityRequest{{"sts:AssumeRole", fmt.Sprintf("arn:%s:iam::%s:role/any", env.Partition, env.AccountID), nil}}},
		capability{name: "Create IAM users", always: true,
			requests: []capabilityRequest{{"iam:CreateUser", fmt.Sprintf("arn:%s:iam::%s:user/any", env.Partition, env.AccountID), nil}}},
	)
	return out
}

// accessMatrix writes the service × capability table of an environment,
// every cell decided by iameval from the generated policies.
func accessMatrix(d *doc, e *generator.Environment) {
	roles := map[*generator.Role]*iameval.Role{}
	eval := func(r *generator.Role) *iameval.Role {
		if roles[r] == nil {
			roles[r] = iameval.ForRole(r)
		}
		return roles[r]
	}
	// Services share roles: each role answers each request once.
	type question struct {
		role     *generator.Role
		cap, req int
	}
	answers := map[question]iameval.Decision{}
	var caps []capability
	var cells [][]string
	for ci, c := range capabilities(e) {
		column := make([]string, len(e.Services))
		any := false
		for i, s := range e.Services {
			role := s.TaskRole
			if c.atLaunch {
				role = s.ExecutionRole
			}
			allowed, explicit := 0, false
			for ri, req := range c.requests {
				q := question{role, ci, ri}
				d, ok := answers[q]
				if !ok {
					d = eval(role).Can(req.action, req.resource, req.context).Decision
					answers[q] = d
				}
				switch d {
				case iameval.Allowed:
					allowed++
				case iameval.ExplicitlyDenied:
					explicit = true
				}
			}
			switch {
			case allowed == len(c.requests):
				column[i], any = "yes", true
			case allowed > 0:
				column[i], any = "partly", true
			case explicit:
				column[i] = "denied"
			default:
				column[i] = "—"
			}
		}
		if any || c.always {
			caps = append(caps, c)
			cells = append(cells, column)
		}
	}
	header := []string{"Service"}
	for _, c := range caps {
		header = append(header, c.name)
	}
	var rows [][]string
	for i, s := range e.Services {
		row := []string{code(s.Name)}
		for j := range caps {
			row = append(row, cells[j][i])
		}
		rows = append(rows, row)
	}
	d.paragraph("## Access matrix")
	d.paragraph("What each service can do, decided by lakerunner-iam's policy evaluator from the policies above " +
		"(its task role; \"at launch\": its execution role, which ECS uses to inject secrets). " +
		"\"yes\": every request below is allowed; \"partly\": some are; \"denied\": an explicit Deny applies; \"—\": implicitly denied. " +
		"`lakerunner-iam explain` shows the statements behind any cell.")
	d.table(header, rows)
	d.paragraph("The requests behind each column, on resources of this environment:")
	for _, c := range caps {
		reqs := make([]string, len(c.requests))
		for i, r := range c.requests {
			reqs[i] = r.String()
		}
		d.line("- %s: %s", c.name, strings.Join(reqs, "; "))
	}
	d.blank()
}
