package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"rcm/reporting"
)

// saturdayAhead is a Saturday at least a week ahead, in Vietnam, written
// yyyy-mm-dd: a due date whose overdue notice falls on a Sunday.
func saturdayAhead(t *testing.T) string {
	loc, err := reporting.DefaultLocation()
	require.NoError(t, err)
	d := reporting.DateOf(time.Now().Add(7*24*time.Hour), loc)
	for d.Weekday() != time.Saturday {
		d = d.AddDays(1)
	}
	return d.String()
}

// choose selects value in the select with id.
func (b *tab) choose(id, value string) {
	b.t.Helper()
	b.do("choose "+value+" in #"+id, chromedp.WaitReady(chromedp.CSS("#"+id)), chromedp.SetValue(chromedp.CSS("#"+id), value))
}

// write types text into the empty text area with id.
func (b *tab) write(id, text string) {
	b.t.Helper()
	sel := chromedp.CSS("#" + id)
	b.do("type into #"+id, chromedp.WaitVisible(sel), chromedp.Focus(sel), chromedp.KeyEvent(text))
}

// TestAWholeCycleClickedThrough is one cycle from launch to close, every
// step clicked in Chromium by the person who does it: office staff preview
// the launch (every send with its time and recipients, the Sunday flagged)
// and launch it; the officer, on a 360 px phone, types Vietnamese figures,
// is refused on one and fixes it; staff return the report with a reason;
// the officer reads the reason at the top, resubmits and sees what changed
// between the versions; staff accept it, close the cycle, and read the
// matrix. Every page is scanned by axe-core; the phone pages never scroll
// sideways.
func TestAWholeCycleClickedThrough(t *testing.T) {
	s := newSite(t)
	regime := "W" + randomCode(6)
	day := 24 * time.Hour
	s.world.SeedRegime(regime, []string{"P01", "P02"}, reporting.Policy{ReminderOffsets: []time.Duration{day},
		Escalations: []reporting.EscalationStep{{After: 2 * day, Recipients: []reporting.Recipient{reporting.RecipientHead}, Times: 1}},
		ReviewTime:  day, CloseAfter: 5 * day})
	period := pastPeriod(t)
	cycleID := regime + "-" + period

	// Office staff: preview, then launch.
	staff := newTab(t, s, "desktop", desktopWidth, desktopHeight, true)
	staff.signIn(staffEmail, "/")
	staff.submit("#launch-link")
	require.Equal(t, "/launch", staff.location())
	staff.requireAccessible()
	staff.choose("regime", regime)
	staff.fill("period", period)
	staff.fill("due", saturdayAhead(t))
	staff.submit("#preview")
	require.Contains(t, staff.location(), "/launch?")
	kinds := eval[[]string](staff, `[...document.querySelectorAll("#sends tr[data-kind]")].map(r => r.dataset.kind)`)
	require.Equal(t, []string{"deadline_notice", "reminder", "overdue", "escalation", "close"}, kinds)
	require.Contains(t, staff.text(`#sends tr[data-kind="overdue"]`), "08:00", "the overdue notice of Saturday's due waits for Monday morning")
	require.Contains(t, staff.text(`#sends tr[data-kind="close"]`), "ngoài giờ hành chính", "close at midnight is flagged")
	require.Contains(t, staff.text(`#sends tr[data-kind="escalation"]`), "thủ trưởng đơn vị")
	require.Contains(t, staff.text(`#sends tr[data-kind="reminder"]`), "08:00", "a reminder counted in days goes at the send time")
	staff.requireAccessible()
	staff.screenshot("launch-preview-desktop")
	staff.submit("#launch")
	require.Equal(t, "/cycles/"+cycleID, staff.location())
	s.world.WaitOpen(cycleID)

	// The launch page on a phone: no sideways scroll, nothing for axe.
	phoneStaff := newTab(t, s, "phone", phoneWidth, phoneHeight, true)
	phoneStaff.signIn(staffEmail, "/")
	phoneStaff.open("/launch?regime=" + regime + "&period=" + period + "&due=" + saturdayAhead(t))
	phoneStaff.requireNoSidewaysScroll(phoneWidth)
	phoneStaff.requireAccessible()
	phoneStaff.screenshot("launch-preview-phone")

	// The officer, on a phone: refused on a bad figure, fixed, received.
	form := "/cycles/" + cycleID + "/agencies/P01"
	officer := newTab(t, s, "phone", phoneWidth, phoneHeight, true)
	officer.signIn(officerEmail, form)
	require.Contains(t, officer.text("h1"), "Báo cáo tháng")
	require.Contains(t, officer.text("#status"), "chưa nộp")
	officer.fill("v_GRDP", "12.000")
	officer.fill("v_EMP", "1.500,5")
	officer.fill("v_CPI", "8,2")
	officer.submit("#send")
	require.Equal(t, "true", officer.attr("#v_EMP", "aria-invalid"))
	officer.fill("v_EMP", "1.500")
	officer.submit("#send")
	require.Contains(t, officer.text("#receipt"), "Đã nhận báo cáo.")

	// Staff return it with a reason, from the queue on the home page.
	staff.open("/")
	staff.submit(`#queue tr[data-agency="P01"] a`)
	require.Contains(t, staff.location(), "/review/")
	staff.requireAccessible()
	staff.write("reason", "Số lao động chưa khớp với báo cáo quý")
	staff.submit(`button[value="returned"]`)

	// The officer reads why at the top, and sends a corrected version.
	officer.open(form)
	require.Contains(t, officer.text("#return-reason"), "Số lao động chưa khớp với báo cáo quý")
	require.Contains(t, officer.text("#status"), "bị trả lại")
	officer.requireNoSidewaysScroll(phoneWidth)
	officer.requireAccessible()
	officer.screenshot("returned-phone")
	officer.fill("v_EMP", "1.600")
	officer.submit("#send")
	require.Contains(t, officer.text("#receipt"), "Đã nhận báo cáo.")
	require.Equal(t, "1600", s.latestOf(cycleID, "P01")["EMP"])
	officer.open(form)
	require.Contains(t, officer.text(`#compare tr[data-code="EMP"]`), "1.600 (đã sửa)")
	require.NotContains(t, officer.text(`#compare tr[data-code="GRDP"]`), "đã sửa")
	officer.requireNoSidewaysScroll(phoneWidth)
	officer.requireAccessible()
	officer.screenshot("versions-phone")

	// Staff accept the new version, close the cycle and read the matrix.
	staff.open("/")
	staff.submit(`#queue tr[data-agency="P01"] a`)
	staff.submit(`button[value="accepted"]`)
	require.Contains(t, staff.text("#decision"), "đã chấp nhận")
	staff.open("/cycles/" + cycleID)
	staff.do("open the close form", chromedp.Click(chromedp.CSS("#close-now summary")))
	staff.write("close_reason", "Đủ số liệu để tổng hợp")
	staff.submit("#close-send")
	require.Equal(t, "/cycles/"+cycleID, staff.location())
	require.Eventually(t, func() bool {
		c, err := s.world.Store.Cycle(s.world.Ctx, cycleID)
		return err == nil && c.Status == reporting.CycleClosed
	}, time.Minute, 200*time.Millisecond, "the cycle closes")
	staff.open("/cycles/" + cycleID)
	matrix := staff.text("#matrix-table")
	require.Contains(t, matrix, "Tỉnh P01")
	require.Equal(t, "on_time", staff.attr(`#matrix-table tr[data-agency="P01"] td[data-state]:last-child`, "data-state"))
	require.Equal(t, "missing", staff.attr(`#matrix-table tr[data-agency="P02"] td[data-state]:last-child`, "data-state"))
	require.True(t, strings.Contains(staff.text("h1"), "đã đóng"), "the dashboard says the cycle is closed")
	staff.requireAccessible()
	staff.screenshot("matrix-closed-desktop")
}

// latestOf returns the figures of the agency's latest version in a cycle.
func (s *site) latestOf(cycleID, code string) reporting.Values {
	s.t.Helper()
	d, err := s.world.Engine.Obligation(s.world.Ctx, s.world.Staff, cycleID, code)
	require.NoError(s.t, err)
	require.NotEmpty(s.t, d.Versions, "nothing stored for %s", code)
	return d.Versions[0].Values
}
