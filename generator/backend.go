package generator

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/cardinalhq/lakerunner-iam/schema"
)

// Team state: with a backend block, an environment's root keeps its state
// in S3, where everyone who plans and applies it (people and CI) finds the
// same state, and a lock stops two applies from running at once.

// lockfileTerraform is the first Terraform release whose S3 backend locks
// state with a lock file (use_lockfile: a conditional PutObject of
// <key>.tflock); older releases reject the argument.
var lockfileTerraform = version.Must(version.NewVersion("1.10.0"))

// backendFiles renders out/<env>/backend.tf, the S3 backend of an
// environment with a backend block; none otherwise.
func backendFiles(env *schema.Environment) map[string]*hclwrite.File {
	b := env.Backend
	if b == nil {
		return nil
	}
	f := hclwrite.NewEmptyFile()
	endpoints := `s3="http://localhost:4566"`
	if b.DynamoDBTable != "" {
		endpoints += `,dynamodb="http://localhost:4566"`
	}
	// A backend block cannot use variables, so var.aws_endpoint does not
	// reach it: an emulator's endpoint is given at init instead.
	f.Body().AppendUnstructuredTokens(commentTokens(
		"The environment's Terraform state, shared by everyone who applies it. To keep",
		"it in a LocalStack-compatible emulator instead, name the endpoint at init:",
		"  terraform init -backend-config='endpoints={"+endpoints+"}' \\",
		"    -backend-config=use_path_style=true -backend-config=skip_credentials_validation=true \\",
		"    -backend-config=skip_requesting_account_id=true",
	))
	s3 := f.Body().AppendNewBlock("terraform", nil).Body().AppendNewBlock("backend", []string{"s3"}).Body()
	s3.SetAttributeValue("bucket", cty.StringVal(b.Bucket))
	s3.SetAttributeValue("key", cty.StringVal(b.Key))
	s3.SetAttributeValue("region", cty.StringVal(b.Region))
	s3.SetAttributeValue("encrypt", cty.BoolVal(*b.Encrypt))
	if *b.UseLockfile {
		s3.SetAttributeValue("use_lockfile", cty.True)
	}
	if b.DynamoDBTable != "" {
		s3.SetAttributeValue("dynamodb_table", cty.StringVal(b.DynamoDBTable))
	}
	return map[string]*hclwrite.File{"backend.tf": f}
}

// commentTokens are lines of a # comment.
func commentTokens(lines ...string) hclwrite.Tokens {
	toks := make(hclwrite.Tokens, len(lines))
	for i, l := range lines {
		toks[i] = &hclwrite.Token{Type: hclsyntax.TokenComment, Bytes: []byte(strings.TrimRight("# "+l, " ") + "\n")}
	}
	return toks
}

// usesLockfile reports whether the environment's state is locked with an
// S3 lock file.
func usesLockfile(env *schema.Environment) bool {
	return env.Backend != nil && env.Backend.UseLockfile != nil && *env.Backend.UseLockfile
}

// rootVersions are the version pins of an environment's root module: the
// spec's, except that a root whose backend locks with a lock file requires
// lockfileTerraform or later. Modules keep the spec's pins: they have no
// backend.
func rootVersions(env *schema.Environment, v *schema.TerraformSettings) *schema.TerraformSettings {
	if !usesLockfile(env) {
		return v
	}
	raised, err := raiseFloor(v.RequiredVersion, lockfileTerraform)
	if err != nil {
		return v // reported by checkBackend
	}
	out := *v
	out.RequiredVersion = raised
	return &out
}

// checkBackend finds backends the root cannot use as written: a lock file
// with a required_version that admits no release that supports it, and
// state without any lock.
func checkBackend(env *schema.Environment, v *schema.TerraformSettings) hcl.Diagnostics {
	b := env.Backend
	if b == nil {
		return nil
	}
	var diags hcl.Diagnostics
	if usesLockfile(env) {
		if _, err := raiseFloor(v.RequiredVersion, lockfileTerraform); err != nil {
			rng := b.DefRange
			if v.Body != nil && v.Pos().Has("required_version") {
				rng = v.Pos().Attr("required_version")
			}
			diags = append(diags, errorAt(rng, "Terraform too old for the state lock file",
				fmt.Sprintf("Environment %q locks its S3 state with a lock file (use_lockfile), which needs Terraform %s or later, but required_version %q admits no such release: %s. Widen required_version, or lock with a DynamoDB table (dynamodb_table, and use_lockfile = false).",
					env.Name, lockfileTerraform, v.RequiredVersion, err)))
		}
	}
	if !*b.UseLockfile && b.DynamoDBTable == "" {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "State without a lock",
			Detail:  fmt.Sprintf("Environment %q keeps its state in S3 without a lock, so two applies at once can overwrite each other's state. Remove use_lockfile = false (a lock file is the default), or set dynamodb_table.", env.Name),
			Subject: b.Pos().Attr("use_lockfile").Ptr()})
	}
	return diags
}

// constraintTermRe is one comma-separated term of a version constraint.
var constraintTermRe = regexp.MustCompile(`^\s*(=|!=|>=|<=|>|<|~>)?\s*(v?[0-9][^\s]*)\s*$`)

// raiseFloor returns a version constraint that admits what constraint
// admits, but nothing before min: constraint itself when a term already
// keeps out everything older; otherwise ">= min" in place of the lower
// bounds below min, before the other terms (">= 1.5.0, < 2.0.0" becomes
// ">= 1.10.0, < 2.0.0"). It fails when the result admits no version.
func raiseFloor(constraint string, min *version.Version) (string, error) {
	var kept []string
	var versions []*version.Version
	for _, term := range strings.Split(constraint, ",") {
		m := constraintTermRe.FindStringSubmatch(term)
		if m == nil {
			return "", fmt.Errorf("%q is not a version constraint", strings.TrimSpace(term))
		}
		op := m[1]
		v, err := version.NewVersion(m[2])
		if err != nil {
			return "", err
		}
		switch {
		case (op == ">=" || op == ">") && v.LessThan(min):
			continue // replaced by ">= min"
		case op != "!=" && op != "<" && op != "<=" && !v.LessThan(min):
			return constraint, nil // =, >=, >, ~> a version from min on: nothing older gets in
		}
		kept = append(kept, strings.TrimSpace(term))
		versions = append(versions, v)
	}
	raised := strings.Join(append([]string{">= " + min.String()}, kept...), ", ")
	cs, err := version.NewConstraint(raised)
	if err != nil {
		return "", err
	}
	// The oldest version a conjunction of terms admits, if any, is min or
	// just above one of the terms' versions.
	candidates := []*version.Version{min, next(min, 2), next(min, 1)}
	for _, v := range versions {
		if !v.LessThan(min) {
			candidates = append(candidates, v, next(v, 2), next(v, 1))
		}
	}
	for _, c := range candidates {
		if cs.Check(c) {
			return raised, nil
		}
	}
	return "", fmt.Errorf("%q admits no version from %s on", constraint, min)
}

// next is v with segment i (0 major, 1 minor, 2 patch) one higher and the
// later ones zero.
func next(v *version.Version, i int) *version.Version {
	s := v.Segments()
	for len(s) < 3 {
		s = append(s, 0)
	}
	s[i]++
	for j := i + 1; j < len(s); j++ {
		s[j] = 0
	}
	return version.Must(version.NewVersion(fmt.Sprintf("%d.%d.%d", s[0], s[1], s[2])))
}
