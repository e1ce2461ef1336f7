package cli

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/api"
	"rcm/reporting"
)

func TestParseEscalationStep(t *testing.T) {
	tests := []struct {
		in   string
		want reporting.EscalationDoc
		bad  bool
	}{
		{in: "10s:officer+head", want: reporting.EscalationDoc{After: "10s", Recipients: []string{"officer", "head"}}},
		{in: "30s:supervisor*2/10s", want: reporting.EscalationDoc{After: "30s", Recipients: []string{"supervisor"}, Times: 2, Repeat: "10s"}},
		{in: "3d:supervisor:1d:3", want: reporting.EscalationDoc{After: "3d", Recipients: []string{"supervisor"}, Times: 3, Repeat: "1d"}},
		{in: "officer", bad: true},
		{in: ":officer", bad: true},
		{in: "1d:head*two/1h", bad: true},
		{in: "1d:head*2", bad: true},
	}
	for _, tc := range tests {
		got, err := parseEscalationStep(tc.in)
		if tc.bad {
			var exitErr *ExitError
			require.True(t, errors.As(err, &exitErr), tc.in)
			require.Equal(t, ExitUsage, exitErr.Code, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
}

func TestValuesBody(t *testing.T) {
	body, ct, err := valuesBody([]string{"GRDP=1234.5", " NOTE =có dấu = bằng"}, "ghi chú")
	require.NoError(t, err)
	require.Equal(t, "application/json", ct)
	require.JSONEq(t, `{"values": {"GRDP": "1234.5", "NOTE": "có dấu = bằng"}, "narrative": "ghi chú"}`, string(body))
	_, _, err = valuesBody([]string{"GRDP"}, "")
	require.Error(t, err)
	_, _, err = valuesBody([]string{"GRDP=1", "GRDP=2"}, "")
	require.ErrorContains(t, err, "given twice")
}

func TestParseClock(t *testing.T) {
	h, m, err := parseClock("07:30")
	require.NoError(t, err)
	require.Equal(t, [2]int{7, 30}, [2]int{h, m})
	for _, bad := range []string{"7", "24:00", "07:60", "ab:cd", ""} {
		_, _, err := parseClock(bad)
		require.Error(t, err, bad)
	}
}

func TestReceiptSaysWhenTheFiguresAreEstimates(t *testing.T) {
	at := time.Date(2026, 3, 6, 3, 0, 0, 0, time.UTC)
	note, fields := receiptRecord(api.Receipt{Number: "Q-2026-Q1-HNI-v1", CycleID: "Q-2026-Q1", AgencyCode: "HNI", Version: 1, SubmittedAt: at, Estimates: true})
	assert.Equal(t, "Đã nhận báo cáo / report received — số liệu ước tính / figures are estimates", note)
	assert.Contains(t, fields, field{"figures", "ước tính / estimate"})
	note, fields = receiptRecord(api.Receipt{Number: "M-2026-10-HNI-v2", Version: 2, SubmittedAt: at})
	assert.Equal(t, "Đã nhận báo cáo / report received", note)
	assert.Contains(t, fields, field{"figures", "thực hiện / actual"})
}
