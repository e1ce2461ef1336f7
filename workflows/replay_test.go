package workflows_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/worker"

	rcmworker "rcm/worker"
)

// TestReplayRecordedHistories replays every history recorded from the real
// dev server (testdata/histories, written by the system test with
// RCM_RECORD_HISTORIES=1) against today's workflow code. A change that would
// make running workflows nondeterministic fails here, before it ships.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "histories", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no recorded histories: run the system test with RCM_RECORD_HISTORIES=1")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			replayer := worker.NewWorkflowReplayer()
			rcmworker.RegisterWorkflows(replayer)
			require.NoError(t, replayer.ReplayWorkflowHistoryFromJSONFile(nil, file))
		})
	}
}
