package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"rcm/devstack"
)

// toolsRun is what one run of the command line printed and returned.
type toolsRun struct {
	code           int
	stdout, stderr string
}

// runTools runs the command line as Run does, with the tools command
// registered.
func runTools(t *testing.T, args ...string) toolsRun {
	t.Helper()
	var stdout, stderr bytes.Buffer
	app := newApp(strings.NewReader(""), &stdout, &stderr)
	if findCommand(app.Commands, "tools") == nil {
		app.Commands = append(app.Commands, toolsCommand())
	}
	code := ExitOK
	if err := app.RunContext(context.Background(), append([]string{"rcm"}, args...)); err != nil {
		code = ExitFailure
		var exitErr *ExitError
		if errors.As(err, &exitErr) {
			code = exitErr.Code
		}
		stderr.WriteString(err.Error())
	}
	return toolsRun{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// fakeCache makes a tool cache holding an executable for each tool.
func fakeCache(t *testing.T) string {
	t.Helper()
	cache := t.TempDir()
	for _, tool := range devstack.Tools() {
		path := devstack.ToolPath(tool, cache)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return cache
}

func TestToolsInstallPrintsThePathsOfProvisionedTools(t *testing.T) {
	cache := fakeCache(t)
	t.Setenv("RCM_CACHE_DIR", cache)
	t.Setenv("RCM_TEMPORAL_BIN", "")
	t.Setenv("RCM_MAILPIT_BIN", "")
	t.Setenv("PATH", t.TempDir()) // nothing may be built

	r := runTools(t, "tools", "install")
	if r.code != ExitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, tool := range devstack.Tools() {
		if !strings.Contains(r.stdout, tool.String()) || !strings.Contains(r.stdout, devstack.ToolPath(tool, cache)) {
			t.Errorf("output lacks %s at %s:\n%s", tool, devstack.ToolPath(tool, cache), r.stdout)
		}
	}
}

func TestToolsPath(t *testing.T) {
	cache := fakeCache(t)
	t.Setenv("RCM_CACHE_DIR", cache)
	t.Setenv("RCM_TEMPORAL_BIN", "")
	t.Setenv("RCM_MAILPIT_BIN", "")

	r := runTools(t, "tools", "path", "temporal")
	if r.code != ExitOK || r.stdout != devstack.ToolPath(devstack.TemporalCLI(), cache)+"\n" {
		t.Errorf("tools path temporal: exit %d, %q %s", r.code, r.stdout, r.stderr)
	}

	mine := filepath.Join(t.TempDir(), "mailpit")
	if err := os.WriteFile(mine, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RCM_MAILPIT_BIN", mine)
	if r := runTools(t, "tools", "path", "mailpit"); r.code != ExitOK || r.stdout != mine+"\n" {
		t.Errorf("with RCM_MAILPIT_BIN: exit %d, %q %s", r.code, r.stdout, r.stderr)
	}
}

func TestToolsPathOfAMissingToolSaysHowToInstallIt(t *testing.T) {
	t.Setenv("RCM_CACHE_DIR", t.TempDir())
	t.Setenv("RCM_TEMPORAL_BIN", "")
	r := runTools(t, "tools", "path", "temporal")
	if r.code != ExitNotFound || !strings.Contains(r.stderr, "rcm tools install temporal") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}

func TestToolsUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"tools", "path"},
		{"tools", "path", "temporal", "mailpit"},
		{"tools", "path", "postgres"},
		{"tools", "install", "docker"},
	} {
		if r := runTools(t, args...); r.code != ExitUsage {
			t.Errorf("%v: exit %d, want %d: %s", args, r.code, ExitUsage, r.stderr)
		}
	}
}
