package web

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// hostilePath fills a route's path: the first wildcard with value, the
// others with a plain code. It returns the path and the first wildcard's name.
func hostilePath(path, value string) (string, string) {
	first := ""
	out := pathWildcard.ReplaceAllStringFunc(path, func(w string) string {
		name := pathWildcard.FindStringSubmatch(w)[1]
		if first == "" {
			first = name
			return value
		}
		return "X"
	})
	return strings.ReplaceAll(out, "{$}", ""), first
}

// Every route, API and page, refuses a NUL or invalid UTF-8 in a path value
// and in a query value with a 400 naming it, before the scope check or the
// handler reads it (a NUL reaching PostgreSQL answered 500).
func TestEveryRouteRefusesHostilePathAndQueryValues(t *testing.T) {
	f := newFixture(t)
	routes := append(f.server.Routes(), f.server.Pages()...)
	for _, rt := range routes {
		t.Run(rt.Pattern(), func(t *testing.T) {
			for _, bad := range []string{"A%00B", "A%FFB"} {
				path, name := hostilePath(rt.Path, bad)
				if name != "" {
					resp := f.page("staff", rt.Method, path, nil)
					require.Equal(t, http.StatusBadRequest, resp.status, "%s %s: %s", rt.Method, path, resp.body)
					if strings.HasPrefix(rt.Path, "/api/") {
						require.Equal(t, name, resp.problem(t).Errors[0].Field)
					}
				}
				plain, _ := hostilePath(rt.Path, "X")
				for _, query := range []string{"q=" + bad, bad + "=1"} {
					resp := f.page("staff", rt.Method, plain+"?"+query, nil)
					require.Equal(t, http.StatusBadRequest, resp.status, "%s %s?%s: %s", rt.Method, plain, query, resp.body)
				}
			}
		})
	}
}

// Bodies of every kind — JSON, forms, multipart fields, CSV, the
// Idempotency-Key — refuse NUL and invalid UTF-8 with a 400 naming the
// field, JSON refuses a key given twice, and none of them stores anything.
func TestHostileBodiesAreRefusedNamingTheField(t *testing.T) {
	f := newFixture(t)
	w := f.cycles()
	subPath := "/api/v1/cycles/" + w.cycleID + "/agencies/HNI/submissions"
	var multi bytes.Buffer
	mw := multipart.NewWriter(&multi)
	require.NoError(t, mw.WriteField("narrative", "ghi chú\x00"))
	fw, err := mw.CreateFormFile("file", "bao-cao.csv")
	require.NoError(t, err)
	_, err = fw.Write([]byte("indicator,value\nGRDP,5\n"))
	require.NoError(t, err)
	require.NoError(t, mw.Close())

	for _, tc := range []struct {
		name, role, method, path, contentType, body string
		headers                                     []string
		field                                       string
		status                                      int // 0: 400
	}{
		{"NUL in an agency name", "staff", "POST", "/api/v1/agencies:import", "application/json",
			`[{"code":"HNI-X","parent":"HNI","name_vi":"a\u0000b","kind":"department"}]`, nil, "[0].name_vi", 0},
		{"invalid UTF-8 in an agency name", "staff", "POST", "/api/v1/agencies:import", "application/json",
			"[{\"code\":\"HNI-X\",\"parent\":\"HNI\",\"name_vi\":\"a\xffb\",\"kind\":\"department\"}]", nil, "[0].name_vi", 0},
		{"NUL in a key", "staff", "POST", "/api/v1/agencies:import", "application/json",
			`[{"code\u0000":"HNI-X"}]`, nil, "[0].code\x00", 0},
		{"NUL in the sign-in e-mail", "anonymous", "POST", "/api/v1/session", "application/json",
			`{"email":"a\u0000@x.vn","password":"whatever-password"}`, nil, "email", 0},
		{"invalid UTF-8 in the password", "anonymous", "POST", "/api/v1/session", "application/json",
			"{\"email\":\"a@x.vn\",\"password\":\"\xc3\"}", nil, "password", 0},
		{"a lone surrogate in a cycle's regime", "staff", "POST", "/api/v1/cycles", "application/json",
			`{"regime":"\ud800","period":"2026-01"}`, nil, "regime", 0},
		{"a value given twice", "officer", "POST", subPath, "application/json",
			`{"values":{"GRDP":"1","GRDP":"2"}}`, nil, "values.GRDP", 0},
		{"a key given twice at the top", "officer", "POST", subPath, "application/json",
			`{"values":{"GRDP":"1"},"narrative":"a","narrative":"b"}`, nil, "narrative", 0},
		{"NUL in a narrative", "officer", "POST", subPath, "application/json",
			`{"values":{"GRDP":"1"},"narrative":"x\u0000"}`, nil, "narrative", 0},
		{"NUL in a text value", "officer", "POST", subPath, "application/json",
			`{"values":{"GRDP":"1","NOTE":"x\u0000"}}`, nil, "values.NOTE", 0},
		{"NUL in a CSV value", "officer", "POST", subPath, "text/csv",
			"indicator,value\nGRDP,1\nNOTE,a\x00b\n", nil, "values.NOTE", 422}, // the file reader names its line
		{"NUL in a multipart narrative", "officer", "POST", subPath, mw.FormDataContentType(),
			multi.String(), nil, "narrative", 0},
		{"invalid UTF-8 in the Idempotency-Key", "officer", "POST", subPath, "application/json",
			`{"values":{"GRDP":"1"}}`, []string{"Idempotency-Key", "key-\xff"}, "Idempotency-Key", 0},
		{"NUL in a review reason", "staff", "POST", fmt.Sprintf("/api/v1/submissions/%d/review", w.subs["HNI"].SubmissionID),
			"application/json", `{"decision":"returned","reason":"sai\u0000"}`, nil, "reason", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.storedCounts()
			headers := append([]string{"Content-Type", tc.contentType}, tc.headers...)
			resp := f.do(tc.role, tc.method, tc.path, []byte(tc.body), headers...)
			want := cmp.Or(tc.status, http.StatusBadRequest)
			require.Equal(t, want, resp.status, "%s", resp.body)
			p := resp.problem(t)
			require.NotEmpty(t, p.Errors, "%s", resp.body)
			require.Equal(t, tc.field, p.Errors[0].Field)
			require.Equal(t, before, f.storedCounts(), "nothing is stored")
		})
	}

	// The pages' forms: the review form and the agency's form.
	before := f.storedCounts()
	resp := f.page("staff", "POST", fmt.Sprintf("/review/%d", w.subs["HNI"].SubmissionID), url.Values{"decision": {"returned"}, "reason": {"sai\x00"}})
	require.Equal(t, http.StatusBadRequest, resp.status)
	require.Contains(t, string(resp.body), "Lý do: chứa ký tự NUL", "the field and why, in the page's language")
	resp = f.page("officer", "POST", "/cycles/"+w.cycleID+"/agencies/HNI", url.Values{"v_GRDP": {"5"}, "narrative": {"\xff"}})
	require.Equal(t, http.StatusBadRequest, resp.status)
	require.Contains(t, string(resp.body), "Thuyết minh: không phải văn bản hợp lệ")
	require.Equal(t, before, f.storedCounts(), "nothing is stored")
}

// storedCounts counts the rows a refused request must not add.
func (f *fixture) storedCounts() [4]int {
	f.t.Helper()
	var n [4]int
	for i, table := range []string{"submissions", "reviews", "agencies", "audit_log"} {
		require.NoError(f.t, f.store.Pool().QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n[i]))
	}
	return n
}

// After signing in, only a path of this site is followed: anything a
// browser could read as another site goes to "/".
func TestSignInNextStaysOnTheSite(t *testing.T) {
	for next, want := range map[string]string{
		"/cycles/X/agencies/HNI?lang=en": "/cycles/X/agencies/HNI?lang=en",
		"/":                              "/",
		"":                               "/",
		"//evil.example/":                "/",
		"/\\evil.example/":               "/",
		"/\t/evil.example/":              "/",
		"/\r\n/evil.example/":            "/",
		"/%09/evil.example/":             "/%09/evil.example/", // percent-encoded: a path here
		"https://evil.example/":          "/",
		"javascript:alert(1)":            "/",
		"evil.example":                   "/",
		"/x\\y":                          "/",
		"/\x00":                          "/",
		"/\u2028/evil.example":           "/",
	} {
		require.Equal(t, want, safeNext(next), "next %q", next)
	}
	f := newFixture(t)
	resp := f.page("anonymous", "GET", "/signin?next="+url.QueryEscape("/\t/evil.example/"), nil)
	require.Equal(t, 200, resp.status)
	require.Contains(t, string(resp.body), `name="next" value="/"`)
	resp = f.page("anonymous", "GET", "/signin?next="+url.QueryEscape("/cycles/X"), nil)
	require.Contains(t, string(resp.body), `name="next" value="/cycles/X"`)
}

// Pages carry a CSP that allows no inline script or style and no framing,
// and the pages keep to it: no template has an inline script, style or
// event handler. HSTS is sent when the server is reached over https.
func TestPagesSendSecurityHeadersAndNoInlineCode(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/signin", "/", "/api/v1/me", "/static/rcm.css"} {
		resp := f.page("officer", "GET", path, nil)
		csp := resp.header.Get("Content-Security-Policy")
		require.Contains(t, csp, "frame-ancestors 'none'", path)
		require.Contains(t, csp, "script-src 'self'", path)
		require.NotContains(t, csp, "unsafe-inline", path)
		require.Equal(t, "nosniff", resp.header.Get("X-Content-Type-Options"), path)
		require.Equal(t, "same-origin", resp.header.Get("Referrer-Policy"), path)
		require.Empty(t, resp.header.Get("Strict-Transport-Security"), "plain http: no HSTS")
	}
	inline := regexp.MustCompile(`(?i)<script(\s[^>]*)?>\s*[^<\s]|<style|\sstyle=|\son[a-z]+=|javascript:`)
	require.NoError(t, fs.WalkDir(viewFiles, "views", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(viewFiles, path)
		require.NoError(t, err)
		require.Nil(t, inline.Find(b), "%s has inline code: %q", path, inline.Find(b))
		return nil
	}))
	resp := f.page("anonymous", "GET", "/signin", nil)
	require.NotContains(t, string(resp.body), "<script", "the pages need no script: sign-in and sign-out are plain forms")
	require.Contains(t, string(resp.body), `<link rel="stylesheet" href="/static/rcm.css">`)
	css := f.page("anonymous", "GET", "/static/rcm.css", nil)
	require.Equal(t, 200, css.status)
	require.Contains(t, css.header.Get("Content-Type"), "text/css")

	secure := NewServer(Config{BaseURL: "https://rcm.example.gov.vn"}, Deps{Operations: f.engine})
	rec := serve(t, secure.Handler(), mustRequest(t, "GET", "/signin"))
	require.Equal(t, "max-age=31536000; includeSubDomains", rec.header.Get("Strict-Transport-Security"))
}
