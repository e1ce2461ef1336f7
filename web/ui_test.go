package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"rcm/api"
	"rcm/reporting"
)

// page requests a page as the role without following redirects; a form
// body is sent url-encoded.
func (f *fixture) page(role, method, path string, form url.Values) response {
	f.t.Helper()
	if form == nil {
		return f.pageBody(role, method, path, "", nil)
	}
	return f.pageBody(role, method, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// pageBody requests a page as the role without following redirects,
// sending body as contentType.
func (f *fixture) pageBody(role, method, path, contentType string, body io.Reader) response {
	f.t.Helper()
	req, err := http.NewRequest(method, f.http.URL+path, body)
	require.NoError(f.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if tok := f.tokens[role]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	client := *f.http.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(f.t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// TestPageAuthorization is the authorization matrix of the pages: the same
// roles and scope checks as the API, answered as pages.
func TestPageAuthorization(t *testing.T) {
	f := newFixture(t)
	w := f.cycles()
	agencyPage := func(_ *fixture, _ string, inside bool) call {
		return call{"GET", "/cycles/" + w.cycleID + "/agencies/" + agencyFor(inside), nil}
	}
	rows := []matrixRow{
		{"GET /{$}", same("GET", "/", nil), map[string]cell{"anonymous": {303, 303}, "staff": {200, 200}, "officer": {200, 200}, "supervisor": {200, 200}, "reviewer": {200, 200}}},
		{"GET /signin", same("GET", "/signin", nil), publicOK(200)},
		{"POST /signin", same("POST", "/signin", url.Values{"email": {"staff@vpcp.gov.vn"}}), publicOK(422)},
		{"POST /signout", same("POST", "/signout", url.Values{}), publicOK(303)},
		{"GET /static/{file}", same("GET", "/static/rcm.css", nil), publicOK(200)},
		{"GET /cycles/{id}", same("GET", "/cycles/"+w.cycleID, nil),
			map[string]cell{"anonymous": {303, 303}, "staff": {200, 200}, "officer": {303, 303}, "supervisor": {200, 200}, "reviewer": {200, 200}}},
		{"GET /cycles/{id}/export/{table}", func(_ *fixture, _ string, inside bool) call {
			under := "HNI"
			if !inside {
				under = "HCM"
			}
			return call{"GET", "/cycles/" + w.cycleID + "/export/obligations?format=csv&under=" + under, nil}
		}, map[string]cell{"anonymous": {303, 303}, "staff": {200, 200}, "officer": {200, 404}, "supervisor": {200, 404}, "reviewer": {200, 404}}},
		{"GET /cycles/{id}/agencies/{code}", agencyPage,
			map[string]cell{"anonymous": {303, 303}, "staff": {200, 200}, "officer": {200, 404}, "supervisor": {200, 404}, "reviewer": {200, 404}}},
		{"POST /cycles/{id}/agencies/{code}", func(_ *fixture, _ string, inside bool) call {
			return call{"POST", "/cycles/" + w.cycleID + "/agencies/" + agencyFor(inside), url.Values{"v_GRDP": {"77"}}}
		}, map[string]cell{"anonymous": {303, 303}, "staff": {403, 403}, "officer": {303, 404}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"POST /cycles/{id}/agencies/{code}/reopen", func(f *fixture, role string, inside bool) call {
			cycleID := w.cycleID
			if role == "staff" {
				cycleID = f.acceptedCycle(agencyFor(inside))
			}
			return call{"POST", "/cycles/" + cycleID + "/agencies/" + agencyFor(inside) + "/reopen", url.Values{"reason": {"điều chỉnh"}}}
		}, map[string]cell{"anonymous": {303, 303}, "staff": {303, 303}, "officer": {403, 403}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"POST /cycles/{id}/agencies/{code}/nil-report", func(f *fixture, role string, inside bool) call {
			cycleID := w.cycleID
			if role == "officer" && inside {
				cycleID = f.openCycle("HNI")
			}
			return call{"POST", "/cycles/" + cycleID + "/agencies/" + agencyFor(inside) + "/nil-report", url.Values{"reason": {"không phát sinh"}}}
		}, map[string]cell{"anonymous": {303, 303}, "staff": {403, 403}, "officer": {303, 404}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"POST /cycles/{id}/agencies/{code}/extension-requests", func(f *fixture, role string, inside bool) call {
			cycleID := w.cycleID
			if role == "officer" && inside {
				cycleID = f.openCycle("HNI")
			}
			return call{"POST", "/cycles/" + cycleID + "/agencies/" + agencyFor(inside) + "/extension-requests",
				url.Values{"reason": {"bão"}, "due": {laterDate(3)}}}
		}, map[string]cell{"anonymous": {303, 303}, "staff": {403, 403}, "officer": {303, 404}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"POST /cycles/{id}/agencies/{code}/extension-requests/{req}", func(f *fixture, role string, inside bool) call {
			cycleID, id := w.cycleID, int64(1)
			if role == "staff" {
				cycleID = f.openCycle("HNI")
				id = f.extensionRequest(cycleID, "HNI").ID
			}
			return call{"POST", fmt.Sprintf("/cycles/%s/agencies/%s/extension-requests/%d", cycleID, agencyFor(inside), id),
				url.Values{"decision": {"refused"}, "reason": {"đủ thời gian"}}}
		}, map[string]cell{"anonymous": {303, 303}, "staff": {303, 303}, "officer": {403, 403}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"POST /cycles/{id}/agencies/{code}/late-filings", func(f *fixture, role string, inside bool) call {
			// A url-encoded form passes authorization and is refused for
			// its media type: a late filing carries its file (multipart).
			return call{"POST", "/cycles/" + w.cycleID + "/agencies/" + agencyFor(inside) + "/late-filings", url.Values{"reason": {"mất điện"}}}
		}, map[string]cell{"anonymous": {303, 303}, "staff": {403, 403}, "officer": {415, 404}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"POST /cycles/{id}/agencies/{code}/late-filings/{lf}", func(f *fixture, role string, inside bool) call {
			cycleID, id := w.cycleID, int64(1)
			if role == "staff" {
				cycleID = f.closedCycle(nil, "HNI")
				id = f.lateFiling(cycleID, "HNI").Action.ID
			}
			return call{"POST", fmt.Sprintf("/cycles/%s/agencies/%s/late-filings/%d", cycleID, agencyFor(inside), id),
				url.Values{"decision": {"refused"}, "reason": {"quá hạn"}}}
		}, map[string]cell{"anonymous": {303, 303}, "staff": {303, 303}, "officer": {403, 403}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"GET /review/{id}", func(_ *fixture, _ string, inside bool) call {
			return call{"GET", fmt.Sprintf("/review/%d", w.subs[agencyFor(inside)].SubmissionID), nil}
		}, map[string]cell{"anonymous": {303, 303}, "staff": {200, 200}, "officer": {403, 403}, "supervisor": {403, 403}, "reviewer": {200, 404}}},
		{"POST /review/{id}", func(f *fixture, role string, inside bool) call {
			id := w.subs[agencyFor(inside)].SubmissionID
			if role == "staff" || role == "reviewer" && inside {
				id = f.submitFor(w.cycleID, agencyFor(inside), fmt.Sprint(f.next()+900)).SubmissionID
			}
			return call{"POST", fmt.Sprintf("/review/%d", id), url.Values{"decision": {"returned"}, "reason": {"sai số"}}}
		}, map[string]cell{"anonymous": {303, 303}, "staff": {303, 303}, "officer": {403, 403}, "supervisor": {403, 403}, "reviewer": {303, 404}}},
		{"POST /cycles/{id}/close", func(f *fixture, role string, inside bool) call {
			return call{"POST", "/cycles/" + f.cycleToChange(role) + "/close", url.Values{"reason": {"đủ số liệu"}}}
		}, map[string]cell{"anonymous": {303, 303}, "staff": {303, 303}, "officer": {403, 403}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"GET /launch", func(f *fixture, role string, inside bool) call {
			return call{"GET", "/launch?regime=" + f.freshRegime(agencyFor(inside)) + "&period=" + pastPeriod(f.t) + "&due=" + laterDate(5), nil}
		}, map[string]cell{"anonymous": {303, 303}, "staff": {200, 200}, "officer": {403, 403}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"POST /launch", func(f *fixture, role string, inside bool) call {
			return call{"POST", "/launch", url.Values{"regime": {f.freshRegime(agencyFor(inside))}, "period": {pastPeriod(f.t)}, "due": {laterDate(5)}}}
		}, map[string]cell{"anonymous": {303, 303}, "staff": {303, 303}, "officer": {403, 403}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
		{"GET /reset-password", same("GET", "/reset-password?token=abc", nil), publicOK(200)},
		{"POST /reset-password", same("POST", "/reset-password", url.Values{"token": {"not-a-link"}, "new_password": {"mật khẩu mới dài"},
			"confirm_password": {"mật khẩu mới dài"}}), publicOK(422)},
		{"GET /account", same("GET", "/account", nil), map[string]cell{"anonymous": {303, 303}, "staff": {200, 200}, "officer": {200, 200}, "supervisor": {200, 200}, "reviewer": {200, 200}}},
		{"POST /account/password", same("POST", "/account/password", url.Values{"current_password": {staffPassword},
			"new_password": {staffPassword}, "confirm_password": {staffPassword}}),
			// Only staff have a password in the fixture.
			map[string]cell{"anonymous": {303, 303}, "staff": {303, 303}, "officer": {422, 422}, "supervisor": {422, 422}, "reviewer": {422, 422}}},
		{"GET /audit", same("GET", "/audit?action=user.create&verify=1", nil),
			map[string]cell{"anonymous": {303, 303}, "staff": {200, 200}, "officer": {403, 403}, "supervisor": {403, 403}, "reviewer": {403, 403}}},
	}
	covered := map[string]bool{}
	for _, row := range rows {
		covered[row.route] = true
	}
	for _, pg := range f.server.Pages() {
		require.True(t, covered[pg.Pattern()], "page %s has no row in the page matrix", pg.Pattern())
	}
	for _, row := range rows {
		t.Run(row.route, func(t *testing.T) {
			for _, role := range roleNames {
				for _, inside := range []bool{true, false} {
					c := row.call(f, role, inside)
					want := row.want[role].out
					if inside {
						want = row.want[role].in
					}
					var form url.Values
					if v, ok := c.body.(url.Values); ok {
						form = v
					}
					got := f.page(role, c.method, c.path, form)
					require.Equal(t, want, got.status, "%s %s as %s (inside %v): %s", c.method, c.path, role, inside, got.body)
				}
			}
		})
	}
}

func TestAgencyPageSubmitAndReview(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	cycleID := f.openCycle("HNI", "HCM")
	agencyPath := "/cycles/" + cycleID + "/agencies/HNI"

	resp := f.page("anonymous", "GET", agencyPath, nil)
	require.Equal(t, http.StatusSeeOther, resp.status)
	require.Equal(t, "/signin?next="+url.QueryEscape(agencyPath), resp.header.Get("Location"))

	resp = f.page("officer", "GET", agencyPath, nil)
	require.Equal(t, 200, resp.status)
	html := string(resp.body)
	require.Contains(t, html, "Hạn nộp")
	require.Contains(t, html, `name="v_GRDP"`)
	require.Contains(t, html, "Chưa nộp lần nào.")
	require.NotContains(t, html, "ước tính", "a cycle of actual figures says nothing of estimates")
	require.Regexp(t, `\d{2}/\d{2}/\d{4} \d{2}:\d{2}`, html, "dates are dd/mm/yyyy")
	key := regexpFind(t, html, `name="idempotency_key" value="([^"]+)"`)

	// Refused: the page again with the problem in Vietnamese, the values kept.
	resp = f.page("officer", "POST", agencyPath, url.Values{"v_GRDP": {"mười"}, "v_NOTE": {"ghi chú"}, "idempotency_key": {key}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	require.Contains(t, string(resp.body), "“mười” không phải là số")
	require.Contains(t, string(resp.body), `aria-invalid="true"`)
	require.Contains(t, string(resp.body), `value="mười"`)
	require.Equal(t, [3]int{0, 0, 0}, f.rowCounts(cycleID))

	// Stored: to the receipt; sending the same form again stores nothing more.
	form := url.Values{"v_GRDP": {"1.234,5"}, "narrative": {"ổn"}, "idempotency_key": {key}}
	resp = f.page("officer", "POST", agencyPath, form)
	require.Equal(t, http.StatusSeeOther, resp.status, "%s", resp.body)
	receiptURL := resp.header.Get("Location")
	require.Regexp(t, `^`+regexp.QuoteMeta(agencyPath+"?receipt="+cycleID+"-HNI-v1-")+`[A-Z2-7]{10}$`, receiptURL)
	require.Equal(t, http.StatusSeeOther, f.page("officer", "POST", agencyPath, form).status)
	require.Equal(t, [3]int{1, 1, 1}, f.rowCounts(cycleID))
	html = string(f.page("officer", "GET", receiptURL, nil).body)
	require.Contains(t, html, "Đã nhận báo cáo.")
	require.Contains(t, html, cycleID+"-HNI-v1-")
	require.Contains(t, html, "chờ xem xét")
	var stored api.AgencyObligation
	f.do("officer", "GET", "/api/v1/cycles/"+cycleID+"/agencies/HNI", nil).decode(t, &stored)
	require.Len(t, stored.Versions[0].ContentHash, 64)
	require.Contains(t, html, "Mã băm nội dung (SHA-256): <code>"+stored.Versions[0].ContentHash+"</code>", "the receipt shows the content hash")

	// A file instead of the form.
	ct, body := multipartBody(t, "file", "hni.csv", []byte("indicator,value\nGRDP,99\n"))
	resp = f.do("officer", "POST", agencyPath, body, "Content-Type", ct)
	require.Equal(t, 200, resp.status, "the redirect is followed to the receipt")
	require.Contains(t, string(resp.body), cycleID+"-HNI-v2")

	// The reviewer returns it with a reason, which the agency's page shows.
	var detail api.AgencyObligation
	f.do("officer", "GET", "/api/v1/cycles/"+cycleID+"/agencies/HNI", nil).decode(t, &detail)
	reviewPath := fmt.Sprintf("/review/%d", detail.Versions[0].ID)
	resp = f.page("staff", "GET", reviewPath+"?lang=en", nil)
	require.Equal(t, 200, resp.status)
	require.Contains(t, string(resp.body), "Return")
	require.Contains(t, string(resp.body), "99")
	resp = f.page("staff", "POST", reviewPath, url.Values{"decision": {"returned"}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	require.Contains(t, string(resp.body), "reason")
	resp = f.page("staff", "POST", reviewPath, url.Values{"decision": {"returned"}, "reason": {"Số GRDP chưa khớp với Cục Thống kê"}})
	require.Equal(t, http.StatusSeeOther, resp.status, "%s", resp.body)
	html = string(f.page("officer", "GET", agencyPath, nil).body)
	require.Contains(t, html, "bị trả lại")
	require.Contains(t, html, "Số GRDP chưa khớp với Cục Thống kê")
	html = string(f.page("officer", "GET", agencyPath+"?lang=en", nil).body)
	require.Contains(t, html, "returned")
	require.Contains(t, html, "Deadlines")
}

func TestDashboardShowsTheSubtreeOnly(t *testing.T) {
	f := newFixture(t)
	w := f.cycles()
	html := string(f.page("supervisor", "GET", "/cycles/"+w.cycleID, nil).body)
	require.Contains(t, html, "Thành phố Hà Nội")
	require.Contains(t, html, "Thành phố Hải Phòng")
	require.NotContains(t, html, "Hồ Chí Minh")
	require.NotContains(t, html, "HCM")
	require.NotContains(t, html, "Việt Nam", "not even the national total above the region")
	require.Contains(t, html, "tạm tính")
	html = string(f.page("staff", "GET", "/cycles/"+w.cycleID, nil).body)
	require.Contains(t, html, "Thành phố Hồ Chí Minh")
	require.Contains(t, html, "/review/", "staff see the review queue")
	resp := f.page("officer", "GET", "/cycles/"+w.cycleID+"?lang=en", nil)
	require.Equal(t, "/cycles/"+w.cycleID+"/agencies/HNI?lang=en", resp.header.Get("Location"))
	require.Equal(t, 404, f.page("supervisor", "GET", "/cycles/"+w.cycleID+"?under=HCM", nil).status)
	require.Equal(t, 404, f.page("staff", "GET", "/cycles/NOPE-2026-01", nil).status)

	// A session cookie from the sign-in reaches the pages too.
	resp = f.do("anonymous", "POST", "/api/v1/session", map[string]string{"email": "staff@vpcp.gov.vn", "password": staffPassword})
	require.Equal(t, 201, resp.status)
	req, err := http.NewRequest("GET", f.http.URL+"/", nil)
	require.NoError(t, err)
	for _, c := range (&http.Response{Header: resp.header}).Cookies() {
		req.AddCookie(c)
	}
	got, err := f.http.Client().Do(req)
	require.NoError(t, err)
	defer got.Body.Close()
	b, _ := io.ReadAll(got.Body)
	require.Equal(t, 200, got.StatusCode)
	require.Contains(t, string(b), w.cycleID)
	require.Contains(t, string(f.page("anonymous", "GET", "/signin?next=//evil.example", nil).body), `name="next" value="/"`, "only local next pages")
}

func regexpFind(t *testing.T, s, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	require.Len(t, m, 2, "no %s in the page", pattern)
	return m[1]
}

// A cycle of a regime that reports estimates, due before its cut-off: the
// agency's page, the receipt on it and the API's receipt say the figures
// are estimates, in Vietnamese and in English.
func TestAgencyPageAndReceiptSayTheFiguresAreEstimates(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	cycleID := f.openEstimatesCycle("HNI")
	agencyPath := "/cycles/" + cycleID + "/agencies/HNI"

	html := string(f.page("officer", "GET", agencyPath, nil).body)
	require.Contains(t, html, `<dt>Số liệu</dt><dd id="estimates"><strong>ước tính</strong> — hạn nộp trước thời điểm chốt số liệu`)
	require.Contains(t, string(f.page("officer", "GET", agencyPath+"?lang=en", nil).body), `<strong>estimate</strong> — the report is due before the data cut-off`)

	var receipt api.Receipt
	resp := f.do("officer", "POST", "/api/v1/cycles/"+cycleID+"/agencies/HNI/submissions", `{"values": {"GRDP": 12}}`)
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	resp.decode(t, &receipt)
	require.True(t, receipt.Estimates, "the API's receipt says the figures are estimates")
	html = string(f.page("officer", "GET", agencyPath+"?receipt="+receipt.Number, nil).body)
	require.Regexp(t, `(?s)id="receipt"[^>]*>.*`+regexp.QuoteMeta(receipt.Number)+`.* · Số liệu: <strong>ước tính</strong>\s*<dl class="figures">`, html)
}

// TestTheAgencyPageTakesTheActions: the officer declares a nil report and
// asks for an extension from the page, office staff answer and reopen
// from the same page; a refused form shows why and writes nothing.
func TestTheAgencyPageTakesTheActions(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	nilCycle, extCycle := f.openCycle("HNI"), f.openCycle("HNI")
	page := func(cycleID string) string { return "/cycles/" + cycleID + "/agencies/HNI" }

	html := string(f.page("officer", "GET", page(nilCycle), nil).body)
	require.Contains(t, html, `id="nil-report-form"`)
	require.Contains(t, html, `id="extension-form"`)
	require.NotContains(t, html, `id="reopen-form"`, "an officer does not reopen")
	require.NotContains(t, string(f.page("staff", "GET", page(nilCycle), nil).body), `id="nil-report-form"`, "staff do not declare for an agency")

	resp := f.page("officer", "POST", page(nilCycle)+"/nil-report", url.Values{"reason": {" "}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	require.Contains(t, string(resp.body), `id="action-errors"`)
	require.Equal(t, [4]int{0, 0, 0, 0}, f.actionCounts(nilCycle))
	resp = f.page("officer", "POST", page(nilCycle)+"/nil-report", url.Values{"reason": {"Không phát sinh số liệu"}})
	require.Equal(t, http.StatusSeeOther, resp.status, "%s", resp.body)
	html = string(f.page("officer", "GET", page(nilCycle), nil).body)
	require.Contains(t, html, `id="nil-report"`)
	require.Contains(t, html, "Không phát sinh số liệu")
	require.NotContains(t, html, `id="nil-report-form"`, "declared once")
	html = string(f.page("staff", "GET", page(nilCycle), nil).body)
	require.Contains(t, html, `id="reopen-form"`, "a nil report can be reopened")

	resp = f.page("officer", "POST", page(extCycle)+"/extension-requests", url.Values{"reason": {"Bão số 10"}, "due": {laterDate(3)}})
	require.Equal(t, http.StatusSeeOther, resp.status, "%s", resp.body)
	html = string(f.page("staff", "GET", page(extCycle), nil).body)
	require.Contains(t, html, `id="pending-request"`)
	id := regexpFind(t, html, `extension-requests/(\d+)`)
	resp = f.page("staff", "POST", page(extCycle)+"/extension-requests/"+id, url.Values{"decision": {"refused"}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "a refusal needs a reason")
	resp = f.page("staff", "POST", page(extCycle)+"/extension-requests/"+id, url.Values{"decision": {"granted"}})
	require.Equal(t, http.StatusSeeOther, resp.status, "%s", resp.body)
	html = string(f.page("officer", "GET", page(extCycle), nil).body)
	require.Contains(t, html, "đã đồng ý")
	require.Equal(t, 1, f.actionCounts(extCycle)[3], "the grant made an extension")
}

// TestTheAgencyPageExplainsCloseAndTakesALateFiling: after close the page
// says what khóa sổ means and how long a late filing is taken; the officer
// files one with a file and a reason, office staff see it on their start
// page and admit it from the agency page; the obligation counts late.
func TestTheAgencyPageExplainsCloseAndTakesALateFiling(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	cycleID := f.closedCycle(nil, "HNI")
	page := "/cycles/" + cycleID + "/agencies/HNI"

	html := string(f.page("officer", "GET", page, nil).body)
	require.Contains(t, html, `id="closed-note"`)
	require.Contains(t, html, "đã khóa sổ")
	require.Contains(t, html, "trong 30 ngày sau khóa sổ")
	require.Contains(t, html, `id="late-filing-form"`)
	require.NotContains(t, html, `id="nil-report-form"`, "nothing else is taken after close")
	require.NotContains(t, string(f.page("staff", "GET", page, nil).body), `id="late-filing-form"`, "staff do not file for an agency")

	// Without a reason: refused, nothing written.
	ct, body := multipartBody(t, "file", "hni.csv", []byte("indicator,value\nGRDP,99\n"))
	before := f.lateCounts(cycleID)
	resp := f.do("officer", "POST", page+"/late-filings", body, "Content-Type", ct)
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
	require.Contains(t, string(resp.body), `id="action-errors"`)
	require.Equal(t, before, f.lateCounts(cycleID))

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	part, err := mw.CreateFormFile("file", "hni.csv")
	require.NoError(t, err)
	_, err = part.Write([]byte("indicator,value\nGRDP,99\n"))
	require.NoError(t, err)
	require.NoError(t, mw.WriteField("reason", "Mất điện diện rộng"))
	require.NoError(t, mw.Close())
	resp = f.do("officer", "POST", page+"/late-filings", buf.Bytes(), "Content-Type", mw.FormDataContentType())
	require.Equal(t, http.StatusOK, resp.status, "the redirect is followed to the page: %s", resp.body)
	require.Contains(t, string(resp.body), "nộp muộn sau khóa sổ")
	require.NotContains(t, string(resp.body), `id="late-filing-form"`, "one pending late filing at a time")

	home := string(f.page("staff", "GET", "/", nil).body)
	require.Contains(t, home, `id="late-filings"`)
	require.Contains(t, home, "Mất điện diện rộng")
	html = string(f.page("staff", "GET", page, nil).body)
	require.Contains(t, html, `id="pending-late-filing"`)
	id := regexpFind(t, html, `late-filings/(\d+)`)
	resp = f.page("staff", "POST", page+"/late-filings/"+id, url.Values{"decision": {"refused"}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "a refusal needs a reason")
	resp = f.page("staff", "POST", page+"/late-filings/"+id, url.Values{"decision": {"admitted"}})
	require.Equal(t, http.StatusSeeOther, resp.status, "%s", resp.body)
	ob, err := f.store.Obligation(context.Background(), cycleID, "HNI")
	require.NoError(t, err)
	require.Equal(t, reporting.ObligationLate, ob.Status)
	html = string(f.page("officer", "GET", page, nil).body)
	require.Contains(t, html, "đã tiếp nhận (tính là nộp muộn)")
}
