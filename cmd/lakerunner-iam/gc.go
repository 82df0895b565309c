package main

import "runtime/debug"

// The collector's settings for a process that lives a fraction of a
// second. Go's default (GOGC=100 from a 4 MB heap) collected about 20 times
// during gen of the example spec, a fifth of its CPU time. gcPercent lets
// the heap grow to five times what is live, so gen of the example spec,
// which allocates about 8 MB, does not collect at all (GODEBUG=gctrace=1;
// at GOGC 200 it collected once): measured with perf stat -r
// 30 on a re-run, GOGC 200 took 35.4 ms wall and 50 ms CPU, 400 29.5 ms and
// 37 ms. memoryLimit keeps large specs well under the 200 MB they may use:
// gen of 125 environments (1,000 roles) peaks at about 100 MB, of 400 at
// 167 MB, collecting more often as the heap nears the limit. GOGC=off with
// the limit alone was slower there (400 environments: 2.5 s, against 1.8 s),
// as the collector runs again and again near the limit.
const (
	gcPercent   = 400
	memoryLimit = 150 << 20
)

// tuneGC sets the collector for a short-lived command, unless the user
// set GOGC or GOMEMLIMIT: their settings stand, each on its own.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
