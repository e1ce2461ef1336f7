package browsertest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/operations"
	"rcm/reporting"
)

// TestOfficerSubmitsOnAPhone is an officer on a 360 px phone: signs in,
// types figures the Vietnamese way ("12.000", "8,2"), is refused on a bad
// figure with the field marked and the focus on the error summary, fixes it
// and gets the receipt; the figures stored are the ones meant. No page
// scrolls sideways and axe-core finds nothing on any of them.
func TestOfficerSubmitsOnAPhone(t *testing.T) {
	s := newSite(t)
	b := newTab(t, s, "phone", phoneWidth, phoneHeight, true)
	form := s.agencyPath("P01")

	b.open("/signin?next=" + form)
	b.requireNoSidewaysScroll(phoneWidth)
	b.requireAccessible()
	b.screenshot("signin-phone")
	b.fill("email", officerEmail)
	b.fill("password", password)
	b.submit("#signin button[type=submit]")
	require.Equal(t, form, b.location(), "signed in and sent to the form")

	b.requireNoSidewaysScroll(phoneWidth)
	b.requireAccessible()
	b.screenshot("form-phone")
	require.Equal(t, "Tổng sản phẩm trên địa bàn (tỷ đồng) * (bắt buộc)", strings.Join(strings.Fields(b.text(`label[for="v_GRDP"]`)), " "), "the label names the indicator")

	b.fill("v_GRDP", "12.000")
	b.fill("v_EMP", "1.500,5") // people are whole: refused
	b.fill("v_CPI", "8,2")
	b.submit("form[enctype] button[type=submit]")
	require.Equal(t, "errors", eval[string](b, `document.activeElement.id`), "the focus is on the error summary")
	require.Equal(t, "true", b.attr("#v_EMP", "aria-invalid"))
	require.Contains(t, b.attr("#v_EMP", "aria-describedby"), "v_EMP-error")
	require.NotEmpty(t, b.text("#v_EMP-error"), "the message stands beside the field")
	require.Equal(t, "#v_EMP", b.attr("#errors a", "href"), "the summary links to the field")
	require.Equal(t, "", b.attr("#v_GRDP", "aria-invalid"), "a good figure is not marked")
	require.Equal(t, "12.000", eval[string](b, `document.getElementById("v_GRDP").value`), "figures are kept as typed")
	b.requireNoSidewaysScroll(phoneWidth)
	b.requireAccessible()
	b.screenshot("form-refused-phone")

	b.fill("v_EMP", "1.500")
	b.submit("form[enctype] button[type=submit]")
	require.Contains(t, b.location(), "?receipt=")
	require.Contains(t, b.text("#receipt"), "Đã nhận báo cáo.")
	require.Contains(t, b.text("#receipt"), "12.000 tỷ đồng", "the receipt writes figures the Vietnamese way")
	require.Equal(t, "receipt", eval[string](b, `document.activeElement.id`))
	b.requireNoSidewaysScroll(phoneWidth)
	b.requireAccessible()
	b.screenshot("receipt-phone")

	stored := s.latest("P01")
	require.Equal(t, "12000", stored["GRDP"])
	require.Equal(t, "1500", stored["EMP"])
	require.Equal(t, "8.2", stored["CPI"])
}

// TestWithoutJavaScript signs in, submits and signs out with JavaScript
// disabled: every one is a plain form.
func TestWithoutJavaScript(t *testing.T) {
	s := newSite(t)
	b := newTab(t, s, "nojs", desktopWidth, desktopHeight, false)
	form := s.agencyPath("P01")

	b.open("/signin?next=" + form)
	b.fill("email", officerEmail)
	b.fill("password", "sai mật khẩu")
	b.submit("#signin button[type=submit]")
	require.Contains(t, b.text("#errors"), "Địa chỉ e-mail hoặc mật khẩu không đúng", "refused in Vietnamese, no raw JSON")
	b.fill("password", password)
	b.submit("#signin button[type=submit]")
	require.Equal(t, form, b.location())

	b.fill("v_GRDP", "12.000")
	b.fill("v_EMP", "2.000")
	b.fill("v_CPI", "8,2")
	b.submit("form[enctype] button[type=submit]")
	require.Contains(t, b.location(), "?receipt=")
	require.Contains(t, b.text("#receipt"), "Đã nhận báo cáo.")
	stored := s.latest("P01")
	require.Equal(t, "12000", stored["GRDP"])
	require.Equal(t, "8.2", stored["CPI"])

	b.submit("#signout")
	require.Equal(t, "/signin", b.location())
	b.open(form)
	require.Contains(t, b.location(), "/signin?next=", "signed out: the form asks to sign in again")
}

// TestStaffPagesOnDesktopAndPhone checks the home page and the dashboard of
// office staff at both widths: no sideways scroll on a phone, nothing for
// axe-core on either.
func TestStaffPagesOnDesktopAndPhone(t *testing.T) {
	s := newSite(t)
	s.world.Submit(s.cycleID, "P02", map[string]string{"GRDP": "1234567.5", "EMP": "2000", "CPI": "3.1"})
	for _, size := range []struct {
		name          string
		width, height int64
	}{{"desktop", desktopWidth, desktopHeight}, {"phone", phoneWidth, phoneHeight}} {
		t.Run(size.name, func(t *testing.T) {
			b := newTab(t, s, size.name, size.width, size.height, true)
			b.signIn(staffEmail, "/cycles/"+s.cycleID)
			if size.width == phoneWidth {
				b.requireNoSidewaysScroll(phoneWidth)
			}
			b.requireAccessible()
			b.screenshot("dashboard-" + size.name)
			b.open("/")
			if size.width == phoneWidth {
				b.requireNoSidewaysScroll(phoneWidth)
			}
			b.requireAccessible()
			b.open(s.agencyPath("P02"))
			b.requireAccessible()
			b.screenshot("agency-" + size.name)
		})
	}
}

// TestSoftCheckOnThePhoneAndInReview: last period P01 and P02 had 12,000
// accepted. On a phone, the officer of P01 types 12: the form asks to check
// it (focus on the warning, nothing stored), the officer corrects it to
// 12.000 and it goes through. P02's 12 reaches the review page flagged,
// beside the previous period's figure; axe-core finds nothing on either.
func TestSoftCheckOnThePhoneAndInReview(t *testing.T) {
	s := newSite(t)
	last := map[string]string{"GRDP": "12000", "EMP": "1500", "CPI": "3.1"}
	s.acceptedEarlier(map[string]reporting.Values{"P01": last, "P02": last})
	b := newTab(t, s, "phone", phoneWidth, phoneHeight, true)
	b.signIn(officerEmail, s.agencyPath("P01"))
	b.fill("v_GRDP", "12")
	b.fill("v_EMP", "1.500")
	b.fill("v_CPI", "3,1")
	b.submit("#send")
	require.Equal(t, "checks", eval[string](b, `document.activeElement.id`), "the focus is on the warning")
	require.Contains(t, b.text("#checks"), "12 nhỏ hơn 1.000 lần")
	require.Contains(t, b.attr("#v_GRDP", "aria-describedby"), "v_GRDP-check")
	b.requireNoSidewaysScroll(phoneWidth)
	b.requireAccessible()
	b.screenshot("soft-check-phone")
	d, err := s.world.Engine.Obligation(s.world.Ctx, s.world.Staff, s.cycleID, "P01")
	require.NoError(t, err)
	require.Empty(t, d.Versions, "nothing is sent before the officer decides")

	b.fill("v_GRDP", "12.000")
	b.submit("#send")
	require.Contains(t, b.text("#receipt"), "Đã nhận báo cáo.")
	require.Equal(t, "12000", s.latest("P01")["GRDP"])

	r := s.world.Submit(s.cycleID, "P02", reporting.Values{"GRDP": "12", "EMP": "1500", "CPI": "3.1"})
	staff := newTab(t, s, "desktop", desktopWidth, desktopHeight, true)
	staff.signIn(staffEmail, fmt.Sprintf("/review/%d", r.SubmissionID))
	require.Contains(t, staff.text("tr.flagged"), "12 nhỏ hơn 1.000 lần")
	require.Contains(t, staff.text("tr.flagged"), "12.000", "the previous period's figure")
	staff.requireAccessible()
	staff.screenshot("review-flagged-desktop")
}

// TestTheClosedAgencyPageOnAPhone: after close the officer's page on a phone
// says what khóa sổ means and offers late filing; office staff's page of
// the same agency, with the late filing pending, offers admit and refuse;
// axe-core finds nothing on either.
func TestTheClosedAgencyPageOnAPhone(t *testing.T) {
	s := newSite(t)
	w := s.world
	require.NoError(t, w.Engine.Close(w.Ctx, w.Staff, s.cycleID, "khóa sổ"))
	require.Eventually(t, func() bool {
		c, err := w.Store.Cycle(w.Ctx, s.cycleID)
		return err == nil && c.Status == reporting.CycleClosed
	}, 60*time.Second, 100*time.Millisecond)

	b := newTab(t, s, "phone", phoneWidth, phoneHeight, true)
	b.signIn(officerEmail, s.agencyPath("P01"))
	b.requireNoSidewaysScroll(phoneWidth)
	b.requireAccessible()
	require.Contains(t, b.text("#closed-note"), "khóa sổ")
	require.Contains(t, b.text("#late-filing-form"), "Nộp muộn")
	b.screenshot("closed-agency-phone")

	_, err := w.Engine.FileLate(w.Ctx, w.Officers["P01"], operations.LateFilingRequest{SubmitRequest: operations.SubmitRequest{
		CycleID: s.cycleID, AgencyCode: "P01", Values: reporting.Values{"GRDP": "12", "EMP": "3", "CPI": "1.5"}}, Reason: "Mất điện diện rộng"})
	require.NoError(t, err)
	staff := newTab(t, s, "phone-staff", phoneWidth, phoneHeight, true)
	staff.signIn(staffEmail, s.agencyPath("P01"))
	staff.requireNoSidewaysScroll(phoneWidth)
	staff.requireAccessible()
	require.Contains(t, staff.text("#pending-late-filing"), "Mất điện diện rộng")
	staff.open("/")
	staff.requireAccessible()
	require.Contains(t, staff.text("#late-filings"), "P01")
}
