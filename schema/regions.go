package schema

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

//go:embed regions.txt
var regionsData string

// regionPartitions maps every known region to its partition; partitionRegions
// lists each partition's regions in order, for did-you-mean and messages.
var regionPartitions, partitionRegions = parseRegions(regionsData)

func parseRegions(data string) (map[string]string, map[string][]string) {
	byRegion := map[string]string{}
	byPartition := map[string][]string{}
	for line := range strings.Lines(data) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		partition, region, ok := strings.Cut(line, " ")
		if !ok {
			panic("schema/regions.txt: malformed line " + line)
		}
		byRegion[region] = partition
		byPartition[partition] = append(byPartition[partition], region)
	}
	for _, rs := range byPartition {
		slices.Sort(rs)
	}
	return byRegion, byPartition
}

// KnownRegion reports the partition of a region AWS has opened, and whether
// the region is in the list at all.
func KnownRegion(region string) (partition string, ok bool) {
	partition, ok = regionPartitions[region]
	return partition, ok
}

// Regions lists a partition's known regions, sorted.
func Regions(partition string) []string { return slices.Clone(partitionRegions[partition]) }

// unknownRegion refuses a well-formed region that is not in the list kept
// in regions.txt, unless the environment sets skip_region_validation:
// otherwise only terraform plan would notice, pointing at generated code.
func unknownRegion(env *Environment, rng hcl.Range, region string) *hcl.Diagnostic {
	if env.SkipRegionValidation {
		return nil
	}
	if _, ok := KnownRegion(region); ok {
		return nil
	}
	partition := PartitionOf(region)
	detail := fmt.Sprintf("%s is not a region of partition %q that lakerunner-iam knows", Quote(region), partition)
	if m := closest(region, Regions(partition)); m != "" {
		detail += fmt.Sprintf("; did you mean %q?", m)
	} else {
		detail += fmt.Sprintf(" (%s).", strings.Join(Regions(partition), ", "))
	}
	detail += " If AWS opened it after this release, set skip_region_validation = true in the environment: the generated provider block then skips the AWS provider's region check too."
	return errorAt(rng, "Unknown AWS region", detail)
}
