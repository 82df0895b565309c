package generator_test

import (
	"strings"
	"testing"

	"github.com/cardinalhq/lakerunner-iam/internal/testutil/testspec"
)

// TestDescriptionCountsCharacters: IAM counts a description's characters,
// not its bytes; 1,000 two-byte characters are within its quota (they
// were refused as 2,000).
func TestDescriptionCountsCharacters(t *testing.T) {
	desc := strings.Repeat("é", 1000)
	m := testspec.LoadText(t, `environment "prod" {
  account_id = "123456789012"
  region     = "us-east-1"
  role "data-task" {
    description = "`+desc+`"
  }
}
`)
	if got := m.Environments[0].Role("data-task").Description; got != desc {
		t.Errorf("description = %.20q…", got)
	}
}
