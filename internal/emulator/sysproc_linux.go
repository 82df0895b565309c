package emulator

import "syscall"

// sysProcAttr puts moto_server in its own process group, so Stop can
// signal everything it started, and has the kernel SIGKILL it if this
// process dies without calling Stop (a panicking test, a test timeout,
// kill -9).
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
