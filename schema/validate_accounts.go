package schema

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// validateAcrossEnvironments finds what environments of one spec share
// and must not: one account's service-linked roles (IAM has one per
// service and account), and a backend's state (two roots in one state
// replace each other's roles).
func validateAcrossEnvironments(envs []*Environment) hcl.Diagnostics {
	var diags hcl.Diagnostics
	type slrOwner struct {
		env *Environment
		i   int
	}
	slrs := map[string]slrOwner{} // account/service, lower case
	states := map[string]*Environment{}
	for _, env := range envs {
		for i, slr := range env.ServiceLinkedRoles {
			key := env.AccountID + "/" + strings.ToLower(slr)
			if prev, dup := slrs[key]; dup && prev.env != env {
				diags = append(diags, errorAt(elemRange(env.Pos(), "service_linked_roles", i, len(env.ServiceLinkedRoles)), "Duplicate service-linked role",
					fmt.Sprintf("Environments %q and %q are both in account %s and both create the service-linked role of %s; IAM has one per service and account, so the second create fails. Keep it in environment %q only (at %s).",
						prev.env.Name, env.Name, env.AccountID, Quote(slr), prev.env.Name, elemRange(prev.env.Pos(), "service_linked_roles", prev.i, len(prev.env.ServiceLinkedRoles)))))
				continue
			}
			slrs[key] = slrOwner{env, i}
		}
		if b := env.Backend; b != nil {
			key := b.Bucket + "/" + b.Key
			if prev, dup := states[key]; dup {
				rng := b.Pos().Attr("key")
				diags = append(diags, errorAt(rng, "Shared Terraform state",
					fmt.Sprintf("Environments %q and %q keep their state in the same object, s3://%s/%s, so applying one would destroy the other's roles. Give each environment its own key (remove key to use lakerunner-iam/<environment>/terraform.tfstate).",
						prev.Name, env.Name, b.Bucket, b.Key)))
				continue
			}
			states[key] = env
		}
	}
	return diags
}
