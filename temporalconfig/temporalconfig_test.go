package temporalconfig

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The server renders a configuration file as a template only if a comment
// in its first kilobyte says "enable-template"; without it every {{ }}
// would reach the YAML parser as it is.
func TestConfigIsATemplateTheServerRenders(t *testing.T) {
	head := Config()[:min(1024, len(Config()))]
	if !bytes.Contains(head, []byte("# enable-template")) {
		t.Error("rcm.yaml does not enable templating in its first kilobyte")
	}
}

func TestVariablesAreTheOnesTheTemplateReads(t *testing.T) {
	vars := Variables()
	for _, want := range []string{"TEMPORAL_POSTGRES_HOST", "TEMPORAL_POSTGRES_PASSWORD", "TEMPORAL_FRONTEND_PORT",
		"TEMPORAL_WORKER_MEMBERSHIP_PORT", "TEMPORAL_BIND_IP", "TEMPORAL_BROADCAST_ADDRESS", "TEMPORAL_DYNAMIC_CONFIG_FILE"} {
		if !slices.Contains(vars, want) {
			t.Errorf("Variables() lacks %s: %v", want, vars)
		}
	}
	if !slices.IsSorted(vars) || len(slices.Compact(slices.Clone(vars))) != len(vars) {
		t.Errorf("not sorted and unique: %v", vars)
	}
}

func TestWriteLaysOutTheConfigFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "config")
	if err := Write(dir); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{ConfigFile: Config(), DynamicConfigFile: DynamicConfig()} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %v, same content %v", name, err, bytes.Equal(got, want))
		}
	}
	if ConfigFile != Environment+".yaml" {
		t.Errorf("the server reads <env>.yaml; ConfigFile is %s", ConfigFile)
	}
}
