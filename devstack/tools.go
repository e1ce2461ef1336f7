package devstack

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Tool is a program rcm builds from the Go module proxy with `go install`
// and keeps in its cache folder.
type Tool struct {
	Name    string // short name used in commands and paths: "temporal"
	Module  string // package path given to go install
	Version string // module version: "v1.5.1"
	Binary  string // name of the executable go install produces
}

// TemporalCLI is the Temporal CLI, whose `server start-dev` is the Temporal
// dev server (server 1.29.1 with the web UI). Newer CLI versions cannot be
// built with go install.
func TemporalCLI() Tool {
	return Tool{Name: "temporal", Module: "github.com/temporalio/cli/cmd/temporal", Version: "v1.5.1", Binary: "temporal"}
}

// Mailpit is the mail catcher: SMTP, a web inbox and an HTTP API.
func Mailpit() Tool {
	return Tool{Name: "mailpit", Module: "github.com/axllent/mailpit", Version: "v1.33.1", Binary: "mailpit"}
}

// TemporalServer is the Temporal server of the production topology: one
// binary that runs any of the frontend, history, matching and worker
// services (`server start --service NAME`). Its version is the one
// TemporalCLI's dev server embeds (the CLI's go.mod), so a test on the dev
// server and one on the cluster run the same server code.
func TemporalServer() Tool {
	return Tool{Name: "temporal-server", Module: "go.temporal.io/server/cmd/server", Version: "v1.29.1", Binary: "server"}
}

// TemporalSQLTool is Temporal's schema tool for SQL databases
// (temporal-sql-tool), of the same version as TemporalServer: it creates
// and updates the server's schema, which it carries embedded.
func TemporalSQLTool() Tool {
	return Tool{Name: "temporal-sql-tool", Module: "go.temporal.io/server/cmd/tools/sql", Version: TemporalServer().Version, Binary: "sql"}
}

// Tools returns every tool rcm provisions.
func Tools() []Tool { return []Tool{TemporalCLI(), Mailpit(), TemporalServer(), TemporalSQLTool()} }

// ToolNamed returns the tool with the given short name.
func ToolNamed(name string) (Tool, bool) {
	for _, t := range Tools() {
		if t.Name == name {
			return t, true
		}
	}
	return Tool{}, false
}

// String names the tool with its version: "temporal v1.5.1".
func (t Tool) String() string { return t.Name + " " + t.Version }

// EnvVar names the variable that points at an existing binary of the tool
// and skips provisioning: RCM_TEMPORAL_BIN, RCM_MAILPIT_BIN,
// RCM_TEMPORAL_SERVER_BIN, RCM_TEMPORAL_SQL_TOOL_BIN.
func (t Tool) EnvVar() string {
	return "RCM_" + strings.ToUpper(strings.ReplaceAll(t.Name, "-", "_")) + "_BIN"
}

// installCommand is the command that builds the tool, for messages.
func (t Tool) installCommand() string { return "go install " + t.Module + "@" + t.Version }

// typicalBuild is how long a first build takes on a 2-core machine.
func (t Tool) typicalBuild() string {
	switch t.Name {
	case "temporal":
		return "about 5 minutes"
	case "mailpit":
		return "about 2 minutes"
	case "temporal-server":
		return "about 5 minutes"
	case "temporal-sql-tool":
		return "about 2 minutes"
	}
	return "a few minutes"
}

// executable is the binary's file name on this platform.
func (t Tool) executable() string {
	if runtime.GOOS == "windows" {
		return t.Binary + ".exe"
	}
	return t.Binary
}

// ErrNotProvisioned is returned by Find when a tool has not been built yet.
var ErrNotProvisioned = errors.New("not provisioned")

// CacheDir returns the folder where rcm keeps what it provisions:
// $RCM_CACHE_DIR, else rcm under the user's cache folder (~/.cache/rcm).
func CacheDir() (string, error) {
	if dir := os.Getenv("RCM_CACHE_DIR"); dir != "" {
		return dir, nil
	}
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the cache folder (set RCM_CACHE_DIR): %w", err)
	}
	return filepath.Join(base, "rcm"), nil
}

// ToolPath is where a provisioned tool lives:
// <cacheDir>/tools/<name>-<version>/<binary>.
func ToolPath(t Tool, cacheDir string) string {
	return filepath.Join(cacheDir, "tools", t.Name+"-"+t.Version, t.executable())
}

// Find returns the path of the tool's binary without building anything:
// the file named by its environment variable (t.EnvVar()) if set, else the
// provisioned binary in cacheDir. A tool not built yet gives an error
// wrapping ErrNotProvisioned.
func Find(t Tool, cacheDir string) (string, error) {
	if path, ok, err := fromEnv(t); ok || err != nil {
		return path, err
	}
	path := ToolPath(t, cacheDir)
	if isExecutable(path) {
		return path, nil
	}
	return "", fmt.Errorf("%s is %w: no executable at %s and %s is not set", t, ErrNotProvisioned, path, t.EnvVar())
}

// fromEnv returns the binary named by the tool's environment variable;
// ok reports whether the variable is set.
func fromEnv(t Tool) (path string, ok bool, err error) {
	path = os.Getenv(t.EnvVar())
	if path == "" {
		return "", false, nil
	}
	if !isExecutable(path) {
		return "", true, fmt.Errorf("%s=%s: not an executable file; point it at a %s binary or unset it", t.EnvVar(), path, t)
	}
	return path, true, nil
}

func isExecutable(path string) bool {
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return false
	}
	return runtime.GOOS == "windows" || info.Mode().Perm()&0o111 != 0
}

// Ensure returns the path of the tool's binary, building it first if
// needed. The variable t.EnvVar() names an existing binary and skips
// everything else. Otherwise an executable at ToolPath(t, cacheDir) is
// returned as it is; if there is none, Ensure runs
// `go install <module>@<version>` into a temporary folder inside the cache
// and renames the result into place, so an interrupted build never leaves a
// binary that looks finished. A lock file makes concurrent callers (parallel
// test packages, two terminals) wait for one build instead of building
// twice. The build reports its progress on progress (nil for none): a
// spinner with the elapsed time on a terminal, a plain line every 15 s
// elsewhere.
func Ensure(ctx context.Context, t Tool, cacheDir string, progress io.Writer) (string, error) {
	if path, ok, err := fromEnv(t); ok || err != nil {
		return path, err
	}
	path := ToolPath(t, cacheDir)
	if isExecutable(path) {
		return path, nil
	}
	if progress == nil {
		progress = io.Discard
	}
	toolsDir := filepath.Join(cacheDir, "tools")
	if err := os.MkdirAll(toolsDir, 0o755); err != nil {
		return "", fmt.Errorf("provision %s: create the cache folder: %w", t, err)
	}
	unlock, err := lockFile(ctx, filepath.Join(toolsDir, t.Name+"-"+t.Version+".lock"), func() {
		fmt.Fprintf(progress, "Waiting for another process that is building %s...\n", t)
	})
	if err != nil {
		return "", fmt.Errorf("provision %s: %w", t, err)
	}
	defer unlock()
	if isExecutable(path) { // built by whoever held the lock
		return path, nil
	}
	if err := build(ctx, t, toolsDir, path, progress); err != nil {
		return "", err
	}
	return path, nil
}

// build runs go install for t into a fresh folder under toolsDir and moves
// the binary to path. The caller holds the tool's lock.
func build(ctx context.Context, t Tool, toolsDir, path string, progress io.Writer) error {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("provision %s: `go` is not on PATH, and rcm builds its tools with `%s`.\n"+
			"Fix: install Go 1.26 or newer (https://go.dev/dl/) and put it on PATH, "+
			"or set %s to an existing %s binary", t, t.installCommand(), t.EnvVar(), t)
	}
	// Folders of builds that were killed: no one else builds t while we
	// hold its lock.
	prefix := ".build-" + t.Name + "-" + t.Version + "-"
	if stale, _ := filepath.Glob(filepath.Join(toolsDir, prefix+"*")); len(stale) > 0 {
		for _, dir := range stale {
			_ = os.RemoveAll(dir)
		}
	}
	gobin, err := os.MkdirTemp(toolsDir, prefix)
	if err != nil {
		return fmt.Errorf("provision %s: %w", t, err)
	}
	defer os.RemoveAll(gobin)

	cmd := exec.CommandContext(ctx, goBin, "install", t.Module+"@"+t.Version)
	cmd.Dir = gobin // outside any module or workspace
	cmd.Env = append(os.Environ(),
		"GOBIN="+gobin,
		"GOWORK=off",
		"GO111MODULE=on",
		// The binary runs here, whatever GOOS/GOARCH the shell has set
		// (go install refuses GOBIN for cross builds anyway).
		"GOOS="+runtime.GOOS,
		"GOARCH="+runtime.GOARCH,
	)
	cmd.SysProcAttr = childProcAttr(syscall.SIGKILL)
	cmd.Cancel = func() error { killGroup(cmd.Process.Pid, syscall.SIGKILL); return nil }
	cmd.WaitDelay = 10 * time.Second
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	cmd.Stderr = pw

	rep := newBuildReporter(t, progress, isTerminal(progress))
	rep.begin()
	if err := cmd.Start(); err != nil {
		pw.Close()
		return fmt.Errorf("provision %s: start `%s`: %w", t, t.installCommand(), err)
	}
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			rep.line(sc.Text())
		}
		_, _ = io.Copy(io.Discard, pr) // an over-long line: keep the pipe flowing
	}()
	stopTicks := rep.tick()
	err = cmd.Wait()
	pw.Close()
	<-scanned
	stopTicks()
	if err != nil {
		rep.end(false)
		if ctx.Err() != nil {
			return fmt.Errorf("provision %s: `%s` interrupted: %w", t, t.installCommand(), ctx.Err())
		}
		return fmt.Errorf("provision %s: `GOBIN=%s %s` failed: %v\nlast lines of its output:\n%s\n"+
			"Fix: check that the Go module proxy is reachable (go env GOPROXY) and that %s has space, then run `rcm tools install` again; "+
			"or set %s to an existing %s binary",
			t, gobin, t.installCommand(), err, indent(rep.lastLines(20), "  "), toolsDir, t.EnvVar(), t)
	}
	built := filepath.Join(gobin, t.executable())
	if !isExecutable(built) {
		rep.end(false)
		return fmt.Errorf("provision %s: `%s` succeeded but left no %s in %s", t, t.installCommand(), t.executable(), gobin)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		rep.end(false)
		return fmt.Errorf("provision %s: %w", t, err)
	}
	if err := os.Rename(built, path); err != nil {
		rep.end(false)
		return fmt.Errorf("provision %s: move the binary into place: %w", t, err)
	}
	rep.end(true)
	return nil
}

// buildReporter shows what a running go install is doing.
type buildReporter struct {
	tool  Tool
	w     io.Writer
	start time.Time
	bar   *progressbar.ProgressBar // nil unless w is a terminal

	mu        sync.Mutex
	downloads int // "go: downloading" lines seen
	lastLine  time.Time
	latest    string   // the module downloaded last
	recent    []string // last lines of output, for errors
}

func newBuildReporter(t Tool, w io.Writer, terminal bool) *buildReporter {
	r := &buildReporter{tool: t, w: w, start: time.Now()}
	if terminal {
		r.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription("building "+t.String()),
			progressbar.OptionSpinnerType(14),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionClearOnFinish(),
		)
	}
	return r
}

func (r *buildReporter) begin() {
	fmt.Fprintf(r.w, "Building %s with `%s` (once; it takes %s)...\n",
		r.tool, r.tool.installCommand(), r.tool.typicalBuild())
}

// line takes one line of go's output.
func (r *buildReporter) line(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.recent = append(r.recent, s)
	r.lastLine = time.Now()
	if len(r.recent) > 40 {
		r.recent = r.recent[len(r.recent)-40:]
	}
	if mod, ok := strings.CutPrefix(s, "go: downloading "); ok {
		r.downloads++
		r.latest = mod
	}
}

// compilingLocked guesses that go is compiling: it prints nothing then.
func (r *buildReporter) compilingLocked() bool {
	return r.downloads > 0 && time.Since(r.lastLine) > 3*time.Second
}

func (r *buildReporter) describeLocked() string {
	if r.downloads == 0 {
		return "building " + r.tool.String()
	}
	if r.compilingLocked() {
		return fmt.Sprintf("building %s: compiling (%d modules downloaded)", r.tool, r.downloads)
	}
	latest := r.latest
	if len(latest) > 40 { // one line on a narrow terminal
		latest = "…" + latest[len(latest)-39:]
	}
	return fmt.Sprintf("building %s: %d modules downloaded (%s)", r.tool, r.downloads, latest)
}

// tick keeps the display alive while go is quiet (compiling prints
// nothing) and returns a function that stops it.
func (r *buildReporter) tick() (stop func()) {
	every := 15 * time.Second
	if r.bar != nil {
		every = 200 * time.Millisecond
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				r.mu.Lock()
				if r.bar != nil {
					r.bar.Describe(r.describeLocked())
					_ = r.bar.Add(1)
				} else {
					doing := "downloading"
					if r.compilingLocked() {
						doing = "compiling"
					}
					fmt.Fprintf(r.w, "  %s: %s elapsed, %d modules downloaded, %s\n",
						r.tool, time.Since(r.start).Round(time.Second), r.downloads, doing)
				}
				r.mu.Unlock()
			}
		}
	}()
	return func() { close(done); <-finished }
}

func (r *buildReporter) end(ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.bar != nil {
		_ = r.bar.Finish()
	}
	if ok {
		fmt.Fprintf(r.w, "Built %s in %s (%d modules downloaded).\n", r.tool, time.Since(r.start).Round(time.Second), r.downloads)
	} else {
		fmt.Fprintf(r.w, "Building %s failed after %s.\n", r.tool, time.Since(r.start).Round(time.Second))
	}
}

func (r *buildReporter) lastLines(n int) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	lines := r.recent
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if len(lines) == 0 {
		return "(no output)"
	}
	return strings.Join(lines, "\n")
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
