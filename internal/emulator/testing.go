package emulator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// mainActive is set while Main runs, so Shared knows cleanup is in place.
var mainActive atomic.Bool

// Main runs a test binary's tests and guarantees that every emulator they
// started is stopped: after the tests, when TestMain itself panics, and on
// SIGINT, SIGTERM or SIGHUP (the emulators are stopped, then the signal is
// re-raised). A panic in a test goroutine or a test timeout kills the
// process without running deferred code; on Linux the kernel then kills
// moto_server (see sysProcAttr). Logs of moto_server are kept and their
// paths printed when a test failed. Use it as
//
//	func TestMain(m *testing.M) { os.Exit(emulator.Main(m)) }
func Main(m *testing.M) (code int) {
	mainActive.Store(true)
	defer mainActive.Store(false)
	stopSignals := stopOnSignal()
	defer stopSignals()
	code = 1 // if m.Run panics
	defer func() { stopAll(code != 0) }()
	code = m.Run()
	return code
}

// stopOnSignal stops all emulators on a termination signal and then dies
// of that signal as it would have without the handler.
func stopOnSignal() (stop func()) {
	ch := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		select {
		case s := <-ch:
			stopAll(true)
			signal.Reset(s)
			_ = syscall.Kill(os.Getpid(), s.(syscall.Signal))
			time.Sleep(time.Second) // let the re-raised signal land
			os.Exit(128 + int(s.(syscall.Signal)))
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}

var shared struct {
	once sync.Once
	emu  *Emulator
	err  error
}

// Shared returns one emulator per test binary, started on first use with
// default Options and stopped by Main, which TestMain must call. Tests
// sharing it must not depend on it being empty (use unique names) and
// must not toggle EnableAuth; use StartT for that. When no emulator is
// available it skips or fails t as RequireOrSkip does.
func Shared(t testing.TB) *Emulator {
	t.Helper()
	if !mainActive.Load() {
		t.Fatal("emulator.Shared needs TestMain to run emulator.Main(m), which stops the emulator")
	}
	shared.once.Do(func() {
		shared.emu, shared.err = Start(context.Background(), Options{})
	})
	if shared.err != nil {
		skipOrFail(t, shared.err, SkipAllowed())
	}
	return shared.emu
}

// StartT starts an emulator of t's own, stopped when t ends; Main also
// stops it if the process is interrupted. When no emulator is available it
// skips or fails t as RequireOrSkip does.
func StartT(t testing.TB, opts Options) *Emulator {
	t.Helper()
	e, err := Start(context.Background(), opts)
	if err != nil {
		skipOrFail(t, err, SkipAllowed())
		return nil
	}
	t.Cleanup(func() {
		if t.Failed() {
			e.keepLogs()
			if e.logPath != "" {
				t.Logf("moto_server log kept at %s", e.logPath)
			}
		}
		if err := e.Stop(); err != nil {
			t.Error(err)
		}
	})
	return e
}

// SkipAllowed reports whether a missing emulator may skip a test: only
// when LAKERUNNER_IAM_SKIP_E2E=1 and CI is not "true".
func SkipAllowed() bool {
	return os.Getenv(EnvSkipE2E) == "1" && os.Getenv("CI") != "true"
}

// RequireOrSkip checks that an emulator can be had (EnvEndpoint set, or
// moto_server found) without starting one. If none can, it skips t when
// SkipAllowed and fails it otherwise, with a one-sentence reason; a
// misconfiguration (such as MOTO_SERVER naming a missing file) always
// fails.
func RequireOrSkip(t testing.TB) {
	t.Helper()
	if _, _, err := locate(); err != nil {
		skipOrFail(t, err, SkipAllowed())
	}
}

// skipOrFail applies the skip policy to err.
func skipOrFail(t testing.TB, err error, skipAllowed bool) {
	t.Helper()
	skip, err := decide(err, skipAllowed, os.Getenv("CI") == "true")
	if skip {
		t.Skip(err)
		return
	}
	t.Fatal(err)
}

// decide says whether err may skip a test, and with what message.
func decide(err error, skipAllowed, ci bool) (skip bool, msg error) {
	if !errors.Is(err, ErrMissing) {
		return false, err
	}
	if skipAllowed {
		return true, err
	}
	if !ci {
		return false, fmt.Errorf("%w (or set %s=1 to skip these tests)", err, EnvSkipE2E)
	}
	return false, err
}
