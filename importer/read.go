package importer

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// API is the part of IAM that import calls: reads only, so a principal
// allowed nothing but iam:List* and iam:Get* can import.
type API interface {
	ListRoles(context.Context, *iam.ListRolesInput, ...func(*iam.Options)) (*iam.ListRolesOutput, error)
	GetRole(context.Context, *iam.GetRoleInput, ...func(*iam.Options)) (*iam.GetRoleOutput, error)
	ListRoleTags(context.Context, *iam.ListRoleTagsInput, ...func(*iam.Options)) (*iam.ListRoleTagsOutput, error)
	ListRolePolicies(context.Context, *iam.ListRolePoliciesInput, ...func(*iam.Options)) (*iam.ListRolePoliciesOutput, error)
	GetRolePolicy(context.Context, *iam.GetRolePolicyInput, ...func(*iam.Options)) (*iam.GetRolePolicyOutput, error)
	ListAttachedRolePolicies(context.Context, *iam.ListAttachedRolePoliciesInput, ...func(*iam.Options)) (*iam.ListAttachedRolePoliciesOutput, error)
	ListInstanceProfilesForRole(context.Context, *iam.ListInstanceProfilesForRoleInput, ...func(*iam.Options)) (*iam.ListInstanceProfilesForRoleOutput, error)
	GetInstanceProfile(context.Context, *iam.GetInstanceProfileInput, ...func(*iam.Options)) (*iam.GetInstanceProfileOutput, error)
}

// Role is an existing role as IAM describes it.
type Role struct {
	Name, Path, ARN     string
	Description         string
	MaxSessionDuration  int
	PermissionsBoundary string
	Tags                map[string]string
	Trust               string // the trust policy's JSON
	Inline              []InlinePolicy
	Attached            []string // managed policy ARNs
	InstanceProfiles    []InstanceProfile
}

// InlinePolicy is one inline policy of a role.
type InlinePolicy struct{ Name, Document string }

// InstanceProfile is an instance profile a role is in.
type InstanceProfile struct {
	Name string
	Tags map[string]string
}

// candidate says whether a role listed by ListRoles may be one of the
// catalog's: its name is one the catalog would give, or its name or path
// carries the prefix. Service-linked roles are AWS's own.
type candidate func(name, path string) bool

// readRoles lists the account's roles and reads each that may be
// Lakerunner's in full. Roles found by neither name nor path are also
// read when a tag names the prefix or the environment (tagged), which
// costs one ListRoleTags each for roles trusting a catalog principal.
func readRoles(ctx context.Context, api API, isCandidate candidate, trusted func(trust string) bool, tagged func(map[string]string) bool) ([]*Role, error) {
	var out []*Role
	p := iam.NewListRolesPaginator(api, &iam.ListRolesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing roles: %w", err)
		}
		for _, r := range page.Roles {
			name, path := aws.ToString(r.RoleName), aws.ToString(r.Path)
			if strings.HasPrefix(path, "/aws-service-role/") {
				continue
			}
			if !isCandidate(name, path) {
				trust, err := decode(aws.ToString(r.AssumeRolePolicyDocument))
				if err != nil || !trusted(trust) {
					continue
				}
				tags, err := roleTags(ctx, api, name)
				if err != nil {
					return nil, err
				}
				if !tagged(tags) {
					continue
				}
			}
			role, err := readRole(ctx, api, name)
			if err != nil {
				return nil, err
			}
			out = append(out, role)
		}
	}
	return out, nil
}

func roleTags(ctx context.Context, api API, name string) (map[string]string, error) {
	tags := map[string]string{}
	p := iam.NewListRoleTagsPaginator(api, &iam.ListRoleTagsInput{RoleName: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("role %s: listing tags: %w", name, err)
		}
		addTags(tags, page.Tags)
	}
	return tags, nil
}

func addTags(dst map[string]string, tags []types.Tag) {
	for _, t := range tags {
		dst[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
}

// readRole reads everything import compares of one role.
func readRole(ctx context.Context, api API, name string) (*Role, error) {
	fail := func(what string, err error) error { return fmt.Errorf("role %s: %s: %w", name, what, err) }
	got, err := api.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		return nil, fail("reading it", err)
	}
	r := got.Role
	role := &Role{
		Name: name, Path: aws.ToString(r.Path), ARN: aws.ToString(r.Arn),
		Description:        aws.ToString(r.Description),
		MaxSessionDuration: int(aws.ToInt32(r.MaxSessionDuration)),
		Tags:               map[string]string{},
	}
	if r.PermissionsBoundary != nil {
		role.PermissionsBoundary = aws.ToString(r.PermissionsBoundary.PermissionsBoundaryArn)
	}
	addTags(role.Tags, r.Tags)
	if role.Trust, err = decode(aws.ToString(r.AssumeRolePolicyDocument)); err != nil {
		return nil, fail("trust policy", err)
	}

	names := iam.NewListRolePoliciesPaginator(api, &iam.ListRolePoliciesInput{RoleName: aws.String(name)})
	for names.HasMorePages() {
		page, err := names.NextPage(ctx)
		if err != nil {
			return nil, fail("listing inline policies", err)
		}
		for _, pn := range page.PolicyNames {
			doc, err := api.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(pn)})
			if err != nil {
				return nil, fail("inline policy "+pn, err)
			}
			text, err := decode(aws.ToString(doc.PolicyDocument))
			if err != nil {
				return nil, fail("inline policy "+pn, err)
			}
			role.Inline = append(role.Inline, InlinePolicy{pn, text})
		}
	}

	attached := iam.NewListAttachedRolePoliciesPaginator(api, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(name)})
	for attached.HasMorePages() {
		page, err := attached.NextPage(ctx)
		if err != nil {
			return nil, fail("listing managed policies", err)
		}
		for _, ap := range page.AttachedPolicies {
			role.Attached = append(role.Attached, aws.ToString(ap.PolicyArn))
		}
	}
	slices.Sort(role.Attached)

	profiles := iam.NewListInstanceProfilesForRolePaginator(api, &iam.ListInstanceProfilesForRoleInput{RoleName: aws.String(name)})
	for profiles.HasMorePages() {
		page, err := profiles.NextPage(ctx)
		if err != nil {
			return nil, fail("listing instance profiles", err)
		}
		for _, ip := range page.InstanceProfiles {
			// The listing may leave tags out; GetInstanceProfile has them.
			full, err := api.GetInstanceProfile(ctx, &iam.GetInstanceProfileInput{InstanceProfileName: ip.InstanceProfileName})
			if err != nil {
				return nil, fail("instance profile "+aws.ToString(ip.InstanceProfileName), err)
			}
			tags := map[string]string{}
			addTags(tags, full.InstanceProfile.Tags)
			role.InstanceProfiles = append(role.InstanceProfiles, InstanceProfile{aws.ToString(ip.InstanceProfileName), tags})
		}
	}
	return role, nil
}

// decode undoes the URL encoding IAM applies to policy documents.
func decode(doc string) (string, error) {
	if strings.HasPrefix(strings.TrimSpace(doc), "{") {
		return doc, nil
	}
	return url.QueryUnescape(doc)
}
