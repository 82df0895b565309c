package generator

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/schema"
)

// Team state: with a backend block, an environment's root keeps its state
// in S3, where everyone who plans and applies it (people and CI) finds the
// same state, and a lock stops two applies from running at once.

// lockfileTerraform is the first Terraform release whose S3 backend locks
// state with a lock file (use_lockfile: a conditional PutObject of
// <key>.tflock); older releases reject the argument.
var lockfileTerraform = version.Must(version.NewVersion("1.10.0"))

// usesLockfile reports whether the environment's state is locked with an
// S3 lock file.
func usesLockfile(env *schema.Environment) bool {
	return env.Backend != nil && env.Backend.UseLockfile != nil && *env.Backend.UseLockfile
}

// rootVersions are the version pins of an environment's root module: the
// spec's, except that a root whose backend locks with a lock file requires
// lockfileTerraform or later. Modules keep the spec's pins: they have no
// backend. The diagnostics are about backends the root cannot use as
// written: a lock file with a required_version that admits no release
// that supports it, and state without any lock.
func rootVersions(env *schema.Environment, v *schema.TerraformSettings) (*schema.TerraformSettings, hcl.Diagnostics) {
	b := env.Backend
	if b == nil {
		return v, nil
	}
	var diags hcl.Diagnostics
	out := v
	if usesLockfile(env) {
		raised, err := raiseFloor(v.RequiredVersion, lockfileTerraform)
		if err != nil {
			rng := b.DefRange
			if v.Body != nil && v.Pos().Has("required_version") {
				rng = v.Pos().Attr("required_version")
			}
			diags = append(diags, errorAt(rng, "Terraform too old for the state lock file",
				fmt.Sprintf("Environment %q locks its S3 state with a lock file (use_lockfile), which needs Terraform %s or later, but required_version %q admits no such release: %s. Widen required_version, or lock with a DynamoDB table (dynamodb_table, and use_lockfile = false).",
					env.Name, lockfileTerraform, v.RequiredVersion, err)))
		} else {
			raisedSettings := *v
			raisedSettings.RequiredVersion = raised
			out = &raisedSettings
		}
	}
	if !*b.UseLockfile && b.DynamoDBTable == "" {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "State without a lock",
			Detail:  fmt.Sprintf("Environment %q keeps its state in S3 without a lock, so two applies at once can overwrite each other's state. Remove use_lockfile = false (a lock file is the default), or set dynamodb_table.", env.Name),
			Subject: b.Pos().Attr("use_lockfile").Ptr()})
	}
	return out, diags
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
