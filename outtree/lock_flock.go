//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package outtree

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// fileLock is the held lock: an flock on the lock file, which the kernel
// releases when the holder exits, however it exits. A lock file left by a
// killed run therefore holds no lock, and the next run takes it over.
type fileLock struct {
	f    *os.File
	path string
}

func lock(root, shown string, wait time.Duration) (*fileLock, error) {
	path := filepath.Join(root, lockName)
	deadline := time.Now().Add(wait)
	for {
		// O_NOFOLLOW: a link planted as the lock file must not make gen
		// truncate the file it points to.
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o644)
		if err != nil {
			return nil, fmt.Errorf("cannot lock %s: %w (if it is a symbolic link, delete it)", filepath.ToSlash(filepath.Join(shown, lockName)), err)
		}
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			// The holder before us removes the file before it unlocks; if
			// we locked a file that is no longer the one at path, retry.
			held, herr := f.Stat()
			now, nerr := os.Stat(path)
			if herr == nil && nerr == nil && os.SameFile(held, now) {
				if err := f.Truncate(0); err != nil {
					f.Close()
					return nil, err
				}
				if _, err := f.WriteAt(pidLine(), 0); err != nil {
					f.Close()
					return nil, err
				}
				return &fileLock{f, path}, nil
			}
			f.Close()
			continue
		}
		f.Close()
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, &ErrLocked{Dir: shown, PID: lockPID(path), Wait: wait}
		}
		time.Sleep(pollInterval)
	}
}

// unlock removes the lock file while still holding it, then releases it.
func (l *fileLock) unlock() {
	os.Remove(l.path)
	l.f.Close()
}
