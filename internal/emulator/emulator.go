package emulator

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Environment variables read by this package.
const (
	// EnvEndpoint names an already running AWS-compatible endpoint, such as
	// LocalStack on http://127.0.0.1:4566; no process is started then.
	EnvEndpoint = "LAKERUNNER_IAM_AWS_ENDPOINT"
	// EnvMotoServer names the moto_server binary to run instead of the
	// one on PATH.
	EnvMotoServer = "MOTO_SERVER"
	// EnvSkipE2E, when "1", lets tests skip instead of fail when no
	// emulator is available, except in CI (CI=true).
	EnvSkipE2E = "LAKERUNNER_IAM_SKIP_E2E"
)

// Defaults for clients of the emulator.
const (
	DefaultRegion    = "us-east-1"
	DefaultAccessKey = "test"
	DefaultSecretKey = "test"
)

// Defaults for Options.
const (
	// DefaultStartTimeout bounds start-up. moto_server answers in about a
	// second here; the margin is for loaded CI machines.
	DefaultStartTimeout = 30 * time.Second
	// DefaultStopGrace is how long Stop waits after SIGTERM before SIGKILL.
	DefaultStopGrace = 5 * time.Second
)

// portAttempts is how many free ports Start tries when another process
// takes the chosen port between probing and moto binding it.
const portAttempts = 3

// Options tune Start; the zero value is ready to use.
type Options struct {
	// StartTimeout bounds the wait for the endpoint to answer
	// (DefaultStartTimeout when zero).
	StartTimeout time.Duration
	// StopGrace is the wait between SIGTERM and SIGKILL in Stop
	// (DefaultStopGrace when zero).
	StopGrace time.Duration
	// LogDir receives moto_server's output. When empty a temporary
	// directory is used and removed by Stop.
	LogDir string
	// Region is the region of clients made by AWSConfig (DefaultRegion
	// when empty).
	Region string
	// Env adds KEY=VALUE entries to moto_server's environment.
	Env []string
}

// Emulator is a running AWS-compatible endpoint: a moto_server process
// this package started, or an external endpoint named by EnvEndpoint.
type Emulator struct {
	endpoint string
	region   string
	isMoto   bool

	// Set only for a process started here.
	proc       *process
	stopGrace  time.Duration
	logPath    string
	ownsLogDir atomic.Bool // Stop removes the log directory
	startup    time.Duration

	stopOnce sync.Once
	stopErr  error
}

// Endpoint is the base URL of the emulator, e.g. http://127.0.0.1:41234.
func (e *Emulator) Endpoint() string { return e.endpoint }

// IsMoto reports whether the endpoint is moto, whose /moto-api/ offers
// EnableAuth, DisableAuth and Reset.
func (e *Emulator) IsMoto() bool { return e.isMoto }

// LogPath is the file holding moto_server's output ("" for an external
// endpoint). Stop removes it unless Options.LogDir was given.
func (e *Emulator) LogPath() string { return e.logPath }

// Pgid is the process group of the moto_server started here, 0 for an
// external endpoint.
func (e *Emulator) Pgid() int {
	if e.proc == nil {
		return 0
	}
	return e.proc.pgid
}

// Start returns a running emulator: the endpoint in EnvEndpoint if set
// (after checking that it answers), otherwise a new moto_server on a free
// loopback port with AWS managed policies loaded. Call Stop when done;
// Main and StartT do that for tests.
func Start(ctx context.Context, opts Options) (*Emulator, error) {
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = DefaultStartTimeout
	}
	if opts.StopGrace <= 0 {
		opts.StopGrace = DefaultStopGrace
	}
	if opts.Region == "" {
		opts.Region = DefaultRegion
	}
	ctx, cancel := context.WithTimeout(ctx, opts.StartTimeout)
	defer cancel()

	bin, external, err := locate()
	if err != nil {
		return nil, err
	}
	if external != "" {
		return connect(ctx, external, opts)
	}
	return startMoto(ctx, bin, opts)
}

// locate finds what Start would use: an external endpoint, or the path of
// moto_server.
func locate() (bin, external string, err error) {
	if ep := os.Getenv(EnvEndpoint); ep != "" {
		return "", strings.TrimRight(ep, "/"), nil
	}
	if p := os.Getenv(EnvMotoServer); p != "" {
		if err := checkExecutable(p); err != nil {
			return "", "", fmt.Errorf("%s=%s is not an executable file (%v): point %s at moto_server or unset it", EnvMotoServer, p, err, EnvMotoServer)
		}
		return p, "", nil
	}
	p, err := exec.LookPath("moto_server")
	if err != nil {
		return "", "", &missingError{fmt.Sprintf("moto_server is not on PATH: install moto with its server extra, set %s to a moto_server binary, or set %s to a running LocalStack endpoint such as http://127.0.0.1:4566", EnvMotoServer, EnvEndpoint)}
	}
	return p, "", nil
}

// connect checks an external endpoint and wraps it.
func connect(ctx context.Context, endpoint string, opts Options) (*Emulator, error) {
	var lastErr error
	for {
		status, body, err := get(ctx, endpoint+"/moto-api/")
		if err == nil {
			return &Emulator{
				endpoint: endpoint,
				region:   opts.Region,
				isMoto:   status == http.StatusOK && strings.Contains(strings.ToLower(body), "moto"),
			}, nil
		}
		lastErr = err
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%s=%s does not answer (%v): start it or unset %s", EnvEndpoint, endpoint, lastErr, EnvEndpoint)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// startMoto runs moto_server, retrying on another port if the chosen one
// was taken in the meantime.
func startMoto(ctx context.Context, bin string, opts Options) (*Emulator, error) {
	logDir, owns := opts.LogDir, false
	if logDir == "" {
		d, err := os.MkdirTemp("", "lakerunner-iam-moto-*")
		if err != nil {
			return nil, err
		}
		logDir, owns = d, true
	} else if err := os.MkdirAll(logDir, 0o755); err != nil {
		return nil, err
	}
	var err error
	for range portAttempts {
		var e *Emulator
		var retry bool
		e, retry, err = startMotoOnce(ctx, bin, logDir, opts)
		if err == nil {
			e.ownsLogDir.Store(owns)
			return e, nil
		}
		if !retry {
			break
		}
	}
	if owns {
		// Keep the logs: the error points at them.
		err = fmt.Errorf("%w (moto_server logs in %s)", err, logDir)
	}
	return nil, err
}

func startMotoOnce(ctx context.Context, bin, logDir string, opts Options) (e *Emulator, retry bool, err error) {
	port, err := freePort()
	if err != nil {
		return nil, false, err
	}
	logPath := filepath.Join(logDir, fmt.Sprintf("moto_server-%d.log", port))
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, false, err
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Env = append(os.Environ(), "MOTO_IAM_LOAD_MANAGED_POLICIES=true")
	cmd.Env = append(cmd.Env, opts.Env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = sysProcAttr()

	begin := time.Now()
	p, err := spawn(cmd)
	logFile.Close() // the child has its own copy
	if err != nil {
		return nil, false, fmt.Errorf("starting %s: %w", bin, err)
	}
	e = &Emulator{
		endpoint:  "http://127.0.0.1:" + strconv.Itoa(port),
		region:    opts.Region,
		isMoto:    true,
		proc:      p,
		stopGrace: opts.StopGrace,
		logPath:   logPath,
	}
	register(e)
	if err := e.waitReady(ctx); err != nil {
		e.Stop()
		tail := logTail(logPath, 5)
		return nil, strings.Contains(tail, "Address already in use") || strings.Contains(tail, "is in use"),
			fmt.Errorf("%s did not start: %w; its output ends with: %q", bin, err, tail)
	}
	e.startup = time.Since(begin)
	return e, false, nil
}

// waitReady polls /moto-api/ until moto answers 200, the process exits or
// ctx ends.
func (e *Emulator) waitReady(ctx context.Context) error {
	for {
		select {
		case <-e.proc.done:
			return fmt.Errorf("it exited (%v)", e.proc.waitErr)
		default:
		}
		if status, _, err := get(ctx, e.endpoint+"/moto-api/"); err == nil && status == http.StatusOK {
			return nil
		}
		select {
		case <-e.proc.done:
		case <-ctx.Done():
			return fmt.Errorf("no answer on %s: %w", e.endpoint, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop ends the moto_server process group (SIGTERM, then SIGKILL after the
// grace period) and waits for it; for an external endpoint it does
// nothing. It is safe to call more than once and from several goroutines.
func (e *Emulator) Stop() error {
	e.stopOnce.Do(func() {
		e.stopErr = e.stop()
		unregister(e)
	})
	return e.stopErr
}

func (e *Emulator) stop() error {
	if e.proc == nil {
		return nil
	}
	pgid := e.proc.pgid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-e.proc.done:
	case <-time.After(e.stopGrace):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-e.proc.done
	}
	// The leader is reaped; anything it left in its group goes too.
	// (Orphans are reaped by init, so the group may linger briefly as
	// zombies; SIGKILL cannot be caught, so nothing is left running.)
	if syscall.Kill(-pgid, 0) == nil {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
	if e.ownsLogDir.Load() {
		return os.RemoveAll(filepath.Dir(e.logPath))
	}
	return nil
}

// keepLogs makes Stop leave the log file in place.
func (e *Emulator) keepLogs() { e.ownsLogDir.Store(false) }
