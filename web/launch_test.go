package web

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"rcm/reporting"
)

// TestStaffPreviewThenLaunchACycleFromThePage: the launch page previews the
// cycle's sends with nothing launched, a refused field is marked in
// Vietnamese, and the launch button (a POST form) launches it and leads to
// its dashboard.
func TestStaffPreviewThenLaunchACycleFromThePage(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	regime := f.freshRegime("HNI", "HCM")
	period := pastPeriod(t)
	due := nextSaturday(t).String()

	home := string(f.page("staff", "GET", "/", nil).body)
	require.Contains(t, home, `href="/launch" id="launch-link"`)

	q := url.Values{"regime": {regime}, "period": {period}, "due": {due}, "reminders": {"1d"}}
	resp := f.page("staff", "GET", "/launch?"+q.Encode(), nil)
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	html := string(resp.body)
	require.Contains(t, html, `id="sends"`)
	require.Contains(t, html, `data-kind="deadline_notice"`)
	require.Contains(t, html, `data-kind="reminder" data-when="in_hours"`, "1d before a Saturday due is Friday 08:00")
	require.Contains(t, html, `data-kind="overdue" data-when="off_day"`)
	require.Contains(t, html, "⚠ ngày nghỉ")
	require.Contains(t, html, `id="no-address"`, "the fixture's agencies have no addresses")
	require.Contains(t, html, `<input type="hidden" name="due" value="`+due+`">`)
	cycleID := regime + "-" + period
	require.Equal(t, http.StatusNotFound, f.do("staff", "GET", "/api/v1/cycles/"+cycleID, nil).status, "a preview launches nothing")

	resp = f.page("staff", "GET", "/launch?"+url.Values{"regime": {regime}, "period": {"2026-13"}}.Encode(), nil)
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	html = string(resp.body)
	require.Contains(t, html, `id="errors" tabindex="-1" autofocus`)
	require.Contains(t, html, `<a href="#period">Kỳ số liệu:`)
	require.Contains(t, html, `aria-invalid="true"`)

	q.Set("lang", "vi")
	resp = f.page("staff", "POST", "/launch", q)
	require.Equal(t, http.StatusSeeOther, resp.status, "%s", resp.body)
	require.Equal(t, "/cycles/"+cycleID, resp.header.Get("Location"))
	f.waitStatus(cycleID, reporting.CycleOpen)
	resp = f.page("staff", "POST", "/launch", q)
	require.Equal(t, http.StatusConflict, resp.status, "launched once")
	require.Contains(t, string(resp.body), "Không thực hiện được vì trạng thái hiện tại")
}

// postFile posts the agency form with a file as the officer, without
// following the redirect.
func (f *fixture) postFile(path, name string, content []byte, fields url.Values) (int, string) {
	f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, err := mw.CreateFormFile("file", name)
	require.NoError(f.t, err)
	_, err = part.Write(content)
	require.NoError(f.t, err)
	for k, vs := range fields {
		require.NoError(f.t, mw.WriteField(k, vs[0]))
	}
	require.NoError(f.t, mw.Close())
	resp := f.pageBody("officer", "POST", path, mw.FormDataContentType(), &buf)
	return resp.status, string(resp.body)
}

// TestSoftChecksAskAboutAFilesFiguresToo: a CSV whose GRDP is a thousandth
// of the previous period's is not stored; its figures come back in the
// inputs to confirm, and the confirmed version keeps the file's format. The
// agency page then shows every version's figures and their difference.
func TestSoftChecksAskAboutAFilesFiguresToo(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	cycleID, earlier := f.afterAnAcceptedPeriod("12000")
	path := "/cycles/" + cycleID + "/agencies/HNI"

	status, html := f.postFile(path, "bao-cao.csv", []byte("indicator,value\nGRDP,12\n"), url.Values{"lang": {"vi"}, "idempotency_key": {"f1"}})
	require.Equal(t, http.StatusOK, status, html)
	require.Contains(t, html, `id="checks"`)
	require.Contains(t, html, `id="checks-file"`)
	require.Contains(t, html, `name="from_file" value="csv"`)
	require.Contains(t, html, `id="v_GRDP" name="v_GRDP" value="12"`)
	require.Equal(t, [3]int{0, 0, 0}, f.rowCounts(cycleID), "nothing stored before the officer confirms")

	resp := f.page("officer", "POST", path, url.Values{"v_GRDP": {"12"}, "from_file": {"csv"}, "lang": {"vi"},
		"confirm": {"GRDP=12"}, "idempotency_key": {"f2"}})
	require.Equal(t, http.StatusSeeOther, resp.status, "%s", resp.body)
	d, err := f.engine.Obligation(context.Background(), f.caller("staff"), cycleID, "HNI")
	require.NoError(t, err)
	require.Equal(t, "csv", d.Versions[0].Source)
	require.Equal(t, "12", d.Versions[0].Values["GRDP"])

	// A second version; the page compares the two and the previous period.
	resp = f.page("officer", "POST", path, url.Values{"v_GRDP": {"12.100"}, "lang": {"vi"}, "idempotency_key": {"f3"}})
	require.Equal(t, http.StatusSeeOther, resp.status, "%s", resp.body)
	page := string(f.page("officer", "GET", path, nil).body)
	require.Contains(t, page, "Báo cáo tháng")
	require.Contains(t, page, `id="version-1"`)
	require.Contains(t, page, `id="version-2"`)
	require.Contains(t, page, `id="compare"`)
	require.Contains(t, page, "tệp CSV")
	cmp := page[strings.Index(page, `id="compare"`):]
	cmp = cmp[:strings.Index(cmp, "</table>")]
	require.Contains(t, cmp, `class="changed"`)
	require.Contains(t, cmp, ">12</td>")
	require.Contains(t, cmp, "12.100 <strong class=\"warn\">(đã sửa)</strong>")
	require.Contains(t, cmp, ">12.000</td>", "the previous period's figure")
	require.Contains(t, page, "Kỳ trước "+earlier.ID)
	// The supervisor of the region sees the versions too, read-only.
	sup := string(f.page("supervisor", "GET", path, nil).body)
	require.Contains(t, sup, `id="version-2"`)
	require.NotContains(t, sup, `id="send"`)
}

// TestTheAgencyPageSaysWhyTheReportWasReturned: the reason is at the top,
// and a refused reason is said in Vietnamese on a Vietnamese page.
func TestTheAgencyPageSaysWhyTheReportWasReturned(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	cycleID := f.openCycle("HNI")
	r := f.submitFor(cycleID, "HNI", "77")
	resp := f.page("staff", "POST", fmt.Sprintf("/review/%d", r.SubmissionID), url.Values{"decision": {"returned"}, "reason": {" "}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	require.Contains(t, string(resp.body), "Lý do: Trả lại báo cáo thì phải nêu lý do để đơn vị sửa.")
	resp = f.page("staff", "POST", fmt.Sprintf("/review/%d", r.SubmissionID), url.Values{"decision": {"returned"}, "reason": {"GRDP sai đơn vị tính"}})
	require.Equal(t, http.StatusSeeOther, resp.status, "%s", resp.body)
	html := string(f.page("officer", "GET", "/cycles/"+cycleID+"/agencies/HNI", nil).body)
	top := html[:strings.Index(html, `id="status"`)]
	require.Contains(t, top, `id="return-reason"`)
	require.Contains(t, top, "GRDP sai đơn vị tính")
	require.Contains(t, html, "bị trả lại")
}
