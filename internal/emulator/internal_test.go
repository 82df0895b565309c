package emulator

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestDecide(t *testing.T) {
	missing := &missingError{"moto_server is not on PATH"}
	broken := errors.New("MOTO_SERVER=/x is not an executable file")
	tests := []struct {
		name        string
		err         error
		skipAllowed bool
		ci          bool
		wantSkip    bool
		wantHint    bool // the failure tells how to skip
	}{
		{name: "missing, skip allowed", err: missing, skipAllowed: true, wantSkip: true},
		{name: "missing, skip not asked", err: missing, wantHint: true},
		{name: "missing in CI", err: missing, ci: true},
		{name: "misconfigured never skips", err: broken, skipAllowed: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			skip, msg := decide(tc.err, tc.skipAllowed, tc.ci)
			if skip != tc.wantSkip {
				t.Errorf("skip = %v, want %v", skip, tc.wantSkip)
			}
			if got := strings.Contains(msg.Error(), EnvSkipE2E+"=1"); got != tc.wantHint {
				t.Errorf("hint in %q = %v, want %v", msg, got, tc.wantHint)
			}
			if !errors.Is(msg, tc.err) {
				t.Errorf("message %q does not wrap %q", msg, tc.err)
			}
		})
	}
}

func TestSkipAllowed(t *testing.T) {
	tests := []struct {
		skip, ci string
		want     bool
	}{
		{"1", "", true},
		{"1", "false", true},
		{"1", "true", false},
		{"", "", false},
		{"true", "", false},
	}
	for _, tc := range tests {
		t.Run("skip="+tc.skip+",ci="+tc.ci, func(t *testing.T) {
			t.Setenv(EnvSkipE2E, tc.skip)
			t.Setenv("CI", tc.ci)
			if got := SkipAllowed(); got != tc.want {
				t.Errorf("SkipAllowed() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFreePort(t *testing.T) {
	p, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
	if err != nil {
		t.Fatalf("port %d not free: %v", p, err)
	}
	l.Close()
}

func TestLogTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	if err := os.WriteFile(path, []byte("a\nb\nc\nd\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		n    int
		want string
	}{{2, "c\nd"}, {10, "a\nb\nc\nd"}}
	for _, tc := range tests {
		if got := logTail(path, tc.n); got != tc.want {
			t.Errorf("logTail(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
	if got := logTail(filepath.Join(t.TempDir(), "none"), 3); got != "" {
		t.Errorf("missing file: %q", got)
	}
}
