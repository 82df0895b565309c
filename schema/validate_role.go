package schema

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/iamlimits"
)

var (
	findingCodeRe       = regexp.MustCompile(`^LR\d{3}$`)
	sidRe               = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	actionRe            = regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9*?]+$`)
	conditionOperatorRe = regexp.MustCompile(`^(ForAllValues:|ForAnyValue:)?(String(Not)?Equals(IgnoreCase)?|String(Not)?Like|Numeric(Not)?Equals|Numeric(Less|Greater)Than(Equals)?|Date(Not)?Equals|Date(Less|Greater)Than(Equals)?|Bool|BinaryEquals|IpAddress|NotIpAddress|Arn(Not)?Equals|Arn(Not)?Like)(IfExists)?$|^Null$`)
)

func validateRoleOverrides(env *Environment) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]*RoleOverride{}
	for _, o := range env.Roles {
		pos := o.Pos()
		if prev, dup := seen[o.Kind]; dup {
			diags = append(diags, errorAt(o.DefRange, "Duplicate role block",
				fmt.Sprintf("Role %q is already customized at %s; merge the two blocks.", o.Kind, prev.DefRange)))
		}
		seen[o.Kind] = o
		if o.Path != "" {
			if err := iamlimits.Path(o.Path); err != nil {
				diags = append(diags, errorAt(pos.Attr("path"), "Invalid IAM path",
					fmt.Sprintf("%s is not an IAM path: %s.", Quote(o.Path), err)))
			}
		}
		if o.PermissionsBoundary != "" {
			diags = append(diags, validateManagedPolicy(env, pos.Attr("permissions_boundary"), "Permissions boundary", o.PermissionsBoundary)...)
		}
		if pos.Has("max_session_duration") {
			if err := iamlimits.SessionDuration(o.MaxSessionDuration); err != nil {
				diags = append(diags, errorAt(pos.Attr("max_session_duration"), "Invalid max session duration", sentence(err)))
			}
		}
		if o.Description != nil {
			if err := iamlimits.Description(*o.Description); err != nil {
				summary := "Invalid character in description"
				if len([]rune(*o.Description)) > iamlimits.DescriptionMax {
					summary = "Description too long"
				}
				diags = append(diags, errorAt(pos.Attr("description"), summary, sentence(err)))
			}
		}
		for i, a := range o.ManagedPolicyARNs {
			diags = append(diags, validateManagedPolicy(env, elemRange(pos, "managed_policy_arns", i, len(o.ManagedPolicyARNs)), "Managed policy", a)...)
		}
		diags = append(diags, validatePrincipals(env, pos, "trusted_principal_arns", o.TrustedPrincipals)...)
		diags = append(diags, duplicateSids(o)...)
		diags = append(diags, validateTags(pos, "tags", o.Tags)...)
		diags = append(diags, validateAbsent(o)...) // inline_policy, instance_profile_tags (validate_absent.go)
		for _, a := range o.Accepts {
			if !findingCodeRe.MatchString(a.Code) {
				diags = append(diags, errorAt(a.DefRange, "Invalid finding code",
					fmt.Sprintf("%s is not a finding code of lakerunner-iam check, such as \"LR003\".", Quote(a.Code))))
			}
			if strings.TrimSpace(a.Reason) == "" {
				diags = append(diags, errorAt(a.Pos().Attr("reason"), "Accepted finding without a reason",
					"Say why the finding is accepted: reviewers read it."))
			}
		}
		for _, st := range o.Statements {
			diags = append(diags, validateStatement(env, st)...)
		}
	}
	return diags
}

// validateManagedPolicy checks the ARN of a managed policy or permissions
// boundary (what), and that env can attach it: its partition, and its
// account (AWS's own, or the environment's).
func validateManagedPolicy(env *Environment, rng hcl.Range, what, arn string) hcl.Diagnostics {
	a, err := iamlimits.ManagedPolicyARN(arn)
	switch {
	case err != nil:
		summary := "Invalid managed policy ARN"
		example := "arn:aws:iam::aws:policy/ReadOnlyAccess"
		if what == "Permissions boundary" {
			summary, example = "Invalid permissions boundary", "arn:aws:iam::123456789012:policy/boundary"
		}
		return hcl.Diagnostics{errorAt(rng, summary,
			fmt.Sprintf("%s is not a managed policy ARN such as %q: %s.", Quote(arn), example, err))}
	case a.Partition != env.Partition:
		return hcl.Diagnostics{otherPartition(rng, env, what, arn, a.Partition)}
	case a.Account != "aws" && a.Account != env.AccountID:
		return hcl.Diagnostics{errorAt(rng, what+" of another account",
			fmt.Sprintf("%s belongs to account %s, but IAM attaches only AWS managed policies and policies of the role's own account (%s, environment %q). Create the policy in account %s, or add its statements to the role as statement blocks.", Quote(arn), a.Account, env.AccountID, env.Name, env.AccountID))}
	}
	return nil
}

// validatePrincipals checks the principals a trust policy names exactly
// (a role block's or a cross_account block's trusted_principal_arns).
func validatePrincipals(env *Environment, pos Pos, attr string, arns []string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for i, arn := range arns {
		rng := elemRange(pos, attr, i, len(arns))
		if arn == "*" {
			diags = append(diags, errorAt(rng, "Wildcard principal", wildcardPrincipalDetail))
			continue
		}
		a, err := iamlimits.PrincipalARN(arn)
		switch {
		case err != nil && strings.ContainsAny(arn, "*?"):
			diags = append(diags, errorAt(rng, "Wildcard in principal ARN",
				fmt.Sprintf("%s contains a wildcard; IAM does not allow wildcards in a trust policy principal. Name the role exactly, or trust the account and narrow with an aws:PrincipalArn condition.", Quote(arn))))
		case err != nil:
			diags = append(diags, errorAt(rng, "Invalid principal ARN",
				fmt.Sprintf("%s is not an IAM principal ARN such as \"arn:aws:iam::210987654321:role/lakerunner\" (a role, a user, or an account's root): %s.", Quote(arn), err)))
		case a.Partition != env.Partition:
			diags = append(diags, otherPartition(rng, env, "Principal", arn, a.Partition))
		}
	}
	return diags
}

// otherPartition is the error for an ARN of another partition than env's.
func otherPartition(rng hcl.Range, env *Environment, what, arn, partition string) *hcl.Diagnostic {
	return errorAt(rng, what+" in another partition",
		fmt.Sprintf("%s is in partition %q, but environment %q is in %q: write it as %s.", Quote(arn), partition, env.Name, env.Partition, Quote(inPartition(arn, env.Partition))))
}

// wildcardPrincipalDetail explains why "*" cannot be trusted.
const wildcardPrincipalDetail = `"*" lets any AWS principal of any account assume the role (checkov CKV_AWS_60). Name each principal exactly, e.g. "arn:aws:iam::123456789012:role/break-glass", or trust an account and require an ExternalId with a cross_account block.`

func validateStatement(env *Environment, st *Statement) hcl.Diagnostics {
	var diags hcl.Diagnostics
	pos := st.Pos()
	if st.Effect != "" && st.Effect != "Allow" && st.Effect != "Deny" {
		diags = append(diags, errorAt(pos.Attr("effect"), "Invalid effect", fmt.Sprintf("%s is not an IAM effect: use \"Allow\" or \"Deny\".", Quote(st.Effect))))
	}
	if st.Sid != "" && !sidRe.MatchString(st.Sid) {
		detail := fmt.Sprintf("%s is not a statement ID: IAM allows only letters and digits.", Quote(st.Sid))
		if sid := sidFrom(st.Sid); sid != "" {
			detail += fmt.Sprintf(" Write it as %s, for example.", Quote(sid))
		}
		diags = append(diags, errorAt(pos.Attr("sid"), "Invalid Sid", detail))
	}
	if (len(st.Actions) == 0) == (len(st.NotActions) == 0) {
		diags = append(diags, errorAt(st.DefRange, "Statement needs actions", "Set exactly one of actions and not_actions."))
	}
	if (len(st.Resources) == 0) == (len(st.NotResources) == 0) {
		diags = append(diags, errorAt(st.DefRange, "Statement needs resources", "Set exactly one of resources and not_resources (use [\"*\"] only when the actions cannot be scoped)."))
	}
	diags = append(diags, validatePolicyVariables(st)...)
	for _, l := range []struct {
		attr string
		list []string
	}{{"actions", st.Actions}, {"not_actions", st.NotActions}} {
		for i, a := range l.list {
			if a != "*" && !actionRe.MatchString(a) {
				diags = append(diags, errorAt(elemRange(pos, l.attr, i, len(l.list)), "Invalid action", fmt.Sprintf("%s is not an IAM action such as \"s3:GetObject\".", Quote(a))))
			}
		}
	}
	for _, l := range []struct {
		attr string
		list []string
	}{{"resources", st.Resources}, {"not_resources", st.NotResources}} {
		for i, r := range l.list {
			if r == "*" {
				continue
			}
			rng := elemRange(pos, l.attr, i, len(l.list))
			if a, err := iamlimits.ParseARN(r); err != nil {
				diags = append(diags, errorAt(rng, "Invalid resource", fmt.Sprintf("%s is not an ARN (or \"*\"): %s.", Quote(r), err)))
			} else if a.Partition != "*" && a.Partition != env.Partition {
				diags = append(diags, otherPartition(rng, env, "Resource", r, a.Partition))
			}
		}
	}
	for _, c := range st.Conditions {
		if !conditionOperatorRe.MatchString(c.Test) {
			detail := fmt.Sprintf("%s is not an IAM condition operator such as \"StringEquals\" or \"ArnLike\".", Quote(c.Test))
			if m := closest(c.Test, conditionOperators); m != "" {
				detail = fmt.Sprintf("%s is not an IAM condition operator. Did you mean %q?", Quote(c.Test), m)
			}
			diags = append(diags, errorAt(c.Pos().Attr("test"), "Invalid condition operator", detail))
		}
		if !strings.Contains(c.Variable, ":") {
			diags = append(diags, errorAt(c.Pos().Attr("variable"), "Invalid condition key", fmt.Sprintf("%s is not a condition key such as \"aws:SourceAccount\".", Quote(c.Variable))))
		}
		if len(c.Values) == 0 {
			diags = append(diags, errorAt(c.Pos().Attr("values"), "Condition without values",
				fmt.Sprintf("Condition %s on %s has no values; IAM rejects the policy. Give at least one value, or remove the condition.", c.Test, Quote(c.Variable))))
		}
	}
	return diags
}

// conditionOperators are IAM's condition operators without the
// ForAllValues:/ForAnyValue: and IfExists decorations, for "did you mean".
var conditionOperators = []string{
	"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
	"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
	"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
	"Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike", "Null",
}

// sidFrom turns an invalid Sid such as "read-reports" into a valid one,
// "ReadReports"; "" when nothing is left.
func sidFrom(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			if upper && r >= 'a' {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			upper = false
		default:
			upper = true
		}
	}
	return b.String()
}

// inPartition is arn moved to another partition.
func inPartition(arn, partition string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 3 {
		return arn
	}
	return "arn:" + partition + ":" + parts[2]
}

// duplicateSids finds statements of one role block that share a Sid: IAM
// rejects such a policy, and the later would silently replace the earlier.
func duplicateSids(o *RoleOverride) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]*Statement{}
	for _, st := range o.Statements {
		if st.Sid == "" {
			continue
		}
		if prev, dup := seen[st.Sid]; dup {
			diags = append(diags, errorAt(st.Pos().Attr("sid"), "Duplicate Sid",
				fmt.Sprintf("Role %q already has a statement with Sid %q at %s; statement IDs must be unique within a policy. Rename one, or merge the two statements.", o.Kind, st.Sid, prev.Pos().Attr("sid"))))
			continue
		}
		seen[st.Sid] = st
	}
	return diags
}
