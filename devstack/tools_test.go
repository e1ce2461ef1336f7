//go:build unix

package devstack

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeTool is a tool whose "build" is done by a fake go command.
func fakeTool() Tool {
	return Tool{Name: "faketool", Module: "example.com/faketool", Version: "v0.1.0", Binary: "faketool"}
}

// installFakeGo puts a `go` on PATH that logs its calls to calls, prints
// download lines, and (unless fail) writes an executable into $GOBIN.
func installFakeGo(t *testing.T, fail bool) (calls string) {
	t.Helper()
	bin := t.TempDir()
	calls = filepath.Join(bin, "calls")
	script := `#!/bin/sh
echo "$GOBIN $*" >> "` + calls + `"
echo "go: downloading example.com/dep v1.0.0"
echo "go: downloading example.com/other v2.0.0"
sleep 0.3
`
	if fail {
		script += `echo "example.com/faketool: cannot find module providing package" >&2
exit 1
`
	} else {
		script += `printf '#!/bin/sh\necho fake\n' > "$GOBIN/faketool"
chmod +x "$GOBIN/faketool"
`
	}
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+"/usr/bin:/bin")
	return calls
}

func TestEnsureBuildsOnceAndMovesTheBinaryIntoPlace(t *testing.T) {
	calls := installFakeGo(t, false)
	cache := t.TempDir()
	tool := fakeTool()

	// Four concurrent callers, as parallel test packages would be.
	var wg sync.WaitGroup
	paths := make([]string, 4)
	errs := make([]error, 4)
	var progress syncBuffer
	for i := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			paths[i], errs[i] = Ensure(context.Background(), tool, cache, &progress)
		}()
	}
	wg.Wait()

	want := filepath.Join(cache, "tools", "faketool-v0.1.0", "faketool")
	for i := range paths {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if paths[i] != want {
			t.Errorf("caller %d got %s, want %s", i, paths[i], want)
		}
	}
	if !isExecutable(want) {
		t.Fatalf("%s is not executable", want)
	}
	log, _ := os.ReadFile(calls)
	if n := strings.Count(string(log), "install example.com/faketool@v0.1.0"); n != 1 {
		t.Errorf("go install ran %d times, want once:\n%s", n, log)
	}
	// GOBIN was a temporary folder inside the cache, gone afterwards.
	gobin := strings.Fields(string(log))[0]
	if filepath.Dir(gobin) != filepath.Join(cache, "tools") {
		t.Errorf("GOBIN %s is not inside %s", gobin, filepath.Join(cache, "tools"))
	}
	if _, err := os.Stat(gobin); !os.IsNotExist(err) {
		t.Errorf("temporary GOBIN %s left behind (%v)", gobin, err)
	}
	out := progress.String()
	for _, s := range []string{"Building faketool v0.1.0 with `go install example.com/faketool@v0.1.0`", "Built faketool v0.1.0 in", "2 modules downloaded"} {
		if !strings.Contains(out, s) {
			t.Errorf("progress lacks %q:\n%s", s, out)
		}
	}

	// Provisioned: no more building, and Find sees it.
	if _, err := Ensure(context.Background(), tool, cache, nil); err != nil {
		t.Fatal(err)
	}
	log2, _ := os.ReadFile(calls)
	if !bytes.Equal(log, log2) {
		t.Errorf("Ensure rebuilt a provisioned tool")
	}
	if got, err := Find(tool, cache); err != nil || got != want {
		t.Errorf("Find = %s, %v; want %s", got, err, want)
	}
}

func TestEnsureReportsAFailedBuildWithItsOutputAndAFix(t *testing.T) {
	installFakeGo(t, true)
	cache := t.TempDir()
	_, err := Ensure(context.Background(), fakeTool(), cache, nil)
	if err == nil {
		t.Fatal("no error")
	}
	for _, s := range []string{
		"provision faketool v0.1.0",
		"go install example.com/faketool@v0.1.0` failed",
		"cannot find module providing package",
		"go: downloading example.com/dep v1.0.0",
		"Fix:",
		"RCM_FAKETOOL_BIN",
	} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error lacks %q:\n%v", s, err)
		}
	}
	if _, err := os.Stat(ToolPath(fakeTool(), cache)); !os.IsNotExist(err) {
		t.Errorf("a failed build left %s (%v)", ToolPath(fakeTool(), cache), err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(cache, "tools", ".build-*"))
	if len(leftovers) > 0 {
		t.Errorf("a failed build left %v", leftovers)
	}
}

func TestEnsureWithoutGoSaysHowToGetIt(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Ensure(context.Background(), fakeTool(), t.TempDir(), nil)
	if err == nil || !strings.Contains(err.Error(), "`go` is not on PATH") || !strings.Contains(err.Error(), "https://go.dev/dl/") {
		t.Fatalf("got %v", err)
	}
}

func TestEnsureStopsWhenCancelled(t *testing.T) {
	bin := t.TempDir()
	script := "#!/bin/sh\necho 'go: downloading example.com/slow v1.0.0'\nsleep 30\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+"/usr/bin:/bin")
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Ensure(ctx, fakeTool(), t.TempDir(), nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s to give up", d)
	}
}

func TestToolEnvironmentVariableSkipsProvisioning(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "mytemporal")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tool := TemporalCLI()
	t.Setenv("RCM_TEMPORAL_BIN", bin)
	t.Setenv("PATH", t.TempDir()) // no go: nothing may be built
	for name, get := range map[string]func() (string, error){
		"Find":   func() (string, error) { return Find(tool, t.TempDir()) },
		"Ensure": func() (string, error) { return Ensure(context.Background(), tool, t.TempDir(), nil) },
	} {
		if got, err := get(); err != nil || got != bin {
			t.Errorf("%s = %s, %v; want %s", name, got, err, bin)
		}
	}

	t.Setenv("RCM_TEMPORAL_BIN", filepath.Join(t.TempDir(), "missing"))
	if _, err := Find(tool, t.TempDir()); err == nil || !strings.Contains(err.Error(), "RCM_TEMPORAL_BIN=") {
		t.Errorf("Find with a missing binary: %v", err)
	}
}

func TestFindDoesNotBuild(t *testing.T) {
	_, err := Find(fakeTool(), t.TempDir())
	if !errors.Is(err, ErrNotProvisioned) {
		t.Fatalf("got %v, want ErrNotProvisioned", err)
	}
}

func TestCacheDir(t *testing.T) {
	t.Setenv("RCM_CACHE_DIR", "/somewhere/rcm-cache")
	if got, err := CacheDir(); err != nil || got != "/somewhere/rcm-cache" {
		t.Errorf("with RCM_CACHE_DIR: %s, %v", got, err)
	}
	t.Setenv("RCM_CACHE_DIR", "")
	t.Setenv("XDG_CACHE_HOME", "/home/x/.cache")
	if got, err := CacheDir(); err != nil || got != "/home/x/.cache/rcm" {
		t.Errorf("without RCM_CACHE_DIR: %s, %v", got, err)
	}
}

func TestToolsAndTheirCachePaths(t *testing.T) {
	cases := []struct {
		tool         Tool
		env, install string
	}{
		{TemporalCLI(), "RCM_TEMPORAL_BIN", "go install github.com/temporalio/cli/cmd/temporal@v1.5.1"},
		{Mailpit(), "RCM_MAILPIT_BIN", "go install github.com/axllent/mailpit@v1.33.1"},
	}
	for _, c := range cases {
		if got := c.tool.EnvVar(); got != c.env {
			t.Errorf("%s: EnvVar %s, want %s", c.tool, got, c.env)
		}
		if got := c.tool.installCommand(); got != c.install {
			t.Errorf("%s: install %s, want %s", c.tool, got, c.install)
		}
		if got, ok := ToolNamed(c.tool.Name); !ok || got != c.tool {
			t.Errorf("ToolNamed(%s) = %v, %v", c.tool.Name, got, ok)
		}
	}
	if got := ToolPath(TemporalCLI(), "/c"); got != "/c/tools/temporal-v1.5.1/temporal" {
		t.Errorf("ToolPath = %s", got)
	}
	if got := ToolPath(Mailpit(), "/c"); got != "/c/tools/mailpit-v1.33.1/mailpit" {
		t.Errorf("ToolPath = %s", got)
	}
}
