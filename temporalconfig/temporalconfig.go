// Package temporalconfig is the one Temporal server configuration of rcm's
// production topology: rcm.yaml (the server configuration, a template the
// server renders itself from TEMPORAL_* variables) and dynamicconfig.yaml.
// docker-compose.yml mounts these files into its Temporal containers, and
// devstack writes the same files for the processes it starts, so a test
// that runs one runs the other. It has no logic beyond handing the files
// out.
package temporalconfig

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
)

// Environment is the server's --env: it reads <config folder>/rcm.yaml.
const Environment = "rcm"

// File names, as the server finds them in its config folder.
const (
	ConfigFile        = Environment + ".yaml"
	DynamicConfigFile = "dynamicconfig.yaml"
)

// Services are the services of a Temporal cluster, each run as a process
// of its own: `temporal-server --env rcm start --service NAME`, in the
// order devstack starts them (the frontend first, alone until it has
// written the cluster's metadata).
func Services() []string { return []string{"frontend", "history", "matching", "worker"} }

//go:embed rcm.yaml dynamicconfig.yaml
var files embed.FS

// Config returns the server configuration template (rcm.yaml).
func Config() []byte { return mustRead(ConfigFile) }

// DynamicConfig returns the dynamic configuration (dynamicconfig.yaml).
func DynamicConfig() []byte { return mustRead(DynamicConfigFile) }

func mustRead(name string) []byte {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("temporalconfig: %s is not embedded: %v", name, err)) // a build without the files
	}
	return b
}

// Write writes both files into dir, the server's config folder, creating
// it; the server's working folder is then dir's parent (rcm.yaml names
// the dynamic configuration as config/dynamicconfig.yaml).
func Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write Temporal's configuration: %w", err)
	}
	for name, content := range map[string][]byte{ConfigFile: Config(), DynamicConfigFile: DynamicConfig()} {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			return fmt.Errorf("write Temporal's configuration: %w", err)
		}
	}
	return nil
}

var envCall = regexp.MustCompile(`\benv\s+"([A-Za-z_][A-Za-z0-9_]*)"`)

// Variables lists, sorted, the environment variables rcm.yaml reads.
func Variables() []string {
	var names []string
	for _, m := range envCall.FindAllStringSubmatch(string(Config()), -1) {
		if !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	slices.Sort(names)
	return names
}
