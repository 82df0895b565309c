package moddocs

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/internal/hclfmt"
	"github.com/cardinalhq/lakerunner-iam/policy"
)

// The test file plans the module with the real hashicorp/aws provider,
// configured so that it never calls AWS: aws_iam_policy_document is
// computed inside the provider, and planning the creation of IAM
// resources reads nothing. The asserts therefore see the policies exactly
// as Terraform would send them to IAM, and compare them with what
// lakerunner-iam evaluated from the catalog: two independent evaluations
// of the same templates. A mock_provider would not do: its data sources
// return what the test tells them to, so asserts on the policies would
// only check the test itself.

// Documents the asserts read, as the provider renders them.
const (
	trustDoc       = "jsondecode(data.aws_iam_policy_document.assume_role.json)"
	permissionsDoc = "jsondecode(data.aws_iam_policy_document.permissions.json)"
	extraDoc       = "jsondecode(data.aws_iam_policy_document.extra.json)"
)

// fakeCredential is the access key and secret of the test provider: static
// credentials stop the provider from looking for real ones, and nothing is
// ever signed with them.
const fakeCredential = "lakerunner-iam-test"

// moduleTest is modules/<kind>/tests/<env>.tftest.hcl: a plan run with the
// arguments that environment's root passes the module.
func moduleTest(mod *generator.Module, u Use) *hclfmt.Body {
	body := new(hclfmt.Body)
	body.Append(comment(fmt.Sprintf("Tests of the %s module: `terraform init`, then `terraform test` in the module's directory (Terraform >= 1.6).", mod.Template.Kind)))
	body.Append(comment("The run plans the module with the values of environment " + u.Env.Spec.Name + " and checks the role's name, trust policy, inline policy and managed policies against what lakerunner-iam evaluated from the spec."))
	body.Append(comment("The provider is real but never calls AWS: the policy documents are computed locally, and a plan of new IAM resources reads nothing."))
	body.Newline()

	body.Block("provider", "aws")
	body.Attr("region", body.String(u.Env.Spec.Region))
	body.Attr("access_key", body.String(fakeCredential))
	body.Attr("secret_key", body.String(fakeCredential))
	for _, flag := range []string{"skip_credentials_validation", "skip_requesting_account_id", "skip_metadata_api_check", "skip_region_validation"} {
		body.Attr(flag, hclfmt.Value(cty.True))
	}
	body.End()

	body.Newline()
	body.Block("run", identifier(u.Env.Spec.Name))
	body.Attr("command", exprs{body}.shape("plan"))
	body.Newline()
	body.Block("variables")
	for _, a := range u.Role.Arguments() {
		body.AttrValue(a.Name, a.Value)
	}
	body.End()
	w := &assertWriter{exprs: exprs{body}}
	w.prefix = body.Literal(u.Role.Name + ": ")
	w.roleAsserts(u.Role)
	body.End()
	return body
}

// assertWriter writes the assert blocks of a run block, most of a test
// file.
type assertWriter struct {
	exprs
	prefix hclwrite.Tokens // of every message: the role's name
	text   []byte          // scratch
}

// assert writes an assert block; its message is the prefix and msg, as
// message's parts.
func (w *assertWriter) assert(cond hclwrite.Tokens, msg ...any) {
	w.body.Newline()
	w.body.Block("assert")
	w.body.Attr("condition", cond)
	w.body.Attr("error_message", w.message(w.prefix, msg...))
	w.body.End()
}

func (w *assertWriter) comment(text string) {
	w.text = appendComment(w.text[:0], text)
	w.body.Newline()
	w.body.Append(append(w.body.Make(1), w.body.TokenBytes(hclsyntax.TokenComment, w.text)))
}

func (w *assertWriter) roleAsserts(r *generator.Role) {
	name := w.shape("aws_iam_role.this.name")
	w.assert(w.shape("A0 == A1", name, w.str(r.Name)), "the role is named ", name, ", not "+r.Name+".")
	path := w.shape("aws_iam_role.this.path")
	w.assert(w.shape("A0 == A1", path, w.str(r.Path)), "the role's path is ", path, ", not "+r.Path+".")
	msd := w.shape("aws_iam_role.this.max_session_duration")
	w.assert(w.shape("A0 == A1", msd, w.num(r.MaxSessionDuration)), "the maximum session duration is ", msd, fmt.Sprintf(" s, not %d s.", r.MaxSessionDuration))
	pb := w.shape("aws_iam_role.this.permissions_boundary")
	if r.PermissionsBoundary == "" {
		w.assert(w.shape("A0 == null", pb), "the role has a permissions boundary, ", w.shape("jsonencode(A0)", pb), ", and should have none.")
	} else {
		w.assert(w.shape("A0 == A1", pb, w.str(r.PermissionsBoundary)), "the permissions boundary is ", w.shape("jsonencode(A0)", pb), ", not "+r.PermissionsBoundary+".")
	}

	w.comment("Trust policy: who may assume the role.")
	w.document("trust policy", w.shape(trustDoc), r.Trust)

	if r.Permissions == nil {
		w.comment("No inline policy.")
		w.assert(w.shape("length(aws_iam_role_policy.this) == 0"), "the role has an inline policy and should have none.")
	} else {
		// Both policies have a count (inline_policy, extra_statements).
		doc, pname := w.shape(permissionsDoc), w.shape("aws_iam_role_policy.this[0].name")
		if r.Template.Policy == nil { // only the spec's statements, through var.extra_statements
			doc = w.shape(extraDoc)
		}
		w.comment("Inline policy " + r.PolicyName + ": what the role may do.")
		w.assert(w.shape("A0 == A1", pname, w.str(r.PolicyName)), "the inline policy is named ", pname, ", not "+r.PolicyName+".")
		w.document("inline policy", doc, *r.Permissions)
	}

	w.comment("Managed policies.")
	keys := make([]string, len(r.ManagedPolicies))
	arns := make([]hclwrite.Tokens, len(r.ManagedPolicies))
	for i, mp := range r.ManagedPolicies {
		keys[i], arns[i] = mp.Key, w.str(mp.ARN)
	}
	attached := w.shape("{ for k, a in aws_iam_role_policy_attachment.this : k => a.policy_arn }")
	w.assert(w.shape("A0 == A1", attached, w.object(keys, arns)), "the attached managed policies are ", w.shape("jsonencode(A0)", attached), ".")

	if r.InstanceProfileName != "" {
		w.comment("Instance profile.")
		ip := w.shape("aws_iam_instance_profile.this.name")
		w.assert(w.shape("A0 == A1", ip, w.str(r.InstanceProfileName)), "the instance profile is named ", ip, ", not "+r.InstanceProfileName+".")
	}
}

// document asserts a policy document statement by statement, in order.
// Lists compare as sets: the provider sorts them and writes a single
// value as a string, which flatten([...]) undoes.
func (w *assertWriter) document(what string, doc hclwrite.Tokens, want policy.Document) {
	stmts := w.getAttr(doc, "Statement")
	w.assert(w.shape("length(A0) == A1", stmts, w.num(len(want.Statements))),
		fmt.Sprintf("the %s has ", what), w.shape("length(A0)", stmts), fmt.Sprintf(" statements, not %d.", len(want.Statements)))
	for i, st := range want.Statements {
		// Every element is read with try(), so that a statement that
		// lacks it fails its assert instead of erroring. Messages need
		// not show the statement: Terraform prints the document's JSON
		// with a failed assert.
		s := w.shape("A0[A1]", stmts, w.num(i))
		elem := func(key, fallback string) hclwrite.Tokens {
			return w.shape("try(A0, "+fallback+")", w.getAttr(s, key))
		}
		label := fmt.Sprintf("%s statement %d", what, i+1)
		if st.Sid != "" {
			label += " (" + st.Sid + ")"
		}
		w.comment(upperFirst(label) + ".")
		w.assert(w.shape("toset(keys(try(A0, {}))) == A1", s, w.stringSet(statementKeys(st))),
			label+" has other elements than "+strings.Join(statementKeys(st), ", ")+".")
		if st.Sid != "" {
			w.assert(w.shape("A0 == A1", elem("Sid", "null"), w.str(st.Sid)), label+" has another Sid than "+st.Sid+".")
		}
		effect := st.Effect
		if effect == "" {
			effect = "Allow"
		}
		w.assert(w.shape("A0 == A1", elem("Effect", "null"), w.str(effect)), label+" does not "+effect+".")
		for _, l := range []struct {
			key, what string
			vals      []string
		}{
			{"Action", "actions", st.Actions},
			{"NotAction", "not-actions", st.NotActions},
			{"Resource", "resources", st.Resources},
			{"NotResource", "not-resources", st.NotResources},
		} {
			if len(l.vals) == 0 {
				continue
			}
			got := w.shape("toset(flatten([A0]))", elem(l.key, "[]"))
			w.assert(w.shape("A0 == A1", got, w.stringSet(l.vals)), label+" has other "+l.what+" than the spec implies.")
		}
		switch {
		case anyone(st.Principals):
			// The provider writes "Principal": "*" for a principal of type "*".
			w.assert(w.shape("A0 == \"*\"", elem("Principal", "null")), label+" does not trust every principal.")
		case len(st.Principals) > 0:
			got := w.shape("{ for k, v in A0 : k => toset(flatten([v])) }", elem("Principal", "{}"))
			w.assert(w.shape("A0 == A1", got, w.principals(st.Principals)), label+" trusts other principals than the spec implies.")
		}
		if len(st.Conditions) > 0 {
			got := w.shape("{ for test, kv in A0 : test => { for k, v in kv : k => toset(flatten([v])) } }", elem("Condition", "{}"))
			w.assert(w.shape("A0 == A1", got, w.conditions(st.Conditions)), label+" has other conditions than the spec implies.")
		}
	}
}

// statementKeys are the elements the provider writes for a statement.
func statementKeys(st policy.Statement) []string {
	keys := []string{"Effect"}
	if st.Sid != "" {
		keys = append(keys, "Sid")
	}
	for _, l := range []struct {
		key  string
		vals []string
	}{{"Action", st.Actions}, {"NotAction", st.NotActions}, {"Resource", st.Resources}, {"NotResource", st.NotResources}} {
		if len(l.vals) > 0 {
			keys = append(keys, l.key)
		}
	}
	if len(st.Principals) > 0 {
		keys = append(keys, "Principal")
	}
	if len(st.Conditions) > 0 {
		keys = append(keys, "Condition")
	}
	sort.Strings(keys)
	return keys
}

// anyone reports whether the principals include the type "*".
func anyone(ps []policy.Principal) bool {
	for _, p := range ps {
		if p.Type == "*" {
			return true
		}
	}
	return false
}

// principals is the expected Principal element, by type.
func (x exprs) principals(ps []policy.Principal) hclwrite.Tokens {
	byType := map[string][]string{}
	var types []string
	for _, p := range ps {
		if _, ok := byType[p.Type]; !ok {
			types = append(types, p.Type)
		}
		byType[p.Type] = append(byType[p.Type], p.Identifiers...)
	}
	sort.Strings(types)
	vals := make([]hclwrite.Tokens, len(types))
	for i, t := range types {
		vals[i] = x.stringSet(byType[t])
	}
	return x.object(types, vals)
}

// conditions is the expected Condition element: operator, key, values.
func (x exprs) conditions(cs []policy.Condition) hclwrite.Tokens {
	byTest := map[string]map[string][]string{}
	var tests []string
	for _, c := range cs {
		if byTest[c.Test] == nil {
			byTest[c.Test] = map[string][]string{}
			tests = append(tests, c.Test)
		}
		byTest[c.Test][c.Variable] = append(byTest[c.Test][c.Variable], c.Values...)
	}
	sort.Strings(tests)
	vals := make([]hclwrite.Tokens, len(tests))
	for i, t := range tests {
		vars := make([]string, 0, len(byTest[t]))
		for v := range byTest[t] {
			vars = append(vars, v)
		}
		sort.Strings(vars)
		inner := make([]hclwrite.Tokens, len(vars))
		for j, v := range vars {
			inner[j] = x.stringSet(byTest[t][v])
		}
		vals[i] = x.object(vars, inner)
	}
	return x.object(tests, vals)
}

func upperFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
