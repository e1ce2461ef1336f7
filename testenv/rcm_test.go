package testenv

import (
	"slices"
	"strings"
	"testing"
)

func TestCleanEnvLeavesOutRCMsOwnSettings(t *testing.T) {
	t.Setenv("RCM_DATABASE_URL", "postgres://elsewhere/rcm")
	t.Setenv("DATABASE_URL", "postgres://elsewhere/other")
	t.Setenv("RCM_TESTENV_KEPT_OUT", "x")
	t.Setenv("PATH_TO_KEEP_FOR_TESTENV", "kept")
	env := CleanEnv()
	for _, kv := range env {
		if strings.HasPrefix(kv, "RCM_") || strings.HasPrefix(kv, "DATABASE_URL=") {
			t.Errorf("CleanEnv keeps %s", kv)
		}
	}
	if !slices.Contains(env, "PATH_TO_KEEP_FOR_TESTENV=kept") {
		t.Error("CleanEnv dropped a variable that is not rcm's")
	}
}
