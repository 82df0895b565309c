package emulator_test

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cardinalhq/lakerunner-iam/internal/emulator"
)

// The test binary doubles as a fake moto_server (see fakeMoto) so the
// process handling is tested without moto and without Python.
const (
	fakeEnv     = "EMULATOR_TEST_FAKE_MOTO" // the fake's behaviour
	fakeDirEnv  = "EMULATOR_TEST_FAKE_DIR"  // scratch space for the fake
	helperEnv   = "EMULATOR_TEST_HELPER"    // see TestHelperHoldEmulator
	fakeServes  = "serve"                   // answer like moto
	fakeIgnores = "ignore-term"             // ... and ignore SIGTERM
	fakeForks   = "fork"                    // ... and leave a child in the group
	fakeExits   = "exit"                    // fail at once
	fakeSilent  = "silent"                  // run but never answer
	fakeBusy    = "busy-once"               // first run: port in use
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(fakeEnv); mode != "" {
		os.Exit(fakeMoto(mode, os.Args[1:]))
	}
	os.Exit(emulator.Main(m))
}

// fakeMoto imitates `moto_server -H HOST -p PORT` closely enough for
// Start: it answers GET /moto-api/ with a page mentioning moto.
func fakeMoto(mode string, args []string) int {
	var host, port string
	for i := 0; i+1 < len(args); i += 2 {
		switch args[i] {
		case "-H":
			host = args[i+1]
		case "-p":
			port = args[i+1]
		}
	}
	switch mode {
	case fakeExits:
		fmt.Println("fake failure: no such module moto")
		return 3
	case fakeBusy:
		marker := os.Getenv(fakeDirEnv) + "/busy"
		if _, err := os.Stat(marker); err != nil {
			os.WriteFile(marker, nil, 0o644)
			fmt.Println("Address already in use")
			return 1
		}
		os.WriteFile(os.Getenv(fakeDirEnv)+"/second", nil, 0o644)
	case fakeSilent:
		select {}
	case fakeIgnores:
		signal.Ignore(syscall.SIGTERM)
	case fakeForks:
		if err := exec.Command("sleep", "300").Start(); err != nil {
			fmt.Println(err)
			return 1
		}
	}
	http.HandleFunc("/moto-api/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "<title>Moto</title> (fake)")
	})
	fmt.Println("fake moto on", net.JoinHostPort(host, port))
	if err := http.ListenAndServe(net.JoinHostPort(host, port), nil); err != nil {
		fmt.Println(err)
		return 1
	}
	return 0
}

// useFake points Start at the test binary acting as moto_server.
func useFake(t *testing.T) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(emulator.EnvMotoServer, self)
	t.Setenv(emulator.EnvEndpoint, "")
}

// assertGroupGone fails t unless process group pgid has no members left,
// waiting up to wait for it to go.
func assertGroupGone(t *testing.T, pgid int, wait time.Duration) {
	t.Helper()
	if pgid <= 0 {
		t.Fatalf("bad pgid %d", pgid)
	}
	deadline := time.Now().Add(wait)
	for {
		err := syscall.Kill(-pgid, 0)
		if errors.Is(err, syscall.ESRCH) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("process group %d still exists (kill -0: %v)", pgid, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// isOneSentence is a rough check that an error reads as one sentence.
func isOneSentence(s string) bool {
	return !strings.Contains(s, "\n") && !strings.Contains(strings.TrimSuffix(s, "."), ". ")
}
