package schema

import (
	_ "embed"
	"slices"
	"strings"
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

// AllRegions lists every known region of every partition, sorted.
func AllRegions() []string {
	var all []string
	for r := range regionPartitions {
		all = append(all, r)
	}
	slices.Sort(all)
	return all
}
