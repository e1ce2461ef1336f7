package crashtest

import (
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"rcm/testenv"
)

// rcmProcess is the built rcm running one command (serve or worker), which
// the test kills and starts again with the same arguments, as an operator's
// supervisor (systemd, Kubernetes) would.
type rcmProcess struct {
	name string
	bin  string
	args []string
	log  *testenv.Buffer // the output of every run, one after the other

	mu     sync.Mutex
	cmd    *exec.Cmd
	done   chan struct{} // closed when cmd has exited
	starts int
}

// newRCMProcess prepares `rcm args...`; the test's end stops it and, if the
// test failed, shows the end of its output.
func newRCMProcess(t *testing.T, name, bin string, args ...string) *rcmProcess {
	p := &rcmProcess{name: name, bin: bin, args: args, log: &testenv.Buffer{}}
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("rcm %s output (last lines):\n%s", name, lastLines(p.log.String(), 40))
		}
	})
	return p
}

// start runs the command in a process group of its own, which the kernel
// kills if the test binary dies.
func (p *rcmProcess) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.starts++
	fmt.Fprintf(p.log, "--- rcm %s, start %d at %s\n", p.name, p.starts, time.Now().Format("15:04:05.000"))
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env = testenv.CleanEnv()
	cmd.Stdout, cmd.Stderr = p.log, p.log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	// The parent-death signal follows the thread that started the child:
	// hold one for the start (see devstack).
	runtime.LockOSThread()
	err := cmd.Start()
	runtime.UnlockOSThread()
	if err != nil {
		return fmt.Errorf("start rcm %s: %w", p.name, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	p.cmd, p.done = cmd, done
	return nil
}

// kill ends the process with SIGKILL, as a crash would, and waits for it.
func (p *rcmProcess) kill() { p.signal(syscall.SIGKILL, 0) }

// stop asks the process to stop (SIGTERM) and kills it after 20 s.
func (p *rcmProcess) stop() { p.signal(syscall.SIGTERM, 20*time.Second) }

func (p *rcmProcess) signal(sig syscall.Signal, grace time.Duration) {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, sig) // the group: Setpgid made it the pid
	if grace > 0 {
		select {
		case <-done:
			return
		case <-time.After(grace):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	}
	<-done
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
