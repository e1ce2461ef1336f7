package systemtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/encoding/protojson"

	"rcm/workflows"
)

// recordHistories writes the histories of a finished cycle and one of its
// submission loops to workflows/testdata/histories when
// RCM_RECORD_HISTORIES=1, for the replay tests. Recording is deliberate:
// replacing a history is how a deliberate, versioned change is accepted.
func recordHistories(t *testing.T, w *World, cycleID, agency string) {
	t.Helper()
	recordHistory(t, w, "cycle.json", workflows.CycleWorkflowID(cycleID))
	recordHistory(t, w, "submission.json", workflows.SubmissionWorkflowID(cycleID, agency))
}

// recordHistory writes the history of one finished workflow to
// workflows/testdata/histories/name when RCM_RECORD_HISTORIES=1.
func recordHistory(t *testing.T, w *World, name, workflowID string) {
	t.Helper()
	if os.Getenv("RCM_RECORD_HISTORIES") != "1" {
		return
	}
	dir := filepath.Join("..", "workflows", "testdata", "histories")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	iter := temporal.Client().GetWorkflowHistory(w.Ctx, workflowID, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var h historypb.History
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		h.Events = append(h.Events, ev)
	}
	b, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(&h)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	t.Logf("recorded %s (%d events)", name, len(h.Events))
}
