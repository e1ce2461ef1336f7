package operations

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/reporting"
	"rcm/workflows"
)

func TestCycleIDSplitsBackIntoRegimeAndPeriod(t *testing.T) {
	for _, period := range []string{"2026-10", "2026-Q4", "2026-H1", "2026-9M", "2026", "2026-11-01..2026-11-20"} {
		id := CycleID("SEI_MONTHLY", period)
		regime, got, ok := SplitCycleID(id)
		require.True(t, ok, id)
		assert.Equal(t, "SEI_MONTHLY", regime)
		assert.Equal(t, period, got)
	}
}

func TestContentHashIsTheSameForTheSameReportOnly(t *testing.T) {
	a := contentHash(reporting.Values{"GRDP": "1.5", "EMP": "10"}, "note")
	assert.Len(t, a, 32)
	assert.Equal(t, a, contentHash(reporting.Values{"EMP": "10", "GRDP": "1.5"}, "note"), "map order does not matter")
	assert.NotEqual(t, a, contentHash(reporting.Values{"GRDP": "1.5", "EMP": "11"}, "note"))
	assert.NotEqual(t, a, contentHash(reporting.Values{"GRDP": "1.5", "EMP": "10"}, "other note"))
	assert.NotEqual(t, contentHash(reporting.Values{"A": "1", "B": ""}, ""), contentHash(reporting.Values{"A": "", "B": "1"}, ""),
		"values cannot slide from one indicator to the next")
}

func TestDecodeSignalGivesEachSignalItsOwnType(t *testing.T) {
	raw, err := json.Marshal(workflows.ReviewSignal{ReviewID: 7, SubmissionID: 3, Version: 2, Decision: reporting.DecisionReturned})
	require.NoError(t, err)
	v, err := decodeSignal(workflows.SignalReview, raw)
	require.NoError(t, err)
	assert.Equal(t, &workflows.ReviewSignal{ReviewID: 7, SubmissionID: 3, Version: 2, Decision: reporting.DecisionReturned}, v)

	_, err = decodeSignal("nope", raw)
	assert.ErrorContains(t, err, `unknown signal "nope"`)
	_, err = decodeSignal(workflows.SignalSubmission, json.RawMessage(`{"SubmissionID": "x"}`))
	assert.ErrorContains(t, err, "decode submission signal")
}
