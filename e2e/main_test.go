package e2e

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cardinalhq/lakerunner-iam/internal/emulator"
)

func TestMain(m *testing.M) {
	code := emulator.Main(m)
	if testing.Verbose() {
		timings.print()
	}
	os.Exit(code)
}

// parallelOnOwnEmulators runs t in parallel with other tests when each
// test starts an emulator of its own. One external endpoint
// (LAKERUNNER_IAM_AWS_ENDPOINT) is shared, and specs share accounts (the
// EKS examples use the account of examples/lakerunner.hcl) whose
// read-backs check that the account has no role besides their own: there
// the tests run one at a time, as before.
func parallelOnOwnEmulators(t *testing.T) {
	if os.Getenv(emulator.EnvEndpoint) == "" {
		t.Parallel()
	}
}

// timings collects how long each step of each case took, for the summary
// printed in verbose mode.
var timings = &timingLog{}

type timingLog struct {
	mu    sync.Mutex
	steps []timing
}

type timing struct {
	scope, step string
	d           time.Duration
}

// track returns a function that records the step's duration when called.
func (l *timingLog) track(scope, step string) func() {
	start := time.Now()
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.steps = append(l.steps, timing{scope, step, time.Since(start)})
	}
}

func (l *timingLog) print() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.steps) == 0 {
		return
	}
	byScope := map[string][]timing{}
	var scopes []string
	for _, s := range l.steps {
		if _, ok := byScope[s.scope]; !ok {
			scopes = append(scopes, s.scope)
		}
		byScope[s.scope] = append(byScope[s.scope], s)
	}
	sort.Strings(scopes)
	fmt.Println("e2e step timings:")
	totals := map[string]time.Duration{}
	for _, sc := range scopes {
		var parts []string
		for _, s := range byScope[sc] {
			parts = append(parts, fmt.Sprintf("%s %.1fs", s.step, s.d.Seconds()))
			totals[s.step] += s.d
		}
		fmt.Printf("  %-28s %s\n", sc, strings.Join(parts, ", "))
	}
	var steps []string
	for s := range totals {
		steps = append(steps, s)
	}
	sort.Strings(steps)
	var parts []string
	for _, s := range steps {
		parts = append(parts, fmt.Sprintf("%s %.1fs", s, totals[s].Seconds()))
	}
	fmt.Printf("  %-28s %s\n", "all (summed)", strings.Join(parts, ", "))
}
