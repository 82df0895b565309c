package importer

import (
	"context"
	"fmt"
	"net/url"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/cardinalhq/lakerunner-iam/generator"
)

// fakeIAM answers import's reads from roles in memory, with documents
// URL-encoded as IAM returns them. calls counts every call by name.
type fakeIAM struct {
	roles []*Role
	calls map[string]int
}

func newFake(roles ...*Role) *fakeIAM { return &fakeIAM{roles: roles, calls: map[string]int{}} }

// accountOf is the account a model describes: every role as the spec
// generates it.
func accountOf(env *generator.Environment) []*Role {
	var out []*Role
	for _, r := range env.Roles {
		a := &Role{
			Name: r.Name, Path: r.Path, ARN: r.ARN(), Description: r.Description,
			MaxSessionDuration: r.MaxSessionDuration, PermissionsBoundary: r.PermissionsBoundary,
			Tags: r.Tags, Trust: string(r.Trust.JSON()),
		}
		if r.Permissions != nil {
			a.Inline = []InlinePolicy{{r.PolicyName, string(r.Permissions.JSON())}}
		}
		for _, mp := range r.ManagedPolicies {
			a.Attached = append(a.Attached, mp.ARN)
		}
		if r.InstanceProfileName != "" {
			tags := r.Tags
			if r.InstanceProfileTags != nil {
				tags = r.InstanceProfileTags
			}
			a.InstanceProfiles = []InstanceProfile{{r.InstanceProfileName, tags}}
		}
		out = append(out, a)
	}
	return out
}

func (f *fakeIAM) role(name *string) (*Role, error) {
	for _, r := range f.roles {
		if r.Name == aws.ToString(name) {
			return r, nil
		}
	}
	return nil, &types.NoSuchEntityException{Message: aws.String("no role " + aws.ToString(name))}
}

func tagList(m map[string]string) []types.Tag {
	var out []types.Tag
	for _, k := range sortedKeys(m) {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}

func (f *fakeIAM) iamRole(r *Role) types.Role {
	return types.Role{
		RoleName: aws.String(r.Name), Path: aws.String(r.Path), Arn: aws.String(r.ARN),
		Description: aws.String(r.Description), MaxSessionDuration: aws.Int32(int32(r.MaxSessionDuration)),
		AssumeRolePolicyDocument: aws.String(url.QueryEscape(r.Trust)),
	}
}

func (f *fakeIAM) ListRoles(_ context.Context, _ *iam.ListRolesInput, _ ...func(*iam.Options)) (*iam.ListRolesOutput, error) {
	f.calls["ListRoles"]++
	out := &iam.ListRolesOutput{}
	for _, r := range f.roles {
		out.Roles = append(out.Roles, f.iamRole(r)) // ListRoles leaves tags out, as IAM does
	}
	return out, nil
}

func (f *fakeIAM) GetRole(_ context.Context, in *iam.GetRoleInput, _ ...func(*iam.Options)) (*iam.GetRoleOutput, error) {
	f.calls["GetRole"]++
	r, err := f.role(in.RoleName)
	if err != nil {
		return nil, err
	}
	out := f.iamRole(r)
	out.Tags = tagList(r.Tags)
	if r.PermissionsBoundary != "" {
		out.PermissionsBoundary = &types.AttachedPermissionsBoundary{PermissionsBoundaryArn: aws.String(r.PermissionsBoundary)}
	}
	return &iam.GetRoleOutput{Role: &out}, nil
}

func (f *fakeIAM) ListRoleTags(_ context.Context, in *iam.ListRoleTagsInput, _ ...func(*iam.Options)) (*iam.ListRoleTagsOutput, error) {
	f.calls["ListRoleTags"]++
	r, err := f.role(in.RoleName)
	if err != nil {
		return nil, err
	}
	return &iam.ListRoleTagsOutput{Tags: tagList(r.Tags)}, nil
}

func (f *fakeIAM) ListRolePolicies(_ context.Context, in *iam.ListRolePoliciesInput, _ ...func(*iam.Options)) (*iam.ListRolePoliciesOutput, error) {
	f.calls["ListRolePolicies"]++
	r, err := f.role(in.RoleName)
	if err != nil {
		return nil, err
	}
	out := &iam.ListRolePoliciesOutput{}
	for _, p := range r.Inline {
		out.PolicyNames = append(out.PolicyNames, p.Name)
	}
	return out, nil
}

func (f *fakeIAM) GetRolePolicy(_ context.Context, in *iam.GetRolePolicyInput, _ ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error) {
	f.calls["GetRolePolicy"]++
	r, err := f.role(in.RoleName)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(r.Inline, func(p InlinePolicy) bool { return p.Name == aws.ToString(in.PolicyName) })
	if i < 0 {
		return nil, fmt.Errorf("no policy %s", aws.ToString(in.PolicyName))
	}
	return &iam.GetRolePolicyOutput{PolicyDocument: aws.String(url.QueryEscape(r.Inline[i].Document))}, nil
}

func (f *fakeIAM) ListAttachedRolePolicies(_ context.Context, in *iam.ListAttachedRolePoliciesInput, _ ...func(*iam.Options)) (*iam.ListAttachedRolePoliciesOutput, error) {
	f.calls["ListAttachedRolePolicies"]++
	r, err := f.role(in.RoleName)
	if err != nil {
		return nil, err
	}
	out := &iam.ListAttachedRolePoliciesOutput{}
	for _, arn := range r.Attached {
		out.AttachedPolicies = append(out.AttachedPolicies, types.AttachedPolicy{PolicyArn: aws.String(arn)})
	}
	return out, nil
}

func (f *fakeIAM) ListInstanceProfilesForRole(_ context.Context, in *iam.ListInstanceProfilesForRoleInput, _ ...func(*iam.Options)) (*iam.ListInstanceProfilesForRoleOutput, error) {
	f.calls["ListInstanceProfilesForRole"]++
	r, err := f.role(in.RoleName)
	if err != nil {
		return nil, err
	}
	out := &iam.ListInstanceProfilesForRoleOutput{}
	for _, ip := range r.InstanceProfiles {
		out.InstanceProfiles = append(out.InstanceProfiles, types.InstanceProfile{InstanceProfileName: aws.String(ip.Name)})
	}
	return out, nil
}

func (f *fakeIAM) GetInstanceProfile(_ context.Context, in *iam.GetInstanceProfileInput, _ ...func(*iam.Options)) (*iam.GetInstanceProfileOutput, error) {
	f.calls["GetInstanceProfile"]++
	for _, r := range f.roles {
		for _, ip := range r.InstanceProfiles {
			if ip.Name == aws.ToString(in.InstanceProfileName) {
				return &iam.GetInstanceProfileOutput{InstanceProfile: &types.InstanceProfile{InstanceProfileName: aws.String(ip.Name), Tags: tagList(ip.Tags)}}, nil
			}
		}
	}
	return nil, &types.NoSuchEntityException{Message: aws.String("no instance profile")}
}
