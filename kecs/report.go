package kecs

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/cardinalhq/lakerunner-iam/generator"
)

type roleReport struct {
	role     *generator.Role
	manifest string
	analysis Analysis
}

// reportFile is UNMAPPED.md: for each role, every IAM action its policies
// allow that the mapping gives nothing in Kubernetes, and every decision
// that made its rules differ from its policies. In LocalStack the roles
// keep their full IAM policies; only the Kubernetes side is narrower.
func reportFile(e *generator.Environment, roles []roleReport) []byte {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("## KECS RBAC mapping of environment %q\n\n", e.Spec.Name)
	p("The manifests in this directory give each ECS task role's ServiceAccount, in namespace `%s`, ", e.Spec.KECS.Namespace)
	p("the Kubernetes RBAC permissions that the KECS IAM integration guide maps IAM actions to. ")
	p("The guide maps only these actions:\n\n")
	p("| IAM action | Kubernetes resources | Kubernetes verbs |\n|---|---|---|\n")
	for _, m := range Table {
		p("| `%s` | %s | %s |\n", m.Action, strings.Join(m.Resources, ", "), strings.Join(m.Verbs, ", "))
	}
	p("\nA wildcard (`s3:*`, `s3:Get*`, `*`) and an Allow with NotAction grant the mapped actions they match. ")
	p("An action a Deny statement denies is not granted, whatever resources and conditions the Deny has, since RBAC cannot grant it only in part. ")
	p("Resources and conditions of Allow statements cannot be expressed either: a mapped action grants its verbs on the resource type in the whole namespace. ")
	p("Everything else the roles allow has no Kubernetes equivalent and is listed here, so that nothing is dropped silently. ")
	p("In LocalStack the roles keep their full IAM policies.\n")

	for _, rr := range roles {
		r, a := rr.role, rr.analysis
		p("\n### %s\n\n", r.Name)
		p("ServiceAccount `%s`, in `%s`.\n\n", r.KECSServiceAccountName(), rr.manifest)
		if len(a.Grants) == 0 {
			p("Granted: nothing; no action of the role has a mapping.\n\n")
		} else {
			var granted []string
			for _, g := range a.Grants {
				granted = append(granted, "`"+g.Action+"`")
			}
			p("Granted through the mapping: %s.\n\n", strings.Join(granted, ", "))
		}
		if len(a.Unmapped) == 0 {
			p("Unmapped actions: none.\n")
		} else {
			p("Unmapped actions, not granted in Kubernetes:\n\n| IAM action | Allowed by |\n|---|---|\n")
			for _, f := range a.Unmapped {
				p("| `%s` | %s |\n", f.Action, strings.Join(f.Sources, "; "))
			}
		}
		if len(a.Expansions) > 0 {
			p("\nWildcards and NotAction statements:\n\n")
			for _, x := range a.Expansions {
				p("- `%s` (%s) grants the mapped %s; the other actions it allows have no mapping.\n", x.Pattern, strings.Join(x.Sources, "; "), codeList(x.Actions))
			}
		}
		if len(a.Denied) > 0 {
			p("\nDenied, so not granted although allowed:\n\n")
			for _, f := range a.Denied {
				p("- `%s`, denied by %s.\n", f.Action, strings.Join(f.Sources, "; "))
			}
		}
		if len(a.UnknownPolicies) > 0 {
			p("\nManaged policies whose content is not known here; none of their actions is granted:\n\n")
			for _, arn := range a.UnknownPolicies {
				p("- `%s`\n", arn)
			}
		}
		if a.PermissionsBoundary != "" {
			p("\nThe permissions boundary `%s` is not applied: its content is not known here.\n", a.PermissionsBoundary)
		}
	}
	return b.Bytes()
}

func codeList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = "`" + s + "`"
	}
	return strings.Join(q, ", ")
}
