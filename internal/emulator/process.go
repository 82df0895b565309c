package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"
)

// process is a child started by spawn.
type process struct {
	pgid    int
	done    chan struct{} // closed once the child is reaped
	waitErr error         // valid after done
}

// spawn starts cmd from an OS thread that stays locked until the child is
// reaped: Linux delivers the parent-death signal (see sysProcAttr) when the
// thread that forked the child exits, not the process, so a thread the Go
// runtime retires early would kill moto_server early.
func spawn(cmd *exec.Cmd) (*process, error) {
	p := &process{done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		p.pgid = cmd.Process.Pid // Setpgid with Pgid 0: the group is the child's pid
		started <- nil
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return p, nil
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// probeClient is for readiness checks; each probe is short so a wedged
// server cannot eat the whole start-up budget.
var probeClient = &http.Client{Timeout: 2 * time.Second}

func get(ctx context.Context, url string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := probeClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, string(b), nil
}

// logTail returns the last n lines of the file at path.
func logTail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// checkExecutable reports why path is not an executable regular file.
func checkExecutable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return errors.New("not a regular file")
	}
	if fi.Mode().Perm()&0o111 == 0 {
		return errors.New("not executable")
	}
	return nil
}

// ErrMissing marks errors that mean no emulator is available at all (as
// opposed to one that is misconfigured or broken); RequireOrSkip and the
// test helpers may skip on these.
var ErrMissing = errors.New("emulator missing")

type missingError struct{ msg string }

func (e *missingError) Error() string        { return e.msg }
func (e *missingError) Is(target error) bool { return target == ErrMissing }

// live holds every emulator not yet stopped, so Main and the signal
// handler can stop them all.
var live struct {
	mu sync.Mutex
	m  map[*Emulator]struct{}
}

func register(e *Emulator) {
	live.mu.Lock()
	defer live.mu.Unlock()
	if live.m == nil {
		live.m = make(map[*Emulator]struct{})
	}
	live.m[e] = struct{}{}
}

func unregister(e *Emulator) {
	live.mu.Lock()
	defer live.mu.Unlock()
	delete(live.m, e)
}

// stopAll stops every live emulator, keeping their logs if asked.
func stopAll(keepLogs bool) {
	live.mu.Lock()
	all := make([]*Emulator, 0, len(live.m))
	for e := range live.m {
		all = append(all, e)
	}
	live.mu.Unlock()
	var wg sync.WaitGroup
	for _, e := range all {
		if keepLogs {
			e.keepLogs()
		}
		wg.Go(func() {
			if err := e.Stop(); err != nil {
				fmt.Fprintln(os.Stderr, "emulator:", err)
			}
		})
	}
	wg.Wait()
	if keepLogs {
		for _, e := range all {
			if e.logPath != "" {
				fmt.Fprintln(os.Stderr, "emulator: moto_server log kept at", e.logPath)
			}
		}
	}
}
