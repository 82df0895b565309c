package tfenv

import (
	"context"
	"errors"
	"os"
)

// EnvSkipE2E, when "1", lets tests skip instead of fail when a tool is
// missing, except in CI (CI=true), where missing tools always fail.
const EnvSkipE2E = "LAKERUNNER_IAM_SKIP_E2E"

// T is the part of testing.TB RequireOrSkip uses; it keeps the testing
// package out of binaries that import tfenv.
type T interface {
	Helper()
	Skip(args ...any)
	Fatal(args ...any)
}

// SkipAllowed reports whether a missing tool may skip a test: only when
// LAKERUNNER_IAM_SKIP_E2E=1 and CI is not "true".
func SkipAllowed() bool {
	return os.Getenv(EnvSkipE2E) == "1" && os.Getenv("CI") != "true"
}

// RequireOrSkip returns the tools found by Discover. When terraform is
// missing it skips t if SkipAllowed, and fails it otherwise; any other
// discovery error (such as a TERRAFORM pointing nowhere) always fails t.
func RequireOrSkip(t T) *Tools {
	t.Helper()
	tools, err := defaultTools(context.Background())
	if err != nil {
		skipOrFail(t, err, SkipAllowed())
		return nil
	}
	return tools
}

// skipOrFail applies the skip policy to a discovery error.
func skipOrFail(t T, err error, skipAllowed bool) {
	t.Helper()
	if errors.Is(err, ErrMissing) && skipAllowed {
		t.Skip(err)
		return
	}
	t.Fatal(err)
}
