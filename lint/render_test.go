package lint_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/lint"
)

// mixedReport has unaccepted findings of every severity and an accepted
// one: the catalog's own (warnings, and info for the MSK wildcard), an
// unknown action (error), and the Lambda trust's advisory, accepted.
func mixedReport(t *testing.T) *lint.Report {
	t.Helper()
	return check(t, specHead+`  lambda_migrations = true
  msk_access        = true
  role "data-task" {
    statement {
      sid       = "Read"
      actions   = ["s3:GetObjects"]
      resources = ["arn:aws:s3:::lakerunner-shared/*"]
    }
  }
  role "migration-lambda" {
    accept "LR010" {
      reason = "our own function"
    }
  }
}
`)
}

func TestWriteJSON(t *testing.T) {
	r := mixedReport(t)
	var buf bytes.Buffer
	if err := lint.WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var got struct {
		FormatVersion string `json:"format_version"`
		Spec          string `json:"spec"`
		Findings      []struct {
			Code      string        `json:"code"`
			Rule      string        `json:"rule"`
			Severity  lint.Severity `json:"severity"`
			Role      struct{ Kind, Name string }
			Policy    string `json:"policy"`
			Statement *struct {
				Sid   string `json:"sid"`
				Index int    `json:"index"`
			} `json:"statement"`
			Message string `json:"message"`
			Hint    string `json:"hint"`
			Range   struct {
				Filename string
				Start    struct{ Line, Column, Byte int }
			} `json:"range"`
			Accepted *struct {
				Reason string `json:"reason"`
			} `json:"accepted"`
		} `json:"findings"`
		Summary lint.Counts `json:"summary"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, buf.Bytes())
	}
	if got.FormatVersion != lint.JSONFormatVersion || got.Spec != r.Spec {
		t.Errorf("format_version %q, spec %q", got.FormatVersion, got.Spec)
	}
	if got.Summary != r.Counts() {
		t.Errorf("summary = %+v, want %+v", got.Summary, r.Counts())
	}
	if len(got.Findings) != len(r.Findings) {
		t.Fatalf("%d findings in JSON, %d in the report", len(got.Findings), len(r.Findings))
	}
	var accepted, unknown int
	for i, f := range got.Findings {
		want := r.Findings[i]
		if f.Code != want.Code || f.Rule != want.Rule || f.Severity != want.Severity || f.Role.Kind != want.RoleKind ||
			f.Message != want.Message || f.Hint != want.Hint || f.Range.Start.Line != want.Range.Start.Line {
			t.Errorf("finding %d: JSON %+v does not render %+v", i, f, want)
		}
		if (f.Statement == nil) != (want.Index < 0) || (f.Statement != nil && (f.Statement.Sid != want.Sid || f.Statement.Index != want.Index)) {
			t.Errorf("finding %d: statement %+v, want sid %q index %d", i, f.Statement, want.Sid, want.Index)
		}
		if f.Accepted != nil {
			accepted++
			if f.Accepted.Reason != "our own function" {
				t.Errorf("accepted reason %q", f.Accepted.Reason)
			}
		}
		if f.Code == "LR011" {
			unknown++
		}
	}
	if accepted != 1 || unknown != 1 {
		t.Errorf("%d accepted and %d unknown-action findings, want 1 and 1", accepted, unknown)
	}
}

func TestWriteSARIF(t *testing.T) {
	r := mixedReport(t)
	var buf bytes.Buffer
	if err := lint.WriteSARIF(&buf, r, lint.SARIFOptions{ToolVersion: "v1.2.3"}); err != nil {
		t.Fatal(err)
	}
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct{ URI string }
			Region           struct{ StartLine, StartColumn int }
		}
	}
	var log struct {
		Schema  string `json:"$schema"`
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name, Version string
					Rules         []struct {
						ID               string
						Name             string
						ShortDescription struct{ Text string }
					}
				}
			}
			Results []struct {
				RuleID       string
				RuleIndex    int
				Level        string
				Message      struct{ Text string }
				Locations    []location
				Suppressions []struct{ Kind, Justification string }
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-2.1.0") || len(log.Runs) != 1 {
		t.Fatalf("not a SARIF 2.1.0 log with one run: version %q schema %q runs %d", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name != "lakerunner-iam" || run.Tool.Driver.Version != "v1.2.3" {
		t.Errorf("driver %q %q", run.Tool.Driver.Name, run.Tool.Driver.Version)
	}
	if len(run.Tool.Driver.Rules) != len(lint.Rules) {
		t.Fatalf("%d rules, want %d", len(run.Tool.Driver.Rules), len(lint.Rules))
	}
	for i, rule := range run.Tool.Driver.Rules {
		if rule.ID != lint.Rules[i].Code || rule.Name != lint.Rules[i].Name || rule.ShortDescription.Text == "" {
			t.Errorf("rule %d = %+v", i, rule)
		}
	}
	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(r.Findings))
	}
	levels := map[lint.Severity]string{lint.Error: "error", lint.Warning: "warning", lint.Info: "note"}
	for i, res := range run.Results {
		f := r.Findings[i]
		if res.RuleID != f.Code || run.Tool.Driver.Rules[res.RuleIndex].ID != f.Code {
			t.Errorf("result %d: ruleId %s, ruleIndex %d, want %s", i, res.RuleID, res.RuleIndex, f.Code)
		}
		if res.Level != levels[f.Severity] {
			t.Errorf("result %d: level %q for %s", i, res.Level, f.Severity)
		}
		if !strings.Contains(res.Message.Text, f.Message) {
			t.Errorf("result %d: message %q", i, res.Message.Text)
		}
		if len(res.Locations) != 1 {
			t.Fatalf("result %d: %d locations", i, len(res.Locations))
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.ArtifactLocation.URI != "file://"+filepath.ToSlash(f.Range.Filename) || loc.Region.StartLine != f.Range.Start.Line || loc.Region.StartColumn != f.Range.Start.Column {
			t.Errorf("result %d: location %+v, want %s", i, loc, f.Range)
		}
		switch {
		case f.Accepted == nil && len(res.Suppressions) > 0:
			t.Errorf("result %d: suppressed but not accepted", i)
		case f.Accepted != nil && (len(res.Suppressions) != 1 || res.Suppressions[0].Kind != "inSource" || res.Suppressions[0].Justification != f.Accepted.Reason):
			t.Errorf("result %d: suppressions %+v, want inSource with the reason", i, res.Suppressions)
		}
	}
}

func TestSARIFRelativeURI(t *testing.T) {
	r := &lint.Report{Spec: "specs/prod env.hcl", Findings: []lint.Finding{{
		Code: "LR003", Rule: "resource-star", Severity: lint.Warning, Index: 0,
		Range: hcl.Range{Filename: "specs/prod env.hcl", Start: hcl.Pos{Line: 3, Column: 5}, End: hcl.Pos{Line: 3, Column: 9}},
	}}}
	var buf bytes.Buffer
	if err := lint.WriteSARIF(&buf, r, lint.SARIFOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"uri": "specs/prod%20env.hcl"`) {
		t.Errorf("relative spec path is not a relative URI reference:\n%s", buf.String())
	}
	if strings.Contains(buf.String(), `"version": "",`) {
		t.Errorf("empty tool version written")
	}
}

func TestWriteText(t *testing.T) {
	r := mixedReport(t)
	var buf bytes.Buffer
	if err := lint.WriteText(&buf, r, lint.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	c := r.Counts()
	for _, want := range []string{
		"Error: [LR011] unknown-action",
		`with role "data-task" (lakerunner-data-task-role), inline policy "lakerunner-data-access", statement Read,`,
		r.Spec + ":",                    // file:line:col
		`actions   = ["s3:GetObjects"]`, // the source line
		"Hint: Change this statement",
		"Accepted info: [LR010] trust-service-without-source",
		"Accepted at " + r.Spec + ":",
		": our own function",
		"Info: [LR013] action-wildcard",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if c.Errors != 1 || c.Accepted != 1 || c.Info != 1 {
		t.Errorf("counts = %+v, want 1 error, 1 info, 1 accepted", c)
	}
	if !strings.HasSuffix(out, "8 findings (1 error, 6 warnings, 1 info), 1 accepted.\n") {
		t.Errorf("summary line: %q", out[strings.LastIndex(strings.TrimSuffix(out, "\n"), "\n")+1:])
	}

	buf.Reset()
	if err := lint.WriteText(&buf, &lint.Report{}, lint.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "No findings.\n" {
		t.Errorf("empty report renders %q", buf.String())
	}
}

func TestSeverity(t *testing.T) {
	for _, s := range []lint.Severity{lint.Info, lint.Warning, lint.Error} {
		got, err := lint.ParseSeverity(strings.ToUpper(s.String()))
		if err != nil || got != s {
			t.Errorf("ParseSeverity(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := lint.ParseSeverity("never"); err == nil {
		t.Error(`ParseSeverity("never") succeeded; "never" is the CLI's, not a severity`)
	}
	if !(lint.Info < lint.Warning && lint.Warning < lint.Error) {
		t.Error("severities are not ordered")
	}
}

func TestFailing(t *testing.T) {
	r := mixedReport(t)
	tests := []struct {
		threshold lint.Severity
		want      int
	}{{lint.Error, 1}, {lint.Warning, 7}, {lint.Info, 8}}
	for _, tt := range tests {
		got := r.Failing(tt.threshold)
		if len(got) != tt.want {
			t.Errorf("Failing(%s) = %d findings, want %d", tt.threshold, len(got), tt.want)
		}
		for _, f := range got {
			if f.Accepted != nil {
				t.Errorf("Failing(%s) includes accepted %s", tt.threshold, f.Code)
			}
		}
	}
}

// invalidReport is what lint reports for a spec it could not check: no
// findings, the spec's diagnostics.
func invalidReport() *lint.Report {
	rng := hcl.Range{Filename: "specs/bad.hcl", Start: hcl.Pos{Line: 3, Column: 5, Byte: 40}, End: hcl.Pos{Line: 3, Column: 9, Byte: 44}}
	return &lint.Report{Spec: "specs/bad.hcl", Diagnostics: hcl.Diagnostics{
		{Severity: hcl.DiagError, Summary: "Cannot read spec file", Detail: "No such file."},
		{Severity: hcl.DiagError, Summary: "Invalid effect", Detail: `"Allw" is not an IAM effect.`, Subject: &rng},
	}}
}

func TestWriteJSONDiagnostics(t *testing.T) {
	var buf bytes.Buffer
	if err := lint.WriteJSON(&buf, invalidReport()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Findings    []any `json:"findings"`
		Diagnostics []struct {
			Severity, Summary, Detail string
			Range                     *struct {
				Filename string
				Start    struct{ Line, Column, Byte int }
			}
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Findings == nil || len(got.Findings) != 0 || len(got.Diagnostics) != 2 {
		t.Fatalf("findings %v, diagnostics %+v", got.Findings, got.Diagnostics)
	}
	d0, d1 := got.Diagnostics[0], got.Diagnostics[1]
	if d0.Severity != "error" || d0.Summary != "Cannot read spec file" || d0.Range != nil {
		t.Errorf("first: %+v", d0)
	}
	if d1.Range == nil || d1.Range.Filename != "specs/bad.hcl" || d1.Range.Start.Line != 3 || d1.Range.Start.Column != 5 || d1.Detail != `"Allw" is not an IAM effect.` {
		t.Errorf("second: %+v", d1)
	}
}

func TestWriteSARIFDiagnostics(t *testing.T) {
	var buf bytes.Buffer
	if err := lint.WriteSARIF(&buf, invalidReport(), lint.SARIFOptions{}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Runs []struct {
			Tool struct {
				Driver struct{ Rules []struct{ ID string } }
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	run := got.Runs[0]
	if len(run.Results) != 2 {
		t.Fatalf("%d results:\n%s", len(run.Results), buf.String())
	}
	for i, res := range run.Results {
		if res.RuleID != "invalid-spec" || run.Tool.Driver.Rules[res.RuleIndex].ID != "invalid-spec" || res.Level != "error" {
			t.Errorf("result %d: %+v", i, res)
		}
		if len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.ArtifactLocation.URI != "specs/bad.hcl" {
			t.Errorf("result %d has no location in the spec: %+v", i, res.Locations)
		}
	}
	if reg := run.Results[1].Locations[0].PhysicalLocation.Region; reg == nil || reg.StartLine != 3 || reg.StartColumn != 5 {
		t.Errorf("region %+v", reg)
	}
	if run.Results[1].Message.Text != `Invalid effect: "Allw" is not an IAM effect.` {
		t.Errorf("message %q", run.Results[1].Message.Text)
	}
}

// TestWriteTextSafe: what comes from the spec (an accept reason, a
// source line) cannot drive the terminal, and colour is only there when
// asked for.
func TestWriteTextSafe(t *testing.T) {
	r := check(t, specHead+`  lambda_migrations = true
  role "migration-lambda" {
    accept "LR010" {
      reason = "ok\u001b[2J\rWarning: fake"
    }
  }
}
`)
	var plain, color bytes.Buffer
	if err := lint.WriteText(&plain, r, lint.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := lint.WriteText(&color, r, lint.TextOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(plain.String(), "\x1b\r") {
		t.Errorf("raw control bytes:\n%q", plain.String())
	}
	if !strings.Contains(plain.String(), `: ok\x1b[2J\rWarning: fake`) {
		t.Errorf("reason not shown escaped:\n%s", plain.String())
	}
	if !strings.Contains(color.String(), "\x1b[32;1mAccepted info:\x1b[0m [LR010]") || !strings.Contains(color.String(), "\x1b[33;1mWarning:\x1b[0m [LR") {
		t.Errorf("no colour:\n%q", color.String())
	}
}
