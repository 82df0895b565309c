package main

import "runtime/debug"

// The collector's settings for a process that lives a fraction of a
// second. Gen of the example spec allocates about 67 MB with under 8 MB
// live; Go's default (GOGC=100 from a 4 MB heap) collected about 20 times,
// a fifth of its CPU time. Gen of 125 environments (1,000 roles) keeps
// about 30 MB live. gcPercent lets the heap grow to three times what is
// live; memoryLimit keeps large specs well under the 200 MB they may use
// (collecting more often as the heap nears it).
const (
	gcPercent   = 200
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
