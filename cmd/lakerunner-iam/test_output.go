package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/cardinalhq/lakerunner-iam/diag"
	"github.com/cardinalhq/lakerunner-iam/iameval"
	"github.com/hashicorp/hcl/v2"
)

// jsonTestReport is test's JSON output.
type jsonTestReport struct {
	FormatVersion string                `json:"format_version"`
	Spec          string                `json:"spec"`
	Environments  []jsonTestEnv         `json:"environments"`
	Summary       jsonTestSummary       `json:"summary"`
	Diagnostics   []diag.JSONDiagnostic `json:"diagnostics"` // the spec's errors and warnings; with an error, environments is empty
}

type jsonTestSummary struct {
	Outcomes int `json:"outcomes"` // expectations and trust properties
	Failed   int `json:"failed"`
	Requests int `json:"requests"`
}

type jsonTestEnv struct {
	Name     string            `json:"name"`
	Outcomes []jsonTestOutcome `json:"outcomes"`
}

type jsonTestOutcome struct {
	Role   jsonRole        `json:"role"`
	Name   string          `json:"name"`
	Kind   string          `json:"kind"`  // "catalog" or "spec" (an expect block), or "trust"
	Range  *diag.JSONRange `json:"range"` // the expect block; null for a trust property
	Passed bool            `json:"passed"`
	Checks []jsonTestCheck `json:"checks"`
}

type jsonTestCheck struct {
	jsonRequest
	Must       string      `json:"must"` // "allow" or "deny"
	Note       string      `json:"note"`
	Decision   string      `json:"decision"`
	Passed     bool        `json:"passed"`
	Deciding   []jsonMatch `json:"deciding_statements"`
	NearMisses []jsonMatch `json:"near_misses"`
}

func writeTestJSON(w io.Writer, r *testReport) error {
	outcomes, failed, checks := r.counts()
	out := jsonTestReport{FormatVersion: "1", Spec: r.spec, Environments: []jsonTestEnv{},
		Summary: jsonTestSummary{outcomes, failed, checks}, Diagnostics: []diag.JSONDiagnostic{}}
	for i, env := range r.envs {
		je := jsonTestEnv{Name: env.Spec.Name, Outcomes: []jsonTestOutcome{}}
		for _, o := range r.outcomes[i] {
			kind, _ := outcomeOrigin(o)
			jo := jsonTestOutcome{Role: jsonRole{Kind: o.Role.Kind(), Name: o.Role.Name, ARN: o.Role.ARN()}, Name: o.Name, Kind: kind, Passed: o.Passed(), Checks: []jsonTestCheck{}}
			if o.Expectation != nil {
				jo.Range = jsonRange(o.Expectation.Origin.Range())
			}
			for _, c := range o.Checks {
				jc := jsonTestCheck{
					jsonRequest: jsonRequest{Action: c.Request.Action, Resource: c.Request.Resource, Context: c.Request.Context},
					Must:        "deny", Note: c.Note, Decision: string(c.Result.Decision), Passed: c.Passed(),
					Deciding: []jsonMatch{}, NearMisses: []jsonMatch{},
				}
				if c.Allow {
					jc.Must = "allow"
				}
				if p := c.Request.Principal; p != nil {
					jc.Principal = &jsonPrincipal{p.Type, p.ID}
				}
				for _, m := range c.Result.Deciding {
					jc.Deciding = append(jc.Deciding, newJSONMatch(m))
				}
				for _, m := range c.Result.NearMisses {
					jc.NearMisses = append(jc.NearMisses, newJSONMatch(m.Match))
				}
				jo.Checks = append(jo.Checks, jc)
			}
			je.Outcomes = append(je.Outcomes, jo)
		}
		out.Environments = append(out.Environments, je)
	}
	return writeJSON(w, out)
}

// JUnit XML, as CI systems read it: a suite per environment, a case per
// expectation or trust property, named role/expectation.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr,omitempty"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr,omitempty"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Failure   *junitFailure `xml:"failure"`
	Error     *junitFailure `xml:"error"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func writeTestJUnit(w io.Writer, r *testReport) error {
	outcomes, failed, _ := r.counts()
	out := junitSuites{Name: "lakerunner-iam test " + r.spec, Tests: outcomes, Failures: failed}
	for i, env := range r.envs {
		s := junitSuite{Name: env.Spec.Name}
		for _, o := range r.outcomes[i] {
			_, where := outcomeOrigin(o)
			jc := junitCase{Classname: env.Spec.Name + "." + o.Role.Kind(), Name: o.Name, File: where}
			if bad := o.Failed(); len(bad) > 0 {
				var text strings.Builder
				for _, c := range bad {
					fmt.Fprintf(&text, "%s (%s): %s, %s\n", c.Describe(), c.Note, c.Result.Decision, mustText(c))
					for _, m := range c.Result.Deciding {
						fmt.Fprintf(&text, "  by %s %s\n", m.Statement.Effect, m.Where())
					}
				}
				jc.Failure = &junitFailure{
					Message: fmt.Sprintf("%d of %d requests decided otherwise than they must: %s, %s", len(bad), len(o.Checks), bad[0].Describe(), bad[0].Result.Decision),
					Type:    failureType(bad[0]), Text: text.String(),
				}
				s.Failures++
			}
			s.Tests++
			s.Cases = append(s.Cases, jc)
		}
		out.Suites = append(out.Suites, s)
	}
	return encodeJUnit(w, out)
}

// writeTestJUnitErrors is the JUnit report of a spec that did not load:
// one errored case per error diagnostic, so CI shows why no check ran.
func writeTestJUnitErrors(w io.Writer, spec string, diags hcl.Diagnostics) error {
	s := junitSuite{Name: "spec"}
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		where := spec
		if d.Subject != nil {
			where = d.Subject.String()
		}
		s.Cases = append(s.Cases, junitCase{Classname: "spec", Name: d.Summary, File: where,
			Error: &junitFailure{Message: d.Summary, Type: "invalid-spec", Text: d.Detail}})
		s.Tests++
		s.Errors++
	}
	return encodeJUnit(w, junitSuites{Name: "lakerunner-iam test " + spec, Tests: s.Tests, Errors: s.Errors, Suites: []junitSuite{s}})
}

func encodeJUnit(w io.Writer, out junitSuites) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// failureType names what went wrong: a permission missing or one too many.
func failureType(c iameval.Check) string {
	if c.Allow {
		return "missing-permission"
	}
	return "excess-permission"
}
