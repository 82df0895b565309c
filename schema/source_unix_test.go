//go:build unix

package schema

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A FIFO would block the read for ever.
func TestReadFileRefusesFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo.hcl")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip(err)
	}
	if _, err := ReadFile(p, 100); err == nil || !strings.Contains(err.Error(), "is a FIFO") {
		t.Errorf("got %v", err)
	}
}
