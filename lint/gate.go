package lint

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/cardinalhq/lakerunner-iam/generator"
)

// Errors runs every rule and returns the unaccepted findings of severity
// error as diagnostics at their spec position, for gen to refuse the spec:
// an unknown action or a role anyone may assume is a mistake, not a matter
// of taste, and IAM would accept it silently. Warnings and info are left to
// the lint command.
func Errors(m *generator.Model) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, f := range Check(m).Failing(Error) {
		d := &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("[%s] %s", f.Code, f.Rule),
			Detail:   fmt.Sprintf("In %s: %s", f.subject(), f.Message),
		}
		if f.Hint != "" {
			d.Detail += " " + f.Hint
		}
		if f.Range.Filename != "" {
			d.Subject = f.Range.Ptr()
		}
		diags = append(diags, d)
	}
	return diags
}
