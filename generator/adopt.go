package generator

import (
	"fmt"
	"maps"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
	"github.com/cardinalhq/lakerunner-iam/schema"
)

// Adoption: an environment with adopt = true (or gen --adopt) takes over
// roles that already exist, e.g. made by hand with the console guide.
// out/<env>/imports.tf then holds a Terraform import block for every IAM
// object the root manages, so that the first plan imports them instead of
// creating them and shows each difference from the spec as an update. For
// the spec to describe hand-made roles exactly, role blocks may name the
// inline policy (policy_name), catalog_tags = false leaves only the
// tags the spec writes, and inline_policy = false and
// instance_profile_tags say which parts a role lacks, so that nothing
// is imported that does not exist.

// Import is one IAM object that an adopting root module imports.
type Import struct {
	Role *Role
	// Type is the Terraform resource type, e.g. aws_iam_role_policy.
	Type string
	// Address is the resource's address in the root module, as plans
	// name it: module.<role>.<type>.this, with a key where it has one.
	Address string
	// ID is the import ID the AWS provider expects for Type.
	ID string

	to hcl.Traversal
}

// Imports lists what the environment's root imports when it adopts: for
// each role in catalog order, the role, its inline policy, its managed
// policy attachments and its instance profile, exactly the resources its
// module declares. Service-linked roles are not imported: AWS creates and
// owns them, and service_linked_roles lists only those to create.
func (e *Environment) Imports() []Import {
	var out []Import
	for _, r := range e.Roles {
		add := func(typ string, key cty.Value, id string) {
			to := hcl.Traversal{
				hcl.TraverseRoot{Name: "module"},
				hcl.TraverseAttr{Name: r.ModuleName()},
				hcl.TraverseAttr{Name: typ},
				hcl.TraverseAttr{Name: "this"},
			}
			if key != cty.NilVal {
				to = append(to, hcl.TraverseIndex{Key: key})
			}
			out = append(out, Import{Role: r, Type: typ, Address: string(hclwrite.TokensForTraversal(to).Bytes()), ID: id, to: to})
		}
		// IDs as the AWS provider documents them for import.
		add("aws_iam_role", cty.NilVal, r.Name)
		if r.Permissions != nil {
			// The module's policy has a count: inline_policy = false, or
			// no extra statements for a role without a catalog policy.
			add("aws_iam_role_policy", cty.NumberIntVal(0), r.Name+":"+r.PolicyName)
		}
		for _, mp := range r.ManagedPolicies {
			add("aws_iam_role_policy_attachment", cty.StringVal(mp.Key), r.Name+"/"+mp.ARN)
		}
		if r.InstanceProfileName != "" {
			add("aws_iam_instance_profile", cty.NilVal, r.InstanceProfileName)
		}
	}
	return out
}

// catalogTags reports whether a role gets the catalog's tags: the role
// block's catalog_tags, else the environment's, else true.
func catalogTags(env *schema.Environment, o *schema.RoleOverride) bool {
	switch {
	case o != nil && o.CatalogTags != nil:
		return *o.CatalogTags
	case env.CatalogTags != nil:
		return *env.CatalogTags
	}
	return true
}

// overridePolicyName applies a role block's policy_name. Only a role whose
// catalog template has an inline policy takes one: the module of any
// other role names the policy of the spec's extra statements itself.
func overridePolicyName(r *Role, o *schema.RoleOverride) hcl.Diagnostics {
	if o == nil || !o.Pos().Has("policy_name") {
		return nil
	}
	rng := o.Pos().Attr("policy_name")
	if r.Template.Policy == nil {
		return hcl.Diagnostics{errorAt(rng, "Role has no inline policy to name",
			fmt.Sprintf("Role %q has no inline policy in the catalog; the statements a spec adds to it go into a policy named %q. Remove policy_name.", r.Kind(), r.Name+"-extra"))}
	}
	if err := iamlimits.PolicyName(o.PolicyName); err != nil {
		return hcl.Diagnostics{errorAt(rng, "Invalid policy name",
			fmt.Sprintf("%s is not an IAM policy name: %s.", schema.Quote(o.PolicyName), err))}
	}
	r.PolicyName = o.PolicyName
	return nil
}

// inlinePolicy reports whether a role has its inline policy: false only
// with inline_policy = false in its role block.
func inlinePolicy(o *schema.RoleOverride) bool {
	return o == nil || o.InlinePolicy == nil || *o.InlinePolicy
}

// absentParts applies a role block's inline_policy and
// instance_profile_tags, which only a role whose template has the part
// takes.
func absentParts(r *Role, o *schema.RoleOverride) hcl.Diagnostics {
	if o == nil {
		return nil
	}
	var diags hcl.Diagnostics
	if !inlinePolicy(o) {
		if r.Template.Policy == nil {
			diags = append(diags, errorAt(o.Pos().Attr("inline_policy"), "Role has no inline policy to leave out",
				fmt.Sprintf("Role %q has no inline policy in the catalog, and one only for statement blocks. Remove inline_policy.", r.Kind())))
		}
		r.PolicyName = ""
	}
	if o.Pos().Has("instance_profile_tags") {
		if r.InstanceProfileName == "" {
			diags = append(diags, errorAt(o.Pos().Attr("instance_profile_tags"), "Role has no instance profile",
				fmt.Sprintf("Role %q has no instance profile to tag. Remove instance_profile_tags.", r.Kind())))
		}
		r.InstanceProfileTags = map[string]string{}
		maps.Copy(r.InstanceProfileTags, o.InstanceProfileTags)
	}
	return diags
}
