package pipeline_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/generator"
	"github.com/cardinalhq/lakerunner-iam/iameval"
	"github.com/cardinalhq/lakerunner-iam/pipeline"
)

// tierSpecs are the specs of the tiers catalog whose expectations the
// tests prove.
var tierSpecs = []string{"../examples/lakerunner-tiers.hcl", "../testdata/specs/tiers-satellites.hcl", "../testdata/specs/tiers-eks-satellite.hcl"}

// TestTierExpectations proves, over the rendered policies, every expect
// block of the tiers catalog (its Required and Must-NOT lists) for every
// role of the tier specs: an "allow" must be allowed, a "deny" must not.
// Each role must carry both kinds, so no role passes by checking nothing.
func TestTierExpectations(t *testing.T) {
	for _, spec := range tierSpecs {
		m, _, diags := pipeline.Load(spec)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", spec, diags.Error())
		}
		for _, e := range m.Environments {
			for _, r := range e.Roles {
				role := iameval.ForRole(r)
				if len(role.Unknown) > 0 {
					t.Errorf("%s %s: policies of unknown content %v: the expectations would not see them", e.Spec.Name, r.Name, role.Unknown)
				}
				effects := map[string]int{}
				for _, x := range r.Expectations {
					effects[x.Effect]++
					for _, a := range x.Actions {
						for _, res := range x.Resources {
							got := role.Can(a, res, x.Context)
							if allowed := got.Decision == iameval.Allowed; allowed != (x.Effect == "allow") {
								t.Errorf("%s %s: expectation %q: %s on %s is %s, want %s (%s)", e.Spec.Name, r.Name, x, a, res, got.Decision, x.Effect, got.Reason)
							}
						}
					}
				}
				if effects["allow"] == 0 || effects["deny"] == 0 {
					t.Errorf("%s %s: %d allow and %d deny expectations; every tier role states both what it must and must not do", e.Spec.Name, r.Name, effects["allow"], effects["deny"])
				}
			}
		}
	}
}

// TestTierRoles checks which roles each environment of the example
// generates: a tier role only where a deployed service runs under it, and
// a satellite only its access role.
func TestTierRoles(t *testing.T) {
	cases := map[string][]string{
		"../examples/lakerunner-tiers.hcl/production":    {"ecs-execution", "process-task", "query-task", "control-task", "otel-task", "migration-task", "maestro-task"},
		"../examples/lakerunner-tiers.hcl/acme-logs":     {"satellite-access"},
		"../testdata/specs/tiers-satellites.hcl/central": {"ecs-execution", "process-task", "query-task", "control-task", "migration-task"},
		"../testdata/specs/tiers-satellites.hcl/edge-a":  {"satellite-access", "firehose-delivery", "metric-stream"},
		"../testdata/specs/tiers-satellites.hcl/edge-b":  {"satellite-access"},
		// EKS, shared ServiceAccount: no execution role, one workload role.
		"../testdata/specs/tiers-eks-satellite.hcl/central": {generator.SharedKind},
		"../testdata/specs/tiers-eks-satellite.hcl/edge":    {"satellite-access"},
	}
	for _, spec := range tierSpecs {
		m, _, diags := pipeline.Load(spec)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", spec, diags.Error())
		}
		for _, e := range m.Environments {
			var kinds []string
			for _, r := range e.Roles {
				kinds = append(kinds, r.Kind())
			}
			if want := cases[spec+"/"+e.Spec.Name]; !slices.Equal(kinds, want) {
				t.Errorf("%s %s: roles %v, want %v", spec, e.Spec.Name, kinds, want)
			}
		}
	}
}

// TestSatelliteTrust proves the satellite wiring over the rendered trust
// and permission policies: each satellite access role is assumable by
// exactly the central process role (with the ExternalId when one is set),
// and the central process role may assume exactly its satellites' roles.
func TestSatelliteTrust(t *testing.T) {
	for _, spec := range tierSpecs {
		m, _, diags := pipeline.Load(spec)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", spec, diags.Error())
		}
		checked := 0
		for _, central := range m.Environments {
			if len(central.Satellites) == 0 {
				continue
			}
			checked += len(central.Satellites)
			// The role that collects: the process role, or on EKS with
			// the chart's shared ServiceAccount the shared workload role.
			process := central.Role("process-task")
			if process == nil {
				process = central.Role(generator.SharedKind)
			}
			proc := iameval.ForRole(process)
			for _, sat := range central.Satellites {
				var satEnv *generator.Environment
				for _, e := range m.Environments {
					if e.Spec == sat.Env {
						satEnv = e
					}
				}
				access := satEnv.Role("satellite-access")
				if access.ARN() != sat.RoleARN {
					t.Errorf("%s: central outputs role %s, the satellite creates %s", sat.Env.Name, sat.RoleARN, access.ARN())
				}
				if got := proc.Can("sts:AssumeRole", access.ARN(), nil); got.Decision != iameval.Allowed {
					t.Errorf("%s: the process role may not assume %s: %s", sat.Env.Name, access.ARN(), got.Reason)
				}
				acc := iameval.ForRole(access)
				ctx := map[string][]string{}
				if id := sat.Env.SatelliteExternalID; id != "" {
					ctx["sts:ExternalId"] = []string{id}
					if got := acc.AssumableBy(iameval.Principal{Type: "AWS", ID: process.ARN()}, "sts:AssumeRole", nil); got.Decision == iameval.Allowed {
						t.Errorf("%s: assumable without its ExternalId", sat.Env.Name)
					}
				}
				if got := acc.AssumableBy(iameval.Principal{Type: "AWS", ID: process.ARN()}, "sts:AssumeRole", ctx); got.Decision != iameval.Allowed {
					t.Errorf("%s: the central process role cannot assume the access role: %s", sat.Env.Name, got.Reason)
				}
				query := "arn:aws:iam::" + central.Spec.AccountID + ":role/" + central.Spec.NamePrefix + "-query-task-role"
				if r := central.Role("query-task"); r != nil {
					query = r.ARN()
				}
				for _, other := range []string{
					query,
					"arn:aws:iam::" + central.Spec.AccountID + ":root",
					"arn:aws:iam::" + sat.Env.AccountID + ":role/admin",
				} {
					if got := acc.AssumableBy(iameval.Principal{Type: "AWS", ID: other}, "sts:AssumeRole", ctx); got.Decision == iameval.Allowed {
						t.Errorf("%s: %s may assume the access role; only the central process role may", sat.Env.Name, other)
					}
				}
				if !strings.HasPrefix(sat.QueueURL, "https://sqs."+sat.Region+".") {
					t.Errorf("%s: queue URL %s is not in region %s", sat.Env.Name, sat.QueueURL, sat.Region)
				}
			}
			// Never "*": exactly the satellites' roles.
			for _, st := range process.Permissions.Statements {
				if slices.Contains(st.Actions, "sts:AssumeRole") && len(st.Resources) != len(central.Satellites) {
					t.Errorf("%s: the process role may assume %v, want exactly its %d satellites' roles", central.Spec.Name, st.Resources, len(central.Satellites))
				}
			}
		}
		var want int
		for _, e := range m.Environments {
			if e.Spec.SatelliteOf != "" {
				want++
			}
		}
		if checked != want || want == 0 && strings.Contains(spec, "satellite") {
			t.Errorf("%s: checked %d satellites, the spec has %d", spec, checked, want)
		}
	}
}
