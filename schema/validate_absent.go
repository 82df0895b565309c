package schema

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// A role made by hand may lack parts the catalog gives it: an inline
// policy, or the instance profile's tags. Role blocks say so with
// inline_policy = false and instance_profile_tags, so that adopting the
// role imports only what exists and plans no change.

// validateAbsent checks inline_policy and instance_profile_tags of a role
// block: a role without an inline policy takes no statements and no
// policy name, and the instance profile's tags obey IAM's tag limits.
func validateAbsent(o *RoleOverride) hcl.Diagnostics {
	var diags hcl.Diagnostics
	pos := o.Pos()
	if o.InlinePolicy != nil && !*o.InlinePolicy {
		if len(o.Statements) > 0 {
			diags = append(diags, errorAt(o.Statements[0].DefRange, "Statement in a role without an inline policy",
				fmt.Sprintf("Role %q has inline_policy = false, so it has no policy to put statements in. Remove inline_policy = false, or the statement blocks.", o.Kind)))
		}
		if pos.Has("policy_name") {
			diags = append(diags, errorAt(pos.Attr("policy_name"), "Policy name of a role without an inline policy",
				fmt.Sprintf("Role %q has inline_policy = false, so there is no policy to name. Remove inline_policy = false, or policy_name.", o.Kind)))
		}
	}
	if pos.Has("instance_profile_tags") {
		diags = append(diags, validateTags(pos, "instance_profile_tags", o.InstanceProfileTags)...)
	}
	return diags
}
