package schema

import (
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2/hclparse"
)

func TestKnownRegion(t *testing.T) {
	for _, tc := range []struct {
		region, partition string
		ok                bool
	}{
		{"us-east-1", "aws", true},
		{"eu-west-3", "aws", true},
		{"mx-central-1", "aws", true},
		{"us-gov-west-1", "aws-us-gov", true},
		{"cn-northwest-1", "aws-cn", true},
		{"eu-west-9", "", false},
		{"aws-global", "", false},
		{"US-EAST-1", "", false},
	} {
		p, ok := KnownRegion(tc.region)
		if p != tc.partition || ok != tc.ok {
			t.Errorf("KnownRegion(%q) = %q, %v; want %q, %v", tc.region, p, ok, tc.partition, tc.ok)
		}
	}
}

func TestRegionsArePartitioned(t *testing.T) {
	for _, p := range []string{"aws", "aws-us-gov", "aws-cn"} {
		rs := Regions(p)
		if len(rs) == 0 {
			t.Fatalf("no regions for partition %s", p)
		}
		if !slices.IsSorted(rs) {
			t.Errorf("regions of %s are not sorted: %v", p, rs)
		}
		for _, r := range rs {
			if got, _ := KnownRegion(r); got != p {
				t.Errorf("region %s is listed under %s but maps to %s", r, p, got)
			}
		}
	}
}

// TestUnknownRegion checks region validation against the list: known
// regions of every partition pass, an unknown one is refused at its
// attribute with the nearest region of its partition (or the partition's
// list), the backend's region too, and skip_region_validation lets both
// through.
func TestUnknownRegion(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       []string // detail substrings of the one error; none: valid
	}{
		{"aws", `region = "eu-west-3"`, nil},
		{"govcloud", `region = "us-gov-east-1"`, nil},
		{"china", `region = "cn-northwest-1"`, nil},
		{"typo", `region = "eu-west-9"`, []string{`did you mean "eu-west-1"?`, "skip_region_validation = true"}},
		{"govcloud typo", `region = "us-gov-east-3"`, []string{`partition "aws-us-gov"`, `did you mean "us-gov-east-1"?`}},
		{"nothing near", `region = "zz-nowhere-1"`, []string{`(af-south-1, `, "us-west-2)."}},
		{"backend", "region = \"us-east-1\"\n  backend {\n    bucket = \"state-bucket\"\n    region = \"us-east-7\"\n  }", []string{`"us-east-7"`}},
		{"skipped", "region = \"eu-west-9\"\n  skip_region_validation = true\n  backend {\n    bucket = \"state-bucket\"\n    region = \"eu-west-9\"\n  }", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "environment \"prod\" {\n  account_id = \"123456789012\"\n  " + tc.body + "\n}\n"
			_, diags := Parse(hclparse.NewParser(), "spec.hcl", []byte(src))
			if tc.want == nil {
				if diags.HasErrors() {
					t.Fatal(diags.Error())
				}
				return
			}
			if len(diags) != 1 || diags[0].Summary != "Unknown AWS region" || diags[0].Subject == nil {
				t.Fatalf("diagnostics %v, want one Unknown AWS region with a position", diags)
			}
			for _, w := range tc.want {
				if !strings.Contains(diags[0].Detail, w) {
					t.Errorf("detail lacks %q: %s", w, diags[0].Detail)
				}
			}
		})
	}
}
