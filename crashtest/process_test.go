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

// restartDelay is how long the test, as a supervisor, waits before it
// starts again a process that exited by itself (systemd's RestartSec,
// docker's restart policy).
const restartDelay = time.Second

// rcmProcess is the built rcm running one command (serve or worker), which
// the test kills and starts again with the same arguments, and which it
// starts again when it exits by itself (a worker exits when Temporal does
// not answer as it starts), as an operator's supervisor would.
type rcmProcess struct {
	name string
	bin  string
	args []string
	log  *testenv.Buffer // the output of every run, one after the other

	mu        sync.Mutex
	cmd       *exec.Cmd
	done      chan struct{} // closed when cmd has exited
	wanted    bool          // it should run: an exit not asked for is followed by a restart
	starts    int
	selfExits int
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
	p.wanted = true
	return p.startLocked()
}

func (p *rcmProcess) startLocked() error {
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
	p.cmd, p.done = cmd, done
	go p.supervise(cmd, done)
	return nil
}

// supervise waits for cmd to exit and, when nobody asked for it, starts the
// command again after restartDelay.
func (p *rcmProcess) supervise(cmd *exec.Cmd, done chan struct{}) {
	err := cmd.Wait()
	close(done)
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.wanted || p.cmd != cmd {
		return
	}
	p.selfExits++
	fmt.Fprintf(p.log, "--- rcm %s exited by itself (%v); starting it again in %s\n", p.name, err, restartDelay)
	p.mu.Unlock()
	time.Sleep(restartDelay)
	p.mu.Lock()
	if p.wanted && p.cmd == cmd {
		if err := p.startLocked(); err != nil {
			fmt.Fprintln(p.log, err)
		}
	}
}

// exitedByItself is how many times the process exited without being asked.
func (p *rcmProcess) exitedByItself() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.selfExits
}

// kill ends the process with SIGKILL, as a crash would, and waits for it.
func (p *rcmProcess) kill() { p.signal(syscall.SIGKILL, 0) }

// stop asks the process to stop (SIGTERM) and kills it after 20 s.
func (p *rcmProcess) stop() { p.signal(syscall.SIGTERM, 20*time.Second) }

func (p *rcmProcess) signal(sig syscall.Signal, grace time.Duration) {
	p.mu.Lock()
	p.wanted = false
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
