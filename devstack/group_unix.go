//go:build unix

package devstack

import "syscall"

// killGroup sends sig to every process of the group led by pid.
func killGroup(pid int, sig syscall.Signal) {
	_ = syscall.Kill(-pid, sig) // ESRCH: the group is gone already
}
