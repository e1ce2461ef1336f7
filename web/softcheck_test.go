package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/operations"
	"rcm/reporting"
)

// TestSoftChecksAskBeforeSendingAndFlagForTheReviewer: HNI's figure was
// accepted as 12,000 last period; typed as 12 this period, the form asks to
// confirm it (nothing is stored), a corrected figure goes straight through,
// and a confirmed one is stored and flagged on the review page beside the
// previous period's figure and the previous version's.
func TestSoftChecksAskBeforeSendingAndFlagForTheReviewer(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	ctx := context.Background()
	cycleID, earlier := f.afterAnAcceptedPeriod("12000")
	path := "/cycles/" + cycleID + "/agencies/HNI"
	resp := f.page("officer", "POST", path, url.Values{"v_GRDP": {"12"}, "lang": {"vi"}})
	require.Equal(t, http.StatusOK, resp.status)
	html := string(resp.body)
	require.Contains(t, html, `id="checks" tabindex="-1" autofocus`)
	require.Contains(t, html, "12 nhỏ hơn 1.000 lần số liệu kỳ "+earlier.ID+" đã được chấp nhận (12.000)")
	require.Contains(t, html, `name="confirm" value="GRDP=12"`)
	require.Equal(t, [3]int{0, 0, 0}, f.rowCounts(cycleID), "nothing stored before the officer confirms")

	// Corrected: no question asked.
	resp = f.page("officer", "POST", path, url.Values{"v_GRDP": {"12.500"}, "lang": {"vi"}, "idempotency_key": {"a"}})
	require.Equal(t, http.StatusSeeOther, resp.status, "%s", resp.body)
	// Confirmed: stored as typed; a confirmation of other figures does not count.
	resp = f.page("officer", "POST", path, url.Values{"v_GRDP": {"13"}, "lang": {"vi"}, "confirm": {"GRDP=12"}, "idempotency_key": {"b"}})
	require.Equal(t, http.StatusOK, resp.status, "13 was not confirmed")
	resp = f.page("officer", "POST", path, url.Values{"v_GRDP": {"12"}, "lang": {"vi"}, "confirm": {"GRDP=12"}, "idempotency_key": {"c"}})
	require.Equal(t, http.StatusSeeOther, resp.status, "%s", resp.body)
	d, err := f.engine.Obligation(ctx, f.caller("staff"), cycleID, "HNI")
	require.NoError(t, err)
	require.Equal(t, "12", d.Versions[0].Values["GRDP"])

	html = string(f.page("staff", "GET", fmt.Sprintf("/review/%d", d.Versions[0].ID), nil).body)
	require.Contains(t, html, `class="flagged"`)
	require.Contains(t, html, "12 nhỏ hơn 1.000 lần")
	require.Contains(t, html, "Kỳ trước "+earlier.ID)
	require.Contains(t, html, ">12.000</td>", "the previous period's figure")
	require.Contains(t, html, "12.500 <span class=\"warn\">(đã sửa)</span>", "the previous version's figure, and that it changed")
	require.Contains(t, html, fmt.Sprintf(`id="compare-link" href="/cycles/%s/agencies/HNI?from=1&amp;to=2#compare-title"`, cycleID), "every version, compared on the agency's page")
}

// afterAnAcceptedPeriod launches a fresh regime's cycle for HNI in the
// period before pastPeriod, accepts GRDP as figure there, and returns the
// open cycle of pastPeriod and the earlier period's ID.
func (f *fixture) afterAnAcceptedPeriod(figure string) (cycleID string, earlier reporting.Period) {
	f.t.Helper()
	ctx := context.Background()
	regime := f.freshRegime("HNI")
	current := pastPeriod(f.t)
	p, err := reporting.ParsePeriod(current)
	require.NoError(f.t, err)
	start, _ := p.Window()
	earlier, ok := reporting.PeriodContaining(reporting.Monthly, start.AddDays(-1))
	require.True(f.t, ok)
	launch := func(period string) string {
		due := time.Now().Add(time.Hour)
		c, err := f.engine.Launch(ctx, f.caller("staff"), operations.LaunchRequest{RegimeCode: regime, Period: period, Due: &due})
		require.NoError(f.t, err)
		f.waitStatus(c.ID, reporting.CycleOpen)
		return c.ID
	}
	before := launch(earlier.ID)
	r := f.submitFor(before, "HNI", figure)
	_, err = f.engine.Review(ctx, f.caller("staff"), operations.ReviewRequest{SubmissionID: r.SubmissionID, Decision: reporting.DecisionAccepted})
	require.NoError(f.t, err)
	return launch(current), earlier
}
