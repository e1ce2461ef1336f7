//go:build unix

package devstack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestStopEndsTheProcessAndWhatItStarted(t *testing.T) {
	p, child := startWithChild(t, "sleeper", "")
	start := time.Now()
	if err := p.Stop(context.Background()); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Stop took %s", d)
	}
	if err := p.Wait(); err != nil {
		t.Errorf("Wait after Stop: %v", err)
	}
	if err := p.Stop(context.Background()); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	waitUntilGone(t, child)
}

func TestStopKillsAProcessThatIgnoresItsStopSignal(t *testing.T) {
	p, err := startProcess(processSpec{name: "stubborn", path: "/bin/sh", args: []string{"-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"}, stopSignal: syscall.SIGTERM})
	if err != nil {
		t.Fatal(err)
	}
	waitForOutput(t, p, "ready")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err = p.Stop(ctx)
	if err == nil || !strings.Contains(err.Error(), "killed it") {
		t.Fatalf("Stop = %v, want it to say it killed the process", err)
	}
	select {
	case <-p.Done():
	default:
		t.Fatal("process still running after Stop")
	}
}

func TestWaitReportsAnUnexpectedExitWithTheLog(t *testing.T) {
	p, err := startProcess(processSpec{name: "crasher", path: "/bin/sh", args: []string{"-c", "echo 'FATAL: out of luck' >&2; exit 3"}, stopSignal: syscall.SIGTERM})
	if err != nil {
		t.Fatal(err)
	}
	err = p.Wait()
	if err == nil || !strings.Contains(err.Error(), "crasher exited: exit status 3") || !strings.Contains(err.Error(), "FATAL: out of luck") {
		t.Fatalf("Wait = %v", err)
	}
}

func TestWaitReadyFailsFastWhenTheProcessDies(t *testing.T) {
	p, err := startProcess(processSpec{name: "shortlived", path: "/bin/sh", args: []string{"-c", "echo 'bind: address already in use'; exit 1"}, stopSignal: syscall.SIGTERM})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = p.waitReady(context.Background(), time.Minute, "127.0.0.1:1", func(context.Context) error { return errors.New("refused") })
	if err == nil || !strings.Contains(err.Error(), "shortlived exited before 127.0.0.1:1 answered") || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("waitReady = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s to notice the exit", d)
	}
}

// Children must not outlive rcm: a helper process starts a child through
// startProcess and is then killed with SIGKILL, leaving no chance to clean
// up. The kernel's parent-death signal must end the child.
func TestChildDiesWithItsParent(t *testing.T) {
	if os.Getenv("DEVSTACK_HELPER") == "parent" {
		p, err := startProcess(processSpec{name: "child", path: "/bin/sleep", args: []string{"120"}, stopSignal: syscall.SIGTERM})
		if err != nil {
			fmt.Println("ERR", err)
			os.Exit(1)
		}
		fmt.Println("CHILD", p.Pid())
		time.Sleep(2 * time.Minute)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildDiesWithItsParent$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DEVSTACK_HELPER=parent")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 256)
	n, _ := out.Read(buf)
	line := strings.TrimSpace(string(buf[:n]))
	pidText, ok := strings.CutPrefix(line, "CHILD ")
	if !ok {
		cmd.Process.Kill()
		t.Fatalf("helper said %q", line)
	}
	child, _ := strconv.Atoi(pidText)
	if err := syscall.Kill(child, 0); err != nil {
		t.Fatalf("child %d not running: %v", child, err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	waitUntilGone(t, child)
}

func TestFreePortAndPortInUse(t *testing.T) {
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	if err := checkPortFree(port, "test service", "Options.Port"); err != nil {
		t.Fatalf("free port %d reported busy: %v", port, err)
	}
	l, err := net.Listen("tcp", hostPort(port))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	err = checkPortFree(port, "test service", "Options.Port")
	var inUse *PortInUseError
	if !errors.As(err, &inUse) || inUse.Port != port {
		t.Fatalf("got %v, want a PortInUseError for %d", err, port)
	}
	if !strings.Contains(err.Error(), "port "+strconv.Itoa(port)+" on 127.0.0.1 for the test service is already in use") {
		t.Errorf("message: %v", err)
	}
}

func TestTailBufferKeepsTheLastLines(t *testing.T) {
	b := newTailBuffer(64)
	for i := range 100 {
		fmt.Fprintf(b, "line %d\n", i)
	}
	got := b.Lines(3)
	if got != "line 97\nline 98\nline 99" {
		t.Errorf("Lines(3) = %q", got)
	}
	if all := b.Lines(100); strings.HasPrefix(all, "ne ") || strings.HasPrefix(all, "e ") {
		t.Errorf("Lines kept a cut first line: %q", all)
	}
}

// startWithChild starts a shell that runs prelude, then starts a child of
// its own and waits for it; it returns the shell's process and the child's
// pid.
func startWithChild(t *testing.T, name, prelude string) (*Process, int) {
	t.Helper()
	p, err := startProcess(processSpec{name: name, path: "/bin/sh", args: []string{"-c", prelude + "sleep 60 & echo child $!; wait"}, stopSignal: syscall.SIGTERM})
	if err != nil {
		t.Fatal(err)
	}
	waitForOutput(t, p, "child ")
	child, err := strconv.Atoi(strings.TrimPrefix(p.tail.Lines(1), "child "))
	if err != nil {
		t.Fatal(err)
	}
	return p, child
}

// waitForOutput waits until p has printed s.
func waitForOutput(t *testing.T, p *Process, s string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(p.tail.Lines(100), s) {
		if time.Now().After(deadline) {
			t.Fatalf("%s never printed %q", p.name, s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitUntilGone fails the test unless process pid ends within 5 s (a
// zombie waiting for init to reap it counts as ended).
func waitUntilGone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for running(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("process %d is still running", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func running(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return !os.IsNotExist(err) // no /proc (macOS): trust kill
	}
	// pid (comm) STATE ...
	i := strings.LastIndexByte(string(stat), ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}
