package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BuildRCM builds the rcm command (./cmd/rcm of this module) into a
// temporary folder of the test and returns the binary's path, for the tests
// that run rcm as people and operators do (e2e, crashtest).
func BuildRCM(t testing.TB) string {
	t.Helper()
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("testenv: go env GOMOD: %v", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	bin := filepath.Join(t.TempDir(), "rcm")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/rcm")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("testenv: go build ./cmd/rcm in %s: %v\n%s", root, err, out)
	}
	return bin
}

// CleanEnv is this process's environment without rcm's own settings (RCM_*,
// DATABASE_URL), for running the built rcm with only the flags a test gives.
func CleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "RCM_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			out = append(out, kv)
		}
	}
	return out
}

// TemporalBinary returns the Temporal CLI tests run: RCM_TEMPORAL_BIN, or
// the one in rcm's tool cache. Tests never build it; when it is missing, the
// error says how to provision it.
func TemporalBinary() (string, error) { return temporalBinary() }
