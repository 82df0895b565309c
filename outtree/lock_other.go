//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package outtree

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// fileLock is the held lock where flock is not available (Windows): the
// lock file exists, created exclusively, while a run holds it. A lock
// whose pid names no process (os.FindProcess fails, as it does on Windows
// for a process that is gone) is stale and taken over.
type fileLock struct{ path string }

func lock(root, shown string, wait time.Duration) (*fileLock, error) {
	path := filepath.Join(root, lockName)
	deadline := time.Now().Add(wait)
	for {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, err = f.Write(pidLine())
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(path)
				return nil, err
			}
			return &fileLock{path}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		pid := lockPID(path)
		if pid > 0 {
			if _, err := os.FindProcess(pid); err != nil {
				os.Remove(path) // stale: its holder is gone
				continue
			}
		}
		if time.Now().After(deadline) {
			return nil, &ErrLocked{Dir: shown, PID: pid, Wait: wait}
		}
		time.Sleep(pollInterval)
	}
}

func (l *fileLock) unlock() { os.Remove(l.path) }
