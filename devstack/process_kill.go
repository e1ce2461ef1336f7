package devstack

import "syscall"

// Kill ends the service and everything it started at once with SIGKILL,
// as a crash or the kernel's out-of-memory killer would, and returns once
// it has exited. Tests use it to inject faults; Wait then reports no error.
func (p *Process) Kill() {
	p.stopOnce.Do(func() { close(p.stopped) })
	select {
	case <-p.done:
		return
	default:
	}
	killGroup(p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}
