package cli

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/demo"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/testenv"
)

// TestNextFreePeriodIsTheLatestPeriodPastItsCutOff: the launch command rcm
// dev prints must name a period whose cut-off has passed (its --due is
// minutes away) and that was not launched yet.
func TestNextFreePeriodIsTheLatestPeriodPastItsCutOff(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.Database(t))
	require.NoError(t, err)
	t.Cleanup(st.Close)
	ops := operations.New(st, nil, nil)
	_, err = demo.Seed(ctx, ops, demo.Options{CredentialsFile: filepath.Join(t.TempDir(), "credentials.txt")})
	require.NoError(t, err)
	hanoi := func(y int, m time.Month, d, h int) time.Time {
		return time.Date(y, m, d, h, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	}

	assert.Equal(t, "2026-10", nextFreePeriod(ctx, ops, hanoi(2026, 11, 10, 9)), "before the 15th: November's window is still open")
	assert.Equal(t, "2026-11", nextFreePeriod(ctx, ops, hanoi(2026, 11, 25, 9)))
	assert.Equal(t, "2026-12", nextFreePeriod(ctx, ops, hanoi(2027, 1, 1, 0)), "across the year")

	regime, err := st.Regime(ctx, demo.RegimeCode)
	require.NoError(t, err)
	nov := reporting.MustParsePeriod("2026-11")
	start, end := nov.Window()
	loc, err := reporting.DefaultLocation()
	require.NoError(t, err)
	due := end.End(loc).Add(24 * time.Hour)
	require.NoError(t, st.InsertCycle(ctx, reporting.Cycle{ID: operations.CycleID(regime.Code, nov.ID), RegimeCode: regime.Code, Period: nov.ID,
		WindowStart: start, WindowEnd: end, TimeZone: regime.TimeZone, CutOff: end.End(loc), Due: due, Close: due, Policy: regime.Policy},
		store.AuditEntry{Actor: "test", Action: "cycle.launch"}))
	assert.Equal(t, "2026-10", nextFreePeriod(ctx, ops, hanoi(2026, 11, 25, 9)), "a launched period is skipped")
}

// TestDemoLaunchPageTakesTheLaunchCommandsCycle: the link rcm dev prints
// previews the same cycle as the command it prints.
func TestDemoLaunchPageTakesTheLaunchCommandsCycle(t *testing.T) {
	link := demoLaunchPage("http://127.0.0.1:8080/", "2026-11")
	u, err := url.Parse(link)
	require.NoError(t, err)
	require.Equal(t, "/launch", u.Path)
	q := u.Query()
	args := demoLaunchArgs("2026-11")
	flag := func(name string) string {
		for i, a := range args {
			if a == "--"+name {
				return args[i+1]
			}
		}
		return ""
	}
	for _, name := range []string{"regime", "period", "due", "reminders", "escalations", "review-time", "close-after"} {
		require.Equal(t, flag(name), q.Get(strings.ReplaceAll(name, "-", "_")), name)
	}
}
