package schema

import (
	"slices"
	"testing"
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
	if n := len(AllRegions()); n != len(regionPartitions) {
		t.Errorf("AllRegions has %d entries, want %d", n, len(regionPartitions))
	}
}
