package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFormReadsFiguresAsThePageWritesThem types each way of writing a figure
// on each page and checks the figure stored: a Vietnamese page reads
// "12.000" as twelve thousand and "8,2" as 8.2, an English page reads them
// the English way, and a figure that page would misread is refused beside
// its field.
func TestFormReadsFiguresAsThePageWritesThem(t *testing.T) {
	f := newFixture(t)
	f.cycles()
	cycleID := f.openCycle("HNI")
	agencyPath := "/cycles/" + cycleID + "/agencies/HNI"
	for _, c := range []struct {
		lang, typed, stored string
	}{
		{"vi", "12.000", "12000"},
		{"vi", "8,2", "8.2"},
		{"vi", "1.234.567,25", "1234567.25"},
		{"en", "12,000", "12000"},
		{"en", "8.2", "8.2"},
	} {
		path := agencyPath
		if c.lang == "en" {
			path += "?lang=en"
		}
		resp := f.page("officer", "POST", path, url.Values{"v_GRDP": {c.typed}, "lang": {c.lang}, "idempotency_key": {"k-" + c.lang + c.typed}})
		require.Equal(t, http.StatusSeeOther, resp.status, "%s %q: %s", c.lang, c.typed, resp.body)
		d, err := f.engine.Obligation(context.Background(), f.caller("officer"), cycleID, "HNI")
		require.NoError(t, err)
		require.Equal(t, c.stored, d.Versions[0].Values["GRDP"], "%s page, typed %q", c.lang, c.typed)
	}
	// The form shows the latest figure as the page writes it.
	require.Contains(t, string(f.page("officer", "GET", agencyPath, nil).body), `value="8,2"`)
	require.Contains(t, string(f.page("officer", "GET", agencyPath+"?lang=en", nil).body), `value="8.2"`)

	for _, c := range []struct{ lang, typed, says string }{
		{"vi", "12.5", "“12.5”"},
		{"en", "8,2", "“8,2”"},
	} {
		before := f.rowCounts(cycleID)
		resp := f.page("officer", "POST", agencyPath, url.Values{"v_GRDP": {c.typed}, "lang": {c.lang}})
		require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s %q", c.lang, c.typed)
		html := string(resp.body)
		require.Contains(t, html, c.says)
		require.Contains(t, html, `<a href="#v_GRDP">`, "the summary links to the field")
		require.Contains(t, html, `id="errors" tabindex="-1" autofocus`, "the summary takes the focus")
		require.Contains(t, html, `aria-describedby="v_GRDP-error number-help" aria-invalid="true"`)
		require.Contains(t, html, `value="`+c.typed+`"`, "the figure is kept as typed")
		require.Equal(t, before, f.rowCounts(cycleID), "nothing stored")
	}
}

// TestSignInAndOutWithoutJavaScript signs in with the page's form (a POST
// that sets the cookie and redirects), is refused in the page's language
// with the fields marked, and signs out with a POST form.
func TestSignInAndOutWithoutJavaScript(t *testing.T) {
	f := newFixture(t)
	client := *f.http.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	post := func(path string, form url.Values, cookies ...*http.Cookie) *http.Response {
		req, err := http.NewRequest("POST", f.http.URL+path, strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", f.http.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, err := client.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { _ = resp.Body.Close() })
		return resp
	}
	body := func(resp *http.Response) string {
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return string(b)
	}

	resp := post("/signin", url.Values{"email": {"staff@vpcp.gov.vn"}, "password": {"sai"}, "next": {"/cycles"}, "lang": {"vi"}})
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	html := body(resp)
	require.Contains(t, html, "Địa chỉ e-mail hoặc mật khẩu không đúng")
	require.NotContains(t, html, "wrong", "no English on a Vietnamese page")
	require.Contains(t, html, `aria-invalid="true" aria-describedby="password-error"`)
	require.Contains(t, html, `value="staff@vpcp.gov.vn"`, "the address is kept")

	resp = post("/signin", url.Values{"email": {"staff@vpcp.gov.vn"}, "password": {staffPassword}, "next": {"//evil.example"}})
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.Equal(t, "/", resp.Header.Get("Location"), "only a local next page")
	cookies := resp.Cookies()
	require.NotEmpty(t, cookies)

	resp = post("/signout", url.Values{}, cookies...)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.Equal(t, "/signin", resp.Header.Get("Location"))
	req, err := http.NewRequest("GET", f.http.URL+"/", nil)
	require.NoError(t, err)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	got, err := client.Do(req)
	require.NoError(t, err)
	defer got.Body.Close()
	require.Equal(t, http.StatusSeeOther, got.StatusCode, "the session has ended")
}

// TestProblemsInTheAskedLanguage: a client asking for Vietnamese gets the
// title and detail of a problem in Vietnamese; one asking nothing, English.
func TestProblemsInTheAskedLanguage(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		role, method, path string
		body               any
		status             int
		title, detail      string
	}{
		{"staff", "GET", "/api/v1/cycles/NOPE-2026-01", nil, 404, "Không tìm thấy", "Không tìm thấy trang hoặc mục này"},
		{"anonymous", "GET", "/api/v1/me", nil, 401, "Cần đăng nhập", "Phiên làm việc đã hết"},
		{"anonymous", "POST", "/api/v1/session", map[string]string{"email": "staff@vpcp.gov.vn", "password": "sai"}, 401, "Cần đăng nhập", "mật khẩu không đúng"},
	} {
		vi := f.do(c.role, c.method, c.path, c.body, "Accept-Language", "vi-VN,vi;q=0.9")
		require.Equal(t, c.status, vi.status)
		p := vi.problem(t)
		require.Equal(t, c.title, p.Title, "%s %s", c.method, c.path)
		require.Contains(t, p.Detail, c.detail)
		en := f.do(c.role, c.method, c.path, c.body).problem(t)
		require.NotEqual(t, p.Title, en.Title, "English without the header")
		require.NotContains(t, en.Detail, c.detail)
	}
}
