package schema

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// validatePolicyVariables refuses "&{" in a spec statement's resources and
// conditions (in actions the action check refuses it already).
// aws_iam_policy_document turns "&{" into "${" in the policy it renders
// (its way of writing an IAM policy variable such as ${aws:username}),
// so the deployed policy would hold other text than the spec, the model,
// lint and the module tests. "$${...}" gives the deployed policy the same
// variable and stays one spelling everywhere: HCL reads it as a literal
// "${...}", gen writes it back escaped, and the provider leaves it alone.
// Nothing is lost: aws_iam_policy_document cannot deploy a literal "&{".
func validatePolicyVariables(st *Statement) hcl.Diagnostics {
	var diags hcl.Diagnostics
	check := func(pos Pos, attr string, list []string) {
		for i, v := range list {
			if strings.Contains(v, "&{") {
				diags = append(diags, errorAt(elemRange(pos, attr, i, len(list)), "Policy variable written with &{",
					fmt.Sprintf("%q uses \"&{\", which aws_iam_policy_document turns into \"${\" in the deployed policy, while gen, lint and the module tests see the text as written. "+
						"Write an IAM policy variable as %q: \"$${\" is HCL's escape for a literal \"${\", which the deployed policy, lint and the tests all see.",
						v, strings.ReplaceAll(v, "&{", "$${"))))
			}
		}
	}
	pos := st.Pos()
	check(pos, "resources", st.Resources)
	check(pos, "not_resources", st.NotResources)
	for _, c := range st.Conditions {
		check(c.Pos(), "variable", []string{c.Variable})
		check(c.Pos(), "values", c.Values)
	}
	return diags
}
