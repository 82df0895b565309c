package main

import (
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/cardinalhq/lakerunner-iam/diag"
	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/iameval"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
	"github.com/cardinalhq/lakerunner-iam/policy"
	"github.com/cardinalhq/lakerunner-iam/schema"
)

// explainOptions are the flags of explain.
type explainOptions struct {
	env, role, action, resource, principal, format, templates string
	context                                                   []string
}

func (c *CLI) explainCommand() *cobra.Command {
	var o explainOptions
	cmd := &cobra.Command{
		Use:   "explain [flags] [SPEC]",
		Short: "Decide one IAM request against a generated role, and say why",
		Long: "Evaluates one request against a role SPEC (default " + defaultSpec + ") generates, offline, with AWS's\n" +
			"policy evaluation logic: with --resource, whether the role may call ACTION on that resource (its inline\n" +
			"and managed policies and its permissions boundary); with --principal, whether PRINCIPAL may call ACTION\n" +
			"(default sts:AssumeRole) on the role (its trust policy). --context gives the request's condition keys;\n" +
			"a repeated key has several values. A key not given is absent, as AWS has it: a condition on it fails.\n" +
			"The answer names the statements that decided it and where they were written.\n\n" +
			"PRINCIPAL is an account ID, an IAM ARN (role, user, assumed-role session, root), a service such as\n" +
			"ecs-tasks.amazonaws.com, or an OIDC/SAML provider ARN; prefix AWS:, Service: or Federated: to say which.\n\n" +
			"Exit status: 0 whatever the decision, 1 when the spec is invalid or the command line is wrong.",
		Args:              specArgs,
		ValidArgsFunction: completeSpec,
		RunE: func(cmd *cobra.Command, args []string) error {
			code, err := c.runExplain(cmd, o, specArg(args))
			c.code = code
			return err
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&o.env, "env", "", "Environment of the spec (may be left out when the spec has one)")
	fs.StringVar(&o.role, "role", "", "Role: its IAM name or its kind, e.g. query-task")
	fs.StringVar(&o.action, "action", "", "Action, e.g. s3:GetObject (with --principal, default sts:AssumeRole)")
	fs.StringVar(&o.resource, "resource", "", "Resource ARN the role acts on, or \"*\"")
	fs.StringVar(&o.principal, "principal", "", "Principal that calls ACTION on the role (evaluates its trust policy)")
	fs.StringArrayVar(&o.context, "context", nil, "Request context key and value, KEY=VALUE; repeat for more keys or values")
	fs.StringVarP(&o.format, "format", "f", "text", "Output format: text or json")
	fs.StringVar(&o.templates, "templates", "", "Directory of role templates that add role kinds or replace built-in ones (instead of the spec's templates_dir)")
	_ = cmd.MarkFlagDirname("templates")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]cobra.Completion{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

// explained is one decision and what it was about.
type explained struct {
	env     *generator.Environment
	role    *iameval.Role
	req     iameval.Request
	result  iameval.Result
	context map[string][]string // as given on the command line
}

func (c *CLI) runExplain(cmd *cobra.Command, o explainOptions, spec string) (int, error) {
	usage := func(format string, a ...any) (int, error) {
		return exitError, &usageError{cmd: cmd.CommandPath(), msg: fmt.Sprintf(format, a...)}
	}
	format := strings.ToLower(o.format)
	if format != "text" && format != "json" {
		return usage("--format must be text or json, not %q", o.format)
	}
	if o.role == "" {
		return usage("--role is required: a role's IAM name or its kind")
	}
	if (o.resource == "") == (o.principal == "") {
		return usage("give exactly one of --resource (what the role may do) and --principal (who may assume it)")
	}
	if o.action == "" {
		if o.resource != "" {
			return usage("--action is required with --resource, e.g. --action s3:GetObject")
		}
		o.action = "sts:AssumeRole"
	}
	if !actionRe.MatchString(o.action) {
		return usage("--action %s is not an IAM action such as s3:GetObject", schema.Quote(o.action))
	}
	ctx, err := parseContext(o.context)
	if err != nil {
		return usage("%s", err)
	}
	var principal iameval.Principal
	if o.principal != "" {
		if principal, err = parsePrincipal(o.principal); err != nil {
			return usage("%s", err)
		}
	}

	model, parser, diags := pipeline.Options{Templates: o.templates}.Load(spec)
	env, role, d := findRole(model, o.env, o.role)
	diags = append(diags, d...)
	c.writeDiags(parser, diags)
	if diags.HasErrors() {
		if format == "json" {
			_ = writeJSON(c.Stdout, jsonExplain{Deciding: []jsonMatch{}, NearMisses: []jsonNearMiss{}, Unknown: []string{}, Diagnostics: diag.JSONDiagnostics(diags)})
		}
		return exitError, nil
	}
	e := explained{env: env, role: iameval.ForRole(role), context: ctx}
	if o.principal != "" {
		e.result = e.role.AssumableBy(principal, o.action, ctx)
		e.req = iameval.Request{Action: o.action, Resource: role.ARN(), Principal: &principal}
	} else {
		e.result = e.role.Can(o.action, o.resource, ctx)
		e.req = iameval.Request{Action: o.action, Resource: o.resource}
	}
	if format == "json" {
		err = writeJSON(c.Stdout, explainJSON(e))
	} else {
		err = writeExplainText(c.Stdout, e)
	}
	if err != nil {
		fmt.Fprintf(c.Stderr, "%s: %s\n", cmd.CommandPath(), err)
		return exitError, nil
	}
	return exitOK, nil
}

var actionRe = regexp.MustCompile(`^[a-zA-Z0-9-]+:[A-Za-z0-9]+$`)

// parseContext reads --context KEY=VALUE flags; a repeated key collects
// its values in order.
func parseContext(flags []string) (map[string][]string, error) {
	ctx := map[string][]string{}
	for _, f := range flags {
		k, v, ok := strings.Cut(f, "=")
		if !ok || !strings.Contains(k, ":") {
			return nil, fmt.Errorf("--context %s is not KEY=VALUE with a condition key such as aws:SourceAccount", schema.Quote(f))
		}
		ctx[k] = append(ctx[k], v)
	}
	return ctx, nil
}

var accountRe = regexp.MustCompile(`^\d{12}$`)

// parsePrincipal reads --principal: TYPE:ID, or an ID whose form says
// its type.
func parsePrincipal(s string) (iameval.Principal, error) {
	for _, t := range []string{"AWS", "Service", "Federated"} {
		if id, ok := strings.CutPrefix(s, t+":"); ok && id != "" {
			return iameval.Principal{Type: t, ID: id}, nil
		}
	}
	switch {
	case accountRe.MatchString(s):
		return iameval.Principal{Type: "AWS", ID: s}, nil
	case strings.HasPrefix(s, "arn:") && (strings.Contains(s, ":oidc-provider/") || strings.Contains(s, ":saml-provider/")):
		return iameval.Principal{Type: "Federated", ID: s}, nil
	case strings.HasPrefix(s, "arn:"):
		return iameval.Principal{Type: "AWS", ID: s}, nil
	case strings.HasSuffix(s, ".amazonaws.com") || strings.HasSuffix(s, ".amazonaws.com.cn"):
		return iameval.Principal{Type: "Service", ID: s}, nil
	}
	return iameval.Principal{}, fmt.Errorf("--principal %s is not an account ID, an ARN or a service such as ecs-tasks.amazonaws.com; prefix AWS:, Service: or Federated: to say which it is", schema.Quote(s))
}

// findRole finds an environment (by name; the only one when name is
// empty) and its role (by IAM name or kind). Not finding them is an error
// diagnostic that lists what there is.
func findRole(m *generator.Model, envName, role string) (*generator.Environment, *generator.Role, hcl.Diagnostics) {
	if m == nil {
		return nil, nil, nil
	}
	env, diags := findEnv(m, envName)
	if env == nil {
		return nil, nil, diags
	}
	var names []string
	for _, r := range env.Roles {
		if r.Name == role || r.Kind() == role {
			return env, r, nil
		}
		names = append(names, r.Name)
	}
	// EKS, shared layout: a workload kind's permissions are in the shared
	// role, which lint also reports under the kind.
	for _, r := range env.Roles {
		if slices.ContainsFunc(r.Merged, func(w *generator.Role) bool { return w.Kind() == role }) {
			return env, r, nil
		}
	}
	kinds := make([]string, len(env.Roles))
	for i, r := range env.Roles {
		kinds[i] = r.Kind()
	}
	detail := fmt.Sprintf("Environment %q has no role named %s or of that kind. Its roles: %s (kinds %s).", env.Spec.Name, schema.Quote(role), strings.Join(names, ", "), strings.Join(kinds, ", "))
	if c := schema.Closest(role, append(names, kinds...)); c != "" {
		detail = fmt.Sprintf("Environment %q has no role named %s or of that kind. Did you mean %q?", env.Spec.Name, schema.Quote(role), c)
	}
	return nil, nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown role", Detail: detail}}
}

func findEnv(m *generator.Model, name string) (*generator.Environment, hcl.Diagnostics) {
	names := make([]string, len(m.Environments))
	for i, e := range m.Environments {
		names[i] = e.Spec.Name
		if e.Spec.Name == name || (name == "" && len(m.Environments) == 1) {
			return e, nil
		}
	}
	if name == "" {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Which environment?",
			Detail: fmt.Sprintf("The spec has %d environments: name one with --env (%s).", len(names), strings.Join(names, ", "))}}
	}
	return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unknown environment",
		Detail: fmt.Sprintf("The spec has no environment %s; its environments are %s.", schema.Quote(name), strings.Join(names, ", "))}}
}

// writeExplainText prints a decision for people.
func writeExplainText(w io.Writer, e explained) error {
	r := e.role.Role
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", strings.ToUpper(strings.ReplaceAll(string(e.result.Decision), "_", " ")))
	if e.req.Principal != nil {
		fmt.Fprintf(&b, "  May %s %s call %s on role %s (%s)?\n", e.req.Principal.Type, diag.Text(e.req.Principal.ID), diag.Text(e.req.Action), r.Name, r.Kind())
	} else {
		fmt.Fprintf(&b, "  May role %s (%s) call %s on %s?\n", r.Name, r.Kind(), diag.Text(e.req.Action), diag.Text(e.req.Resource))
	}
	fmt.Fprintf(&b, "  Environment %s, account %s.\n", e.env.Spec.Name, e.env.Spec.AccountID)
	for _, k := range slices.Sorted(maps.Keys(e.context)) {
		fmt.Fprintf(&b, "  Context %s = %s\n", diag.Text(k), diag.Text(strings.Join(e.context[k], ", ")))
	}
	fmt.Fprintf(&b, "%s\n", e.result.Reason)
	for _, m := range e.result.Deciding {
		fmt.Fprintf(&b, "  %s %s\n    %s\n", m.Statement.Effect, m.Where(), statementSummary(m))
	}
	for _, m := range e.result.NearMisses {
		fmt.Fprintf(&b, "  Would apply but for its conditions: %s\n", m.Where())
		for _, c := range m.Failed {
			fmt.Fprintf(&b, "    not met: %s\n", conditionText(c, e.context))
		}
	}
	for _, u := range e.role.Unknown {
		fmt.Fprintf(&b, "Not evaluated: the content of %s is not known to lakerunner-iam; a statement of it could change the decision.\n", u)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// statementSummary is a statement on one line: its actions, resources
// and conditions.
func statementSummary(m iameval.Match) string {
	st := m.Statement
	var parts []string
	list := func(label string, l []string) {
		if len(l) > 0 {
			parts = append(parts, label+" "+strings.Join(l, ", "))
		}
	}
	list("actions", st.Actions)
	list("all actions but", st.NotActions)
	list("on", st.Resources)
	list("on all resources but", st.NotResources)
	for _, p := range st.Principals {
		list("principal "+p.Type, p.Identifiers)
	}
	for _, c := range st.Conditions {
		parts = append(parts, fmt.Sprintf("when %s %s = %s", c.Test, c.Variable, strings.Join(c.Values, ", ")))
	}
	return diag.Text(strings.Join(parts, "; "))
}

// conditionText is a failed condition and what the request had for its
// key.
func conditionText(c policy.Condition, ctx map[string][]string) string {
	had := "absent from the request"
	for k, v := range ctx {
		if strings.EqualFold(k, c.Variable) {
			had = "the request has " + strings.Join(v, ", ")
		}
	}
	return diag.Text(fmt.Sprintf("%s %s = %s (%s)", c.Test, c.Variable, strings.Join(c.Values, ", "), had))
}
