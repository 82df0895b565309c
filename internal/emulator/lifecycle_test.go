package emulator_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/cardinalhq/lakerunner-iam/internal/emulator"
)

func TestStartStopFake(t *testing.T) {
	tests := []struct {
		name string
		mode string
	}{
		{name: "answers and stops on SIGTERM", mode: fakeServes},
		{name: "ignores SIGTERM and gets SIGKILL", mode: fakeIgnores},
		{name: "child left in the group is killed too", mode: fakeForks},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			useFake(t)
			e, err := emulator.Start(context.Background(), emulator.Options{
				Env:       []string{fakeEnv + "=" + tc.mode},
				StopGrace: 300 * time.Millisecond,
			})
			if err != nil {
				t.Fatal(err)
			}
			if !e.IsMoto() || !strings.HasPrefix(e.Endpoint(), "http://127.0.0.1:") {
				t.Errorf("IsMoto=%v Endpoint=%q", e.IsMoto(), e.Endpoint())
			}
			resp, err := http.Get(e.Endpoint() + "/moto-api/")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			pgid := e.Pgid()
			if tc.mode == fakeForks {
				waitForGroupSize(t, pgid, 2)
			}
			begin := time.Now()
			if err := e.Stop(); err != nil {
				t.Fatal(err)
			}
			t.Logf("stopped in %v", time.Since(begin))
			wait := time.Duration(0)
			if tc.mode == fakeForks {
				wait = 5 * time.Second // the orphaned child is reaped by init
			}
			assertGroupGone(t, pgid, wait)
			if err := e.Stop(); err != nil {
				t.Errorf("second Stop: %v", err)
			}
			if _, err := os.Stat(filepath.Dir(e.LogPath())); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("temporary log directory left behind: %v", err)
			}
		})
	}
}

// waitForGroupSize waits until process group pgid has n members.
func waitForGroupSize(t *testing.T, pgid, n int) {
	t.Helper()
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs /proc to list a process group")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		members := groupMembers(pgid)
		if len(members) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("process group %d has members %v, want %d", pgid, members, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// groupMembers lists the pids in process group pgid, from /proc.
func groupMembers(pgid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var pids []int
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces.
		i := strings.LastIndex(string(b), ")")
		if i < 0 {
			continue
		}
		fields := strings.Fields(string(b[i+1:]))
		if len(fields) < 3 {
			continue
		}
		if g, _ := strconv.Atoi(fields[2]); g == pgid {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
			pids = append(pids, pid)
		}
	}
	return pids
}

func TestStartFailures(t *testing.T) {
	tests := []struct {
		name    string
		mode    string
		timeout time.Duration
		wantErr []string
	}{
		{name: "server exits", mode: fakeExits, wantErr: []string{"did not start", "it exited", "fake failure: no such module moto"}},
		{name: "server never answers", mode: fakeSilent, timeout: 500 * time.Millisecond, wantErr: []string{"no answer on http://127.0.0.1:", "deadline exceeded"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			useFake(t)
			logDir := t.TempDir()
			_, err := emulator.Start(context.Background(), emulator.Options{
				Env:          []string{fakeEnv + "=" + tc.mode},
				StartTimeout: tc.timeout,
				StopGrace:    100 * time.Millisecond,
				LogDir:       logDir,
			})
			if err == nil {
				t.Fatal("Start succeeded")
			}
			for _, s := range tc.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			logs, _ := filepath.Glob(filepath.Join(logDir, "*.log"))
			if len(logs) != 1 {
				t.Errorf("logs = %v, want one kept", logs)
			}
		})
	}
}

func TestStartFailureKeepsTemporaryLogs(t *testing.T) {
	useFake(t)
	_, err := emulator.Start(context.Background(), emulator.Options{Env: []string{fakeEnv + "=" + fakeExits}})
	if err == nil {
		t.Fatal("Start succeeded")
	}
	_, dir, ok := strings.Cut(err.Error(), "(moto_server logs in ")
	if !ok {
		t.Fatalf("error does not say where the logs are: %v", err)
	}
	dir = strings.TrimSuffix(dir, ")")
	if logs, _ := filepath.Glob(filepath.Join(dir, "*.log")); len(logs) != 1 {
		t.Errorf("logs in %s = %v", dir, logs)
	}
	os.RemoveAll(dir)
}

func TestStartRetriesWhenPortIsTaken(t *testing.T) {
	useFake(t)
	scratch := t.TempDir()
	e, err := emulator.Start(context.Background(), emulator.Options{
		Env: []string{fakeEnv + "=" + fakeBusy, fakeDirEnv + "=" + scratch},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Stop()
	if _, err := os.Stat(filepath.Join(scratch, "second")); err != nil {
		t.Errorf("the second attempt did not run: %v", err)
	}
}

func TestMissingAndMisconfiguredTools(t *testing.T) {
	emptyPath := t.TempDir()
	notExec := filepath.Join(emptyPath, "moto_server.txt")
	if err := os.WriteFile(notExec, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		motoServer  string
		wantMissing bool
		wantErr     []string
	}{
		{name: "nothing installed", wantMissing: true,
			wantErr: []string{"moto_server is not on PATH", "set MOTO_SERVER", "set LAKERUNNER_IAM_AWS_ENDPOINT to a running LocalStack"}},
		{name: "MOTO_SERVER names a missing file", motoServer: "/no/such/moto_server",
			wantErr: []string{"MOTO_SERVER=/no/such/moto_server is not an executable file", "unset it"}},
		{name: "MOTO_SERVER names a plain file", motoServer: notExec,
			wantErr: []string{"not executable"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("PATH", emptyPath)
			t.Setenv(emulator.EnvEndpoint, "")
			t.Setenv(emulator.EnvMotoServer, tc.motoServer)
			_, err := emulator.Start(context.Background(), emulator.Options{})
			if err == nil {
				t.Fatal("Start succeeded")
			}
			for _, s := range tc.wantErr {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			if !isOneSentence(err.Error()) {
				t.Errorf("not one sentence: %q", err)
			}
			if got := errors.Is(err, emulator.ErrMissing); got != tc.wantMissing {
				t.Errorf("errors.Is(err, ErrMissing) = %v, want %v", got, tc.wantMissing)
			}
		})
	}
}

func TestExternalEndpoint(t *testing.T) {
	fakeMotoAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moto-api/":
			fmt.Fprintln(w, "<title>Moto</title>")
		case "/moto-api/reset-auth", "/moto-api/reset":
			fmt.Fprintln(w, `{"status": "ok"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer fakeMotoAPI.Close()
	localstackLike := httptest.NewServer(http.NotFoundHandler())
	defer localstackLike.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()

	tests := []struct {
		name     string
		endpoint string
		wantMoto bool
		wantErr  string
	}{
		{name: "moto", endpoint: fakeMotoAPI.URL + "/", wantMoto: true},
		{name: "not moto", endpoint: localstackLike.URL},
		{name: "nothing listening", endpoint: closed, wantErr: emulator.EnvEndpoint + "=" + closed + " does not answer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(emulator.EnvEndpoint, tc.endpoint)
			e, err := emulator.Start(context.Background(), emulator.Options{StartTimeout: 500 * time.Millisecond})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e.Endpoint() != strings.TrimSuffix(tc.endpoint, "/") || e.Pgid() != 0 || e.LogPath() != "" {
				t.Errorf("Endpoint=%q Pgid=%d LogPath=%q", e.Endpoint(), e.Pgid(), e.LogPath())
			}
			if e.IsMoto() != tc.wantMoto {
				t.Errorf("IsMoto = %v, want %v", e.IsMoto(), tc.wantMoto)
			}
			ctx := context.Background()
			for name, f := range map[string]func(context.Context) error{"EnableAuth": e.EnableAuth, "DisableAuth": e.DisableAuth, "Reset": e.Reset} {
				if err := f(ctx); (err == nil) != tc.wantMoto {
					t.Errorf("%s: %v", name, err)
				}
			}
			if err := e.Stop(); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestHelperHoldEmulator is not a test: TestCleanupWhenProcessDies runs
// the test binary with it to start an emulator, report its process group
// and then die in the way named by EMULATOR_TEST_HELPER.
func TestHelperHoldEmulator(t *testing.T) {
	how := os.Getenv(helperEnv)
	if how == "" {
		t.Skip("helper process only")
	}
	e, err := emulator.Start(context.Background(), emulator.Options{
		Env:    []string{fakeEnv + "=" + fakeServes},
		LogDir: os.Getenv(fakeDirEnv), // the parent's, so kept logs are cleaned up
	})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("PGID=%d\n", e.Pgid())
	if how == "panic" {
		go func() { panic("helper panics in a test goroutine") }()
	}
	time.Sleep(time.Minute) // wait to be signalled
}

func TestCleanupWhenProcessDies(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		helper string
		signal syscall.Signal // sent to the helper; 0 for none
	}{
		{name: "SIGINT", helper: "hold", signal: syscall.SIGINT},
		{name: "SIGTERM", helper: "hold", signal: syscall.SIGTERM},
		{name: "SIGKILL (kernel parent-death signal)", helper: "hold", signal: syscall.SIGKILL},
		{name: "panic in a test goroutine", helper: "panic"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			useFake(t)
			cmd := exec.Command(self, "-test.run=^TestHelperHoldEmulator$", "-test.v")
			cmd.Env = append(os.Environ(), helperEnv+"="+tc.helper, fakeDirEnv+"="+t.TempDir())
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			pgid := 0
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if v, ok := strings.CutPrefix(sc.Text(), "PGID="); ok {
					pgid, _ = strconv.Atoi(v)
					break
				}
			}
			if pgid == 0 {
				t.Fatal("helper did not report a process group")
			}
			if err := syscall.Kill(-pgid, 0); err != nil {
				t.Fatalf("fake moto_server not running: %v", err)
			}
			if tc.signal != 0 {
				if err := cmd.Process.Signal(tc.signal); err != nil {
					t.Fatal(err)
				}
			}
			go func() {
				for sc.Scan() { // drain so the helper never blocks on output
				}
			}()
			err = cmd.Wait()
			t.Logf("helper ended: %v", err)
			assertGroupGone(t, pgid, 5*time.Second)
		})
	}
}

// TestRealMoto starts the real moto_server, measures it and checks that
// stopping it leaves no process behind.
func TestRealMoto(t *testing.T) {
	emulator.RequireOrSkip(t)
	if os.Getenv(emulator.EnvEndpoint) != "" {
		t.Skip("an external endpoint is configured; no moto_server process to test")
	}
	begin := time.Now()
	e, err := emulator.Start(context.Background(), emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Stop()
	ready := time.Since(begin)

	ctx := context.Background()
	cfg, err := e.AWSConfig(ctx, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	begin = time.Now()
	out, err := iam.NewFromConfig(cfg).GetPolicy(ctx, &iam.GetPolicyInput{
		PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess"),
	})
	if err != nil {
		t.Fatalf("AWS managed policies not loaded: %v", err)
	}
	firstIAM := time.Since(begin)
	t.Logf("moto_server answered after %v; first IAM call (loads AWS managed policies) took %v; found %s",
		ready.Round(time.Millisecond), firstIAM.Round(time.Millisecond), aws.ToString(out.Policy.Arn))

	pgid := e.Pgid()
	if err := e.Stop(); err != nil {
		t.Fatal(err)
	}
	assertGroupGone(t, pgid, 0)
	if _, err := http.Get(e.Endpoint() + "/moto-api/"); err == nil {
		t.Error("endpoint still answers after Stop")
	}
}
