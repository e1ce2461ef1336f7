package devstack

import "syscall"

// childProcAttr puts a child in its own process group, so Stop can end it
// with everything it started, and asks the kernel to send it sig when the
// thread that started it dies.
func childProcAttr(sig syscall.Signal) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: sig}
}
