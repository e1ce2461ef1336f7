//go:build unix && !linux

package devstack

import "syscall"

// childProcAttr puts a child in its own process group, so Stop can end it
// with everything it started. Only Linux can also tie its life to ours.
func childProcAttr(syscall.Signal) *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
