package testenv

import (
	"errors"
	"fmt"

	"rcm/devstack"
)

// toolBinary finds a provisioned tool, saying what to do if it is missing.
func toolBinary(tool devstack.Tool) (string, error) {
	cache, err := devstack.CacheDir()
	if err != nil {
		return "", fmt.Errorf("testenv: %w", err)
	}
	bin, err := devstack.Find(tool, cache)
	if errors.Is(err, devstack.ErrNotProvisioned) {
		return "", fmt.Errorf("testenv: %w\nRun ./scripts/test (it provisions the tools) or `go run ./cmd/rcm tools install %s`, "+
			"or set %s to a %s binary", err, tool.Name, tool.EnvVar(), tool.Name)
	}
	if err != nil {
		return "", fmt.Errorf("testenv: %w", err)
	}
	return bin, nil
}
