package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC: the command's collector settings apply unless the user set
// GOGC or GOMEMLIMIT, each on its own.
func TestTuneGC(t *testing.T) {
	const userPercent, userLimit = 50, 1 << 30
	for _, c := range []struct {
		name        string
		env         map[string]string
		wantPercent int
		wantLimit   int64
	}{
		{"neither set", nil, gcPercent, memoryLimit},
		{"GOGC set", map[string]string{"GOGC": "50"}, userPercent, memoryLimit},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "1GiB"}, gcPercent, userLimit},
		{"both set", map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}, userPercent, userLimit},
	} {
		t.Run(c.name, func(t *testing.T) {
			// What the runtime would have read from the user's variables.
			prevPercent := debug.SetGCPercent(userPercent)
			prevLimit := debug.SetMemoryLimit(userLimit)
			defer func() {
				debug.SetGCPercent(prevPercent)
				debug.SetMemoryLimit(prevLimit)
			}()
			tuneGC(func(k string) string { return c.env[k] })
			if got := debug.SetGCPercent(userPercent); got != c.wantPercent {
				t.Errorf("GC percent %d, want %d", got, c.wantPercent)
			}
			if got := debug.SetMemoryLimit(-1); got != c.wantLimit {
				t.Errorf("memory limit %d, want %d", got, c.wantLimit)
			}
		})
	}
}
