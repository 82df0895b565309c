package outtree

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// ErrLocked is returned by WriteTree when another run holds the output
// directory for longer than Options.Wait; nothing was written.
type ErrLocked struct {
	Dir  string // as the caller named it
	PID  int    // the holder's, 0 if unknown
	Wait time.Duration
}

func (e *ErrLocked) Error() string {
	holder := "another lakerunner-iam gen"
	if e.PID > 0 {
		holder += fmt.Sprintf(" (pid %d)", e.PID)
	}
	lock := filepath.ToSlash(filepath.Join(e.Dir, lockName))
	return fmt.Sprintf("%s is being written by %s; gave up after waiting %s.\n"+
		"  Run gen again when it has finished. If no such process is running, delete %s.", e.Dir, holder, e.Wait, lock)
}

// pollInterval is how often a waiting run retries the lock.
const pollInterval = 50 * time.Millisecond

// lockPID reads the pid a lock file holds, 0 if it holds none.
func lockPID(path string) int {
	b, _ := os.ReadFile(path)
	pid, _ := strconv.Atoi(string(bytes.TrimSpace(b)))
	return pid
}

func pidLine() []byte { return []byte(strconv.Itoa(os.Getpid()) + "\n") }
