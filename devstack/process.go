package devstack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Loopback is the only address devstack's services bind to.
const Loopback = "127.0.0.1"

// stopGrace is how long Stop waits after the stop signal before it kills
// the whole process group.
const stopGrace = 10 * time.Second

// Process is a service devstack started: the Temporal dev server, Mailpit
// or a private PostgreSQL cluster. It runs in its own process group, and on
// Linux it is told to stop when the process that started it dies, so it does
// not outlive rcm or a test binary.
type Process struct {
	name       string
	cmd        *exec.Cmd
	tail       *tailBuffer
	stopSignal syscall.Signal

	done chan struct{} // closed once the process has exited
	err  error         // the exit status; read only after done is closed

	stopOnce sync.Once
	stopped  chan struct{} // closed when Stop begins
}

// processSpec describes a process to start.
type processSpec struct {
	name       string // for messages: "Temporal dev server"
	path       string
	args       []string
	dir        string
	env        []string  // the process's whole environment; nil inherits ours
	log        io.Writer // may be nil
	stopSignal syscall.Signal
	user       clusterUser // run as another user; zero for ours
}

// startProcess starts spec in its own process group, with stdout and stderr
// going to spec.log and to a tail kept for error messages.
func startProcess(spec processSpec) (*Process, error) {
	tail := newTailBuffer(32 << 10)
	var out io.Writer = tail
	if spec.log != nil {
		out = io.MultiWriter(tail, spec.log)
	}
	// Our own pipe rather than exec's: cmd.Wait then returns when the
	// service exits, even if something it started still holds the pipe.
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", spec.name, err)
	}
	cmd := exec.Command(spec.path, spec.args...)
	cmd.Dir = spec.dir
	if spec.env != nil {
		cmd.Env = spec.env
	}
	cmd.Stdout = pw
	cmd.Stderr = pw
	cmd.SysProcAttr = childProcAttr(spec.stopSignal)
	spec.user.apply(cmd.SysProcAttr)

	// The parent-death signal fires when the thread that started the child
	// exits. Go keeps threads alive unless a goroutine locked to one exits,
	// so start from a thread we hold for the moment and then hand back.
	runtime.LockOSThread()
	err = cmd.Start()
	runtime.UnlockOSThread()
	pw.Close() // the child has its copy
	if err != nil {
		pr.Close()
		return nil, fmt.Errorf("start %s (%s): %w", spec.name, spec.path, err)
	}
	p := &Process{
		name:       spec.name,
		cmd:        cmd,
		tail:       tail,
		stopSignal: spec.stopSignal,
		done:       make(chan struct{}),
		stopped:    make(chan struct{}),
	}
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		_, _ = io.Copy(out, pr)
		pr.Close()
	}()
	go func() {
		p.err = cmd.Wait()
		// Whatever the service started goes with it; that also closes the
		// pipe, and the last lines it printed reach the tail.
		killGroup(cmd.Process.Pid, syscall.SIGKILL)
		select {
		case <-copied:
		case <-time.After(2 * time.Second):
		}
		close(p.done)
	}()
	return p, nil
}

// Pid returns the process id of the service.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed when the process has exited, for whatever reason.
func (p *Process) Done() <-chan struct{} { return p.done }

// Wait blocks until the process exits. It returns nil if the process was
// stopped with Stop; any other exit is unexpected for a service, so it
// returns an error with the exit status and the end of the service's log.
func (p *Process) Wait() error {
	<-p.done
	select {
	case <-p.stopped:
		return nil
	default:
	}
	if p.err == nil {
		return fmt.Errorf("%s exited unexpectedly%s", p.name, p.logTail())
	}
	return fmt.Errorf("%s exited: %w%s", p.name, p.err, p.logTail())
}

// Stop asks the service to shut down with its stop signal and waits for it
// up to a grace period (or until ctx is done), after which it kills the
// whole process group. Once the service has exited, whatever it started
// is killed too. Stop is safe to call more than once and after the process
// exited.
func (p *Process) Stop(ctx context.Context) error {
	p.stopOnce.Do(func() { close(p.stopped) })
	select {
	case <-p.done:
		return nil
	default:
	}
	if err := p.cmd.Process.Signal(p.stopSignal); err != nil && !errors.Is(err, os.ErrProcessDone) {
		killGroup(p.cmd.Process.Pid, syscall.SIGKILL)
	}
	grace := time.NewTimer(stopGrace)
	defer grace.Stop()
	select {
	case <-p.done:
		return nil
	case <-grace.C:
		killGroup(p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
		return fmt.Errorf("stop %s: still running %s after %s; killed it", p.name, p.stopSignal, stopGrace)
	case <-ctx.Done():
		killGroup(p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
		return fmt.Errorf("stop %s: %w; killed it", p.name, ctx.Err())
	}
}

// failed stops p after it failed to become ready and returns err with the
// end of the service's log appended.
func (p *Process) failed(err error) error {
	stopCtx, cancel := context.WithTimeout(context.Background(), stopGrace)
	defer cancel()
	_ = p.Stop(stopCtx) // the readiness error is the one worth reporting
	return fmt.Errorf("%w%s", err, p.logTail())
}

// logTail formats the last lines the service printed, for error messages.
func (p *Process) logTail() string {
	t := p.tail.Lines(25)
	if t == "" {
		return " (it printed nothing)"
	}
	return "\nlast lines of its output:\n" + indent(t, "  ")
}

// waitReady polls check until it succeeds, the process exits, timeout
// passes or ctx is done. On failure it stops the process and returns an
// error naming the service, the last reason and the end of its log.
func (p *Process) waitReady(ctx context.Context, timeout time.Duration, what string, check func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		attempt, cancelAttempt := context.WithTimeout(ctx, 5*time.Second)
		last = check(attempt)
		cancelAttempt()
		if last == nil {
			return nil
		}
		select {
		case <-p.done:
			return p.failed(fmt.Errorf("%s exited before %s answered (%v)", p.name, what, p.err))
		case <-ctx.Done():
			return p.failed(fmt.Errorf("%s did not answer at %s within %s: %v", p.name, what, timeout, last))
		case <-tick.C:
		}
	}
}

// PortInUseError reports that a port a service needs is already taken.
// Commands find it with errors.As and name the flag that sets Setting.
type PortInUseError struct {
	Service string // "Temporal frontend (gRPC)"
	Port    int
	Setting string // the option that sets the port: "TemporalOptions.Port"
	Err     error
}

func (e *PortInUseError) Error() string {
	return fmt.Sprintf("port %d on %s for the %s is already in use (is another rcm dev running?): stop what listens there or choose another port",
		e.Port, Loopback, e.Service)
}

func (e *PortInUseError) Unwrap() error { return e.Err }

// checkPortFree returns a *PortInUseError if nothing can listen on port.
func checkPortFree(port int, service, setting string) error {
	l, err := net.Listen("tcp", net.JoinHostPort(Loopback, strconv.Itoa(port)))
	if err != nil {
		return &PortInUseError{Service: service, Port: port, Setting: setting, Err: err}
	}
	return l.Close()
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(Loopback, "0"))
	if err != nil {
		return 0, fmt.Errorf("find a free port on %s: %w", Loopback, err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	if err := l.Close(); err != nil {
		return 0, fmt.Errorf("find a free port on %s: %w", Loopback, err)
	}
	return port, nil
}

func hostPort(port int) string { return net.JoinHostPort(Loopback, strconv.Itoa(port)) }

// tailBuffer keeps the last bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func newTailBuffer(max int) *tailBuffer { return &tailBuffer{max: max} }

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	return len(p), nil
}

// Lines returns the last n complete or partial lines, without the first
// line when the buffer starts in the middle of one.
func (b *tailBuffer) Lines(n int) string {
	b.mu.Lock()
	s := string(b.buf)
	full := len(b.buf) < b.max
	b.mu.Unlock()
	return lastLines(s, n, !full)
}

// lastLines returns the last n lines of s; dropFirst drops a first line
// that may be cut.
func lastLines(s string, n int, dropFirst bool) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if dropFirst && len(lines) > 1 {
		lines = lines[1:]
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
