package e2e

import (
	"context"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/hashicorp/terraform-exec/tfexec"
)

func (r *rootRun) iam(t *testing.T) *iam.Client {
	return iam.NewFromConfig(userConfig(t, r.emu, r.acct.Admin, r.env.Spec.Region))
}

// readBack checks, through the IAM API, that what apply created is what
// the spec says: every role with its path, description, tags, session
// duration, boundary and trust policy, its inline and managed policies, its
// instance profile; and no role besides.
func (r *rootRun) readBack(t *testing.T) {
	t.Helper()
	defer timings.track(r.scope, "readback")()
	ctx := context.Background()
	c := r.iam(t)

	names := map[string]bool{}
	for _, role := range r.env.Roles {
		names[role.Name] = true
		got, err := c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(role.Name)})
		if err != nil {
			t.Errorf("role %s (%s) was not created: %v", role.Name, role.Kind(), err)
			continue
		}
		gr := got.Role
		check := func(what string, got, want interface{}) {
			if !reflect.DeepEqual(got, want) {
				t.Errorf("role %s: %s = %#v, want %#v", role.Name, what, got, want)
			}
		}
		check("ARN", aws.ToString(gr.Arn), role.ARN())
		check("path", aws.ToString(gr.Path), role.Path)
		check("description", aws.ToString(gr.Description), role.Description)
		check("max session duration", aws.ToInt32(gr.MaxSessionDuration), int32(role.MaxSessionDuration))
		var boundary string
		if gr.PermissionsBoundary != nil {
			boundary = aws.ToString(gr.PermissionsBoundary.PermissionsBoundaryArn)
		}
		check("permissions boundary", boundary, role.PermissionsBoundary)
		tags := map[string]string{}
		for _, tg := range gr.Tags {
			tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		check("tags", tags, role.Tags)
		if err := equivalent(decodePolicy(t, gr.AssumeRolePolicyDocument), string(role.Trust.JSON())); err != nil {
			t.Errorf("role %s: trust policy: %v", role.Name, err)
		}

		inline, err := c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: gr.RoleName})
		if err != nil {
			t.Fatal(err)
		}
		var wantInline []string
		if role.Permissions != nil {
			wantInline = []string{role.PolicyName}
		}
		check("inline policies", nonNil(inline.PolicyNames), nonNil(wantInline))
		if role.Permissions != nil {
			p, err := c.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: gr.RoleName, PolicyName: aws.String(role.PolicyName)})
			if err != nil {
				t.Errorf("role %s: inline policy %s: %v", role.Name, role.PolicyName, err)
			} else if err := equivalent(decodePolicy(t, p.PolicyDocument), string(role.Permissions.JSON())); err != nil {
				t.Errorf("role %s: inline policy %s: %v", role.Name, role.PolicyName, err)
			}
		}

		attached, err := c.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: gr.RoleName})
		if err != nil {
			t.Fatal(err)
		}
		var gotARNs, wantARNs []string
		for _, p := range attached.AttachedPolicies {
			gotARNs = append(gotARNs, aws.ToString(p.PolicyArn))
		}
		for _, mp := range role.ManagedPolicies {
			wantARNs = append(wantARNs, mp.ARN)
		}
		sort.Strings(gotARNs)
		sort.Strings(wantARNs)
		check("managed policies", nonNil(gotARNs), nonNil(wantARNs))

		profiles, err := c.ListInstanceProfilesForRole(ctx, &iam.ListInstanceProfilesForRoleInput{RoleName: gr.RoleName})
		if err != nil {
			t.Fatal(err)
		}
		var gotProfiles, wantProfiles []string
		for _, p := range profiles.InstanceProfiles {
			gotProfiles = append(gotProfiles, aws.ToString(p.Path)+aws.ToString(p.InstanceProfileName))
		}
		if role.InstanceProfileName != "" {
			wantProfiles = []string{role.Path + role.InstanceProfileName}
		}
		check("instance profiles", nonNil(gotProfiles), nonNil(wantProfiles))
	}

	roles := r.listRoles(t)
	var slrs []string // the services of the service-linked roles, from their paths
	for _, role := range roles {
		path := aws.ToString(role.Path)
		switch {
		case strings.HasPrefix(path, "/aws-service-role/"):
			slrs = append(slrs, strings.Trim(strings.TrimPrefix(path, "/aws-service-role/"), "/"))
		case !names[aws.ToString(role.RoleName)]:
			t.Errorf("account %s has role %s, which the spec does not imply", r.acct.ID, aws.ToString(role.Arn))
		}
	}
	want := slices.Sorted(slices.Values(r.env.Spec.ServiceLinkedRoles))
	if slices.Sort(slrs); !slices.Equal(slrs, want) {
		t.Errorf("account %s has service-linked roles for %v, the spec asks for %v", r.acct.ID, slrs, want)
	}
}

func (r *rootRun) listRoles(t *testing.T) []types.Role {
	t.Helper()
	var roles []types.Role
	p := iam.NewListRolesPaginator(r.iam(t), &iam.ListRolesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		roles = append(roles, page.Roles...)
	}
	return roles
}

// destroy runs terraform destroy and checks, through the API, that no
// role, inline or customer managed policy or instance profile is left.
func (r *rootRun) destroy(t *testing.T) {
	ctx := context.Background()
	done := timings.track(r.scope, "destroy")
	// No refresh: what is left is checked through the API below.
	err := r.tf.Destroy(ctx, r.endpointVar(), tfexec.Refresh(false))
	done()
	if err != nil {
		t.Errorf("terraform destroy in %s: %v", r.scope, err)
		return
	}
	c := r.iam(t)
	for _, role := range r.listRoles(t) {
		t.Errorf("after destroy, account %s still has role %s", r.acct.ID, aws.ToString(role.Arn))
	}
	profiles, err := c.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range profiles.InstanceProfiles {
		t.Errorf("after destroy, account %s still has instance profile %s", r.acct.ID, aws.ToString(p.Arn))
	}
	policies, err := c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range policies.Policies {
		if r.precreated[aws.ToString(p.Arn)] {
			continue
		}
		t.Errorf("after destroy, account %s still has policy %s", r.acct.ID, aws.ToString(p.Arn))
	}
}

// createReferencedPolicies creates the customer managed policies the spec
// refers to (extra managed policies, permissions boundaries), as a team
// would have before adopting lakerunner-iam. Boundaries allow everything,
// so they bound nothing the probes check.
func (r *rootRun) createReferencedPolicies(t *testing.T) {
	t.Helper()
	r.precreated = map[string]bool{}
	local := "arn:" + r.env.Spec.Partition + ":iam::" + r.acct.ID + ":policy/"
	var arns []string
	for _, role := range r.env.Roles {
		if role.PermissionsBoundary != "" {
			arns = append(arns, role.PermissionsBoundary)
		}
		for _, mp := range role.ManagedPolicies {
			arns = append(arns, mp.ARN)
		}
	}
	if !r.c.apply {
		return
	}
	c := r.iam(t)
	for _, arn := range arns {
		if !strings.HasPrefix(arn, local) || r.precreated[arn] {
			continue
		}
		name := strings.TrimPrefix(arn, local)
		path := "/"
		if i := strings.LastIndex(name, "/"); i >= 0 {
			path, name = "/"+name[:i+1], name[i+1:]
		}
		_, err := c.CreatePolicy(context.Background(), &iam.CreatePolicyInput{
			PolicyName:     aws.String(name),
			Path:           aws.String(path),
			PolicyDocument: aws.String(adminPolicy),
		})
		if err != nil {
			t.Fatalf("creating policy %s that the spec refers to: %v", arn, err)
		}
		r.precreated[arn] = true
	}
}

// decodePolicy undoes the URL encoding IAM applies to policy documents.
func decodePolicy(t *testing.T, doc *string) string {
	t.Helper()
	s, err := url.QueryUnescape(aws.ToString(doc))
	if err != nil {
		t.Fatalf("policy document is not URL-encoded JSON: %v", err)
	}
	return s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
