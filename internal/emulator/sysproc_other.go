//go:build unix && !linux

package emulator

import "syscall"

// sysProcAttr puts moto_server in its own process group, so Stop can
// signal everything it started. Outside Linux there is no parent-death
// signal: a test binary that crashes leaves moto_server running.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
