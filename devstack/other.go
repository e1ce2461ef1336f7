//go:build !unix

package devstack

import (
	"context"
	"os"
	"syscall"
)

// devstack is made for Linux and macOS; elsewhere it builds, runs services
// without process groups, and does not lock the tool cache.

func childProcAttr(syscall.Signal) *syscall.SysProcAttr { return &syscall.SysProcAttr{} }

func killGroup(pid int, _ syscall.Signal) {
	if p, err := os.FindProcess(pid); err == nil {
		_ = p.Kill()
	}
}

func lockFile(context.Context, string, func()) (func(), error) { return func() {}, nil }

type clusterUser struct{}

func clusterOwner(string) (clusterUser, error) { return clusterUser{}, nil }

func (clusterUser) apply(*syscall.SysProcAttr) {}

func (clusterUser) own(string) error { return nil }
