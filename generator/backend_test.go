package generator

import (
	"testing"

	"github.com/hashicorp/go-version"

	"github.com/cardinalhq/lakerunner-iam/schema"
)

func TestRaiseFloor(t *testing.T) {
	cases := []struct {
		in, want string // want "" means an error
	}{
		{">= 1.5.0", ">= 1.10.0"},
		{">= 1.5.0, < 2.0.0", ">= 1.10.0, < 2.0.0"},
		{"< 2.0.0, > 1.2", ">= 1.10.0, < 2.0.0"},
		{"~> 1.5", ">= 1.10.0, ~> 1.5"},
		{">= 1.5.0, != 1.10.0", ">= 1.10.0, != 1.10.0"},
		{"<= 1.11.4", ">= 1.10.0, <= 1.11.4"},
		// Already nothing older than 1.10.
		{">= 1.10.0", ">= 1.10.0"},
		{"~> 1.11", "~> 1.11"},
		{"= 1.11.4", "= 1.11.4"},
		{"1.12.0", "1.12.0"},
		{"> 1.10.0, < 2.0.0", "> 1.10.0, < 2.0.0"},
		// No release from 1.10 on.
		{"~> 1.9.0", ""},
		{"= 1.9.8", ""},
		{">= 1.5.0, < 1.10.0", ""},
		{"<= 1.9.8", ""},
	}
	for _, c := range cases {
		got, err := raiseFloor(c.in, lockfileTerraform)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("raiseFloor(%q) = %q, want an error", c.in, got)
		case c.want != "" && err != nil:
			t.Errorf("raiseFloor(%q): %v, want %q", c.in, err, c.want)
		case got != c.want:
			t.Errorf("raiseFloor(%q) = %q, want %q", c.in, got, c.want)
		}
		if err != nil {
			continue
		}
		// The result admits 1.11.4 exactly when the input and ">= 1.10" do,
		// and never a release before 1.10.
		cs := version.MustConstraints(version.NewConstraint(got))
		in := version.MustConstraints(version.NewConstraint(c.in))
		for _, v := range []string{"1.5.0", "1.9.8", "1.10.0", "1.10.1", "1.11.4", "1.12.0", "2.0.0"} {
			vv := version.Must(version.NewVersion(v))
			want := in.Check(vv) && !vv.LessThan(lockfileTerraform)
			if cs.Check(vv) != want {
				t.Errorf("raiseFloor(%q) = %q: admits %s is %v, want %v", c.in, got, v, cs.Check(vv), want)
			}
		}
	}
}

// TestRootVersionsLockfileTooOld checks that a root whose lock file needs
// a newer Terraform than required_version admits gets an error with its
// pins, rather than the spec's pins without one.
func TestRootVersionsLockfileTooOld(t *testing.T) {
	on := true
	env := &schema.Environment{Name: "prod", Backend: &schema.Backend{Bucket: "state", UseLockfile: &on, Encrypt: &on}}
	for _, c := range []struct {
		required, want string // want "" means an error
	}{
		{">= 1.5.0", ">= 1.10.0"},
		{"~> 1.9.0", ""},
	} {
		v := &schema.TerraformSettings{RequiredVersion: c.required, AWSProviderVersion: ">= 5.0"}
		got, diags := rootVersions(env, v)
		switch {
		case c.want == "" && (!diags.HasErrors() || diags[0].Summary != "Terraform too old for the state lock file"):
			t.Errorf("required_version %q: diagnostics %v, want Terraform too old for the state lock file", c.required, diags)
		case c.want != "" && (diags.HasErrors() || got.RequiredVersion != c.want):
			t.Errorf("required_version %q: root requires %q (%v), want %q", c.required, got.RequiredVersion, diags, c.want)
		}
	}
}
