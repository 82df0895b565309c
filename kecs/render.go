package kecs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/outtree"
)

// Names and labels of the KECS IAM integration guide.
const (
	annotationRoleARN  = "kecs.io/iam-role-arn"
	annotationRoleName = "kecs.io/iam-role-name"
	labelManagedBy     = "app.kubernetes.io/managed-by"
	managedByKECS      = "kecs"
)

// Dir is the directory of an environment's KECS files, relative to the
// output directory.
func Dir(env string) string { return path.Join(env, "kecs") }

// ReportName is the file listing what the mapping could not carry over.
const ReportName = "UNMAPPED.md"

// Render renders <env>/kecs/ for every environment with a kecs block: a
// manifest per role that ECS tasks assume, in catalog order, the
// kustomization that applies them, and the mapping report. It is a
// pipeline emitter.
func Render(m *generator.Model, specName string) []generator.File {
	var files []generator.File
	for _, e := range m.Environments {
		if e.Spec.KECS == nil {
			continue
		}
		var names []string
		var report []roleReport
		for _, r := range Roles(e) {
			a := Analyze(r)
			name := r.Name + ".yaml"
			names = append(names, name)
			report = append(report, roleReport{r, name, a})
			files = append(files, generator.File{
				Path:    path.Join(Dir(e.Spec.Name), name),
				Content: outtree.WithHeader(specName, Manifest(e, r, a)),
			})
		}
		files = append(files,
			generator.File{Path: path.Join(Dir(e.Spec.Name), "kustomization.yaml"), Content: outtree.WithHeader(specName, kustomization(names))},
			generator.File{Path: path.Join(Dir(e.Spec.Name), ReportName), Content: outtree.WithHeader(specName, reportFile(e, report))},
		)
	}
	return files
}

// Roles are the roles of an environment that ECS tasks assume, task roles
// and execution roles, in catalog order.
func Roles(e *generator.Environment) []*generator.Role {
	var out []*generator.Role
	for _, r := range e.Roles {
		if r.AssumedByECSTasks() {
			out = append(out, r)
		}
	}
	return out
}

// Manifest is the ServiceAccount, Role and RoleBinding of one role, named,
// labelled and annotated as in the KECS IAM integration guide.
//
// The ServiceAccount is "{role-name}-sa", where the role name is the IAM
// role's name in LocalStack, which already carries KECS's prefix: the
// guide's role my-task-role becomes kecs-my-task-role with ServiceAccount
// kecs-my-task-role-sa, and Lakerunner's lakerunner-data-task-role becomes
// kecs-lakerunner-data-task-role with ServiceAccount
// kecs-lakerunner-data-task-role-sa (the prefix is added once, never
// twice). The Role and RoleBinding have the ServiceAccount's name.
//
// The annotation kecs.io/task-definition-arn is left out: a role serves
// several task definitions, and a task definition ARN names a revision,
// which exists only once KECS registers the task definition.
func Manifest(e *generator.Environment, r *generator.Role, a Analysis) []byte {
	ns := e.Spec.KECS.Namespace
	name := r.KECSServiceAccountName()
	var w writer

	w.comment(fmt.Sprintf("IAM role %s (role kind %s) and the ServiceAccount KECS maps it to, %s, with its Role and RoleBinding.", r.Name, r.Kind(), name))
	if uses := usedBy(e, r); uses != "" {
		w.comment(uses)
	}
	w.comment("kecs.io/task-definition-arn is not set: a task definition ARN names a revision, which exists only once KECS registers the task definition, and a role may serve several task definitions.")
	w.line("apiVersion: v1")
	w.line("kind: ServiceAccount")
	w.metadata(name, ns, [][2]string{
		{annotationRoleARN, r.ARN()},
		{annotationRoleName, r.Name},
	})

	w.line("---")
	w.comment("RBAC rules from the role's IAM policies, mapped with the KECS IAM integration guide's table (see " + ReportName + "):")
	if len(a.Grants) == 0 {
		w.comment("  (none of the role's actions has a mapping)")
	}
	for _, g := range a.Grants {
		w.comment(fmt.Sprintf("  %s -> %s %s", g.Action, strings.Join(g.Verbs, ", "), strings.Join(g.Resources, ", ")))
	}
	for _, x := range a.Expansions {
		w.comment(fmt.Sprintf("  (%s allows %s)", x.Pattern, strings.Join(x.Actions, ", ")))
	}
	if len(a.Denied) > 0 {
		w.comment("Denied by a Deny statement, so not granted:")
		for _, f := range a.Denied {
			w.comment("  " + f.Action)
		}
	}
	if len(a.Unmapped) > 0 {
		w.comment("IAM actions without a mapping, not granted in Kubernetes:")
		for _, f := range a.Unmapped {
			w.comment("  " + f.Action)
		}
	}
	if len(a.UnknownPolicies) > 0 {
		w.comment("Managed policies of unknown content, none of their actions granted:")
		for _, arn := range a.UnknownPolicies {
			w.comment("  " + arn)
		}
	}
	w.line("apiVersion: rbac.authorization.k8s.io/v1")
	w.line("kind: Role")
	w.metadata(name, ns, nil)
	if len(a.Rules) == 0 {
		w.line("rules: []")
	} else {
		w.line("rules:")
		for _, rule := range a.Rules {
			w.line("- apiGroups: " + flow(rule.APIGroups))
			w.line("  resources: " + flow(rule.Resources))
			w.line("  verbs: " + flow(rule.Verbs))
		}
	}

	w.line("---")
	w.line("apiVersion: rbac.authorization.k8s.io/v1")
	w.line("kind: RoleBinding")
	w.metadata(name, ns, nil)
	w.line("subjects:")
	w.line("- kind: ServiceAccount")
	w.line("  name: " + scalar(name))
	w.line("  namespace: " + scalar(ns))
	w.line("roleRef:")
	w.line("  kind: Role")
	w.line("  name: " + scalar(name))
	w.line("  apiGroup: rbac.authorization.k8s.io")
	return w.Bytes()
}

// usedBy says which services run under the role.
func usedBy(e *generator.Environment, r *generator.Role) string {
	var task, exec []string
	for _, s := range e.Services {
		if s.TaskRole == r {
			task = append(task, s.Name)
		}
		if s.ExecutionRole == r {
			exec = append(exec, s.Name)
		}
	}
	var parts []string
	if len(task) > 0 {
		parts = append(parts, "task role of "+strings.Join(task, ", "))
	}
	if len(exec) > 0 {
		parts = append(parts, "execution role of "+strings.Join(exec, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return "The " + strings.Join(parts, "; the ") + "."
}

func kustomization(files []string) []byte {
	var w writer
	w.comment("`kubectl apply -k` applies the ServiceAccount, Role and RoleBinding of every role.")
	w.line("apiVersion: kustomize.config.k8s.io/v1beta1")
	w.line("kind: Kustomization")
	if len(files) == 0 {
		w.line("resources: []")
		return w.Bytes()
	}
	w.line("resources:")
	for _, f := range files {
		w.line("- " + scalar(f))
	}
	return w.Bytes()
}

// writer builds YAML text line by line.
type writer struct{ bytes.Buffer }

func (w *writer) line(s string) {
	w.WriteString(s)
	w.WriteByte('\n')
}

// comment writes text as '#' comment lines, wrapped at about 80 columns;
// a line break in text cannot end the comment.
func (w *writer) comment(text string) {
	indent := text[:len(text)-len(strings.TrimLeft(text, " "))]
	for _, l := range wrap(strings.Fields(text), 78-len(indent)) {
		w.line(strings.TrimRight("# "+indent+l, " "))
	}
}

func (w *writer) metadata(name, namespace string, annotations [][2]string) {
	w.line("metadata:")
	w.line("  name: " + scalar(name))
	w.line("  namespace: " + scalar(namespace))
	w.line("  labels:")
	w.line("    " + labelManagedBy + ": " + managedByKECS)
	if len(annotations) > 0 {
		w.line("  annotations:")
		for _, a := range annotations {
			w.line("    " + a[0] + ": " + quote(a[1]))
		}
	}
}

func wrap(words []string, width int) []string {
	var lines []string
	var cur string
	for _, word := range words {
		switch {
		case cur == "":
			cur = word
		case len(cur)+1+len(word) > width:
			lines = append(lines, cur)
			cur = word
		default:
			cur += " " + word
		}
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// plainRe and plainReserved decide when a string may be a plain YAML
// scalar: a lower-case letter first (so never a number, date or
// indicator), and not a word that YAML 1.1 or 1.2 reads as a boolean or
// null.
var (
	plainRe       = regexp.MustCompile(`^[a-z][a-z0-9._-]*$`)
	plainReserved = map[string]bool{"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true, "true": true, "false": true, "null": true}
)

// scalar writes s as a YAML string: plain when that is unambiguous,
// double-quoted otherwise.
func scalar(s string) string {
	if plainRe.MatchString(s) && !plainReserved[s] {
		return s
	}
	return quote(s)
}

// quote writes s as a double-quoted YAML scalar. A JSON string is one.
func quote(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err) // a string always encodes
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// flow writes a list of strings as a YAML flow sequence of quoted
// strings, as the guide writes RBAC rules: ["configmaps", "secrets"].
func flow(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = quote(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
