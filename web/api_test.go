package web

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/api"
	"rcm/reporting"
	"rcm/store"
)

func TestListsAreFilteredByScope(t *testing.T) {
	f := newFixture(t)
	codes := func(role, query string) []string {
		var p api.Page[api.Agency]
		f.do(role, "GET", "/api/v1/agencies"+query, nil).decode(t, &p)
		out := make([]string, len(p.Items))
		for i, a := range p.Items {
			out[i] = a.Code
		}
		return out
	}
	require.Equal(t, []string{"BYT", "HCM", "HNI", "HNI-SYT", "HPG", "R-DBSH", "R-DNB", "VN"}, codes("staff", ""))
	require.Equal(t, []string{"HNI", "HNI-SYT", "HPG", "R-DBSH"}, codes("supervisor", ""))
	require.Equal(t, []string{"HNI"}, codes("officer", ""), "an officer sees their agency, not its children")
	require.Equal(t, []string{"HNI", "HNI-SYT"}, codes("supervisor", "?under=HNI"))
	require.Equal(t, 404, f.do("supervisor", "GET", "/api/v1/agencies?under=VN", nil).status, "the root is outside the supervisor's scope")
	require.Equal(t, []string{"HNI", "HPG"}, codes("supervisor", "?kind=city"))

	var users api.Page[api.User]
	f.do("supervisor", "GET", "/api/v1/users", nil).decode(t, &users)
	var emails []string
	for _, u := range users.Items {
		emails = append(emails, u.Email)
	}
	require.Equal(t, []string{"officer@hanoi.gov.vn", "supervisor@dbsh.gov.vn", "reviewer@dbsh.gov.vn"}, emails)

	var regime api.Regime
	f.do("supervisor", "GET", "/api/v1/regimes/KTXH_MONTHLY", nil).decode(t, &regime)
	require.Equal(t, []api.Assignment{{Agency: "HNI"}}, regime.Assignments, "assignments outside the subtree are left out")
	f.do("staff", "GET", "/api/v1/regimes/KTXH_MONTHLY", nil).decode(t, &regime)
	require.Len(t, regime.Assignments, 2)
}

func TestHiddenIsAnsweredLikeAbsent(t *testing.T) {
	f := newFixture(t)
	hidden := f.do("supervisor", "GET", "/api/v1/agencies/HCM", nil)
	absent := f.do("supervisor", "GET", "/api/v1/agencies/NOWHERE", nil)
	require.Equal(t, http.StatusNotFound, hidden.status)
	require.Equal(t, absent.status, hidden.status)
	ph, pa := hidden.problem(t), absent.problem(t)
	require.Equal(t, strings.ReplaceAll(pa.Detail, "NOWHERE", "HCM"), ph.Detail)
	require.Equal(t, pa.Type, ph.Type)
	require.Equal(t, pa.Title, ph.Title)

	// Tokens are self-service: a supervisor cannot mint one for an officer of their own subtree.
	officer := f.users["officer"].ID
	require.Equal(t, 404, f.do("supervisor", "POST", fmt.Sprintf("/api/v1/users/%d/tokens", officer), map[string]string{}).status)
	require.Equal(t, 200, f.do("supervisor", "GET", fmt.Sprintf("/api/v1/users/%d", officer), nil).status)
	require.Equal(t, 404, f.do("officer", "GET", fmt.Sprintf("/api/v1/users/%d", f.users["supervisor"].ID), nil).status)
	require.Equal(t, 404, f.do("staff", "GET", "/api/v1/users/abc", nil).status)
}

func TestProblemDetails(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name       string
		method     string
		path       string
		body       any
		headers    []string
		wantStatus int
		wantType   string
		wantDetail string
		wantField  string
	}{
		{"malformed JSON names line and column", "POST", "/api/v1/users", "{\n  \"email\": \"a@b.vn\",\n  \"role\" \"staff\"\n}", nil,
			400, typeMalformed, "line 3, column 10", ""},
		{"unknown field named", "POST", "/api/v1/users", `{"email": "a@b.vn", "role": "staff", "rol": "x"}`, nil,
			400, typeMalformed, `unknown field "rol"`, "rol"},
		{"wrong type names the field", "POST", "/api/v1/users", `{"email": "a@b.vn", "role": 3}`, nil,
			400, typeMalformed, "field role", "role"},
		{"empty body", "POST", "/api/v1/users", "", nil, 400, typeMalformed, "empty", ""},
		{"two documents", "POST", "/api/v1/users", `{"email": "a@b.vn", "role": "staff"} {}`, nil, 400, typeMalformed, "more after", ""},
		{"not JSON", "POST", "/api/v1/users", `email=a`, []string{"Content-Type", "application/x-www-form-urlencoded"},
			415, typeMediaType, "application/json", ""},
		{"invalid fields named", "POST", "/api/v1/users", map[string]string{"email": "nobody", "role": "officer"}, nil,
			422, typeValidation, "", "email"},
		{"import refers to a missing parent", "POST", "/api/v1/agencies:import",
			[]map[string]string{{"code": "X1", "parent": "VN", "name_vi": "X", "kind": "other"}, {"code": "X2", "parent": "NOPE", "name_vi": "X", "kind": "other"}}, nil,
			422, typeValidation, "", "[1].parent"},
		{"regime with a bad offset", "POST", "/api/v1/regimes", map[string]any{"code": "RX", "name_vi": "X", "template": "KTXH",
			"cadence": "monthly", "deadline_rule": "days:2", "policy": map[string]any{"reminder_offsets": []string{"three days"}}}, nil,
			422, typeValidation, "", "policy.reminder_offsets[0]"},
		{"regime with a bad rule and escalation", "POST", "/api/v1/regimes", map[string]any{"code": "RX", "name_vi": "X", "template": "KTXH",
			"cadence": "monthly", "deadline_rule": "days:2", "policy": map[string]any{"escalations": []map[string]any{{"after": "1d", "recipients": []string{"mayor"}}}}}, nil,
			422, typeValidation, "", "policy.escalations[0].recipients[0]"},
		{"duplicate user", "POST", "/api/v1/users", map[string]string{"email": "officer@hanoi.gov.vn", "role": "staff"}, nil,
			409, typeConflict, "exists already", ""},
		{"bad limit", "GET", "/api/v1/agencies?limit=5000", nil, nil, 400, typeMalformed, "limit", "limit"},
		{"no such endpoint", "GET", "/api/v1/nothing", nil, nil, 404, typeNotFound, "openapi.json", ""},
		{"wrong method", "PATCH", "/api/v1/agencies", nil, nil, 405, typeMethod, "GET", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := f.do("staff", tt.method, tt.path, tt.body, tt.headers...)
			require.Equal(t, tt.wantStatus, resp.status, "body %s", resp.body)
			p := resp.problem(t)
			require.Equal(t, tt.wantStatus, p.Status)
			require.Equal(t, tt.wantType, p.Type)
			require.NotEmpty(t, p.Title)
			require.Contains(t, p.Detail, tt.wantDetail)
			if tt.wantField != "" {
				var fields []string
				for _, e := range p.Errors {
					fields = append(fields, e.Field)
				}
				require.Contains(t, fields, tt.wantField, "errors: %+v", p.Errors)
			}
		})
	}
}

func TestBodyLimits(t *testing.T) {
	f := newFixture(t)
	big := fmt.Sprintf(`{"email": "a@b.vn", "role": "staff", "name": %q}`, strings.Repeat("x", 70<<10))
	resp := f.do("staff", "POST", "/api/v1/users", big)
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.status)
	require.Equal(t, typeTooLarge, resp.problem(t).Type)

	// Imports are uploads, with the larger limit: 100 KiB passes, 300 KiB does not.
	rows := func(n int) []map[string]string {
		out := make([]map[string]string, n)
		for i := range out {
			out[i] = map[string]string{"code": fmt.Sprintf("D%d", i), "parent": "HNI", "name_vi": "Phòng " + strings.Repeat("x", 60), "kind": "department"}
		}
		return out
	}
	require.Equal(t, 200, f.do("staff", "POST", "/api/v1/agencies:import", rows(900)).status)
	resp = f.do("staff", "POST", "/api/v1/agencies:import", rows(3000))
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.status)
	_, err := f.store.Agency(context.Background(), "D2999")
	require.ErrorIs(t, err, store.ErrNotFound)
}

func TestTokenExpiryAndRevocation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	officer := f.users["officer"]

	past := time.Now().Add(-time.Minute)
	expired, _, err := f.engine.CreateToken(ctx, seeder, officer.ID, "old", &past)
	require.NoError(t, err)
	f.tokens["expired"] = expired
	resp := f.do("expired", "GET", "/api/v1/me", nil)
	require.Equal(t, 401, resp.status)
	require.Contains(t, resp.problem(t).Detail, "expired")
	require.Equal(t, `Bearer realm="rcm"`, resp.header.Get("WWW-Authenticate"))

	// The officer makes a token, uses it, revokes it; then it is refused.
	var created api.NewToken
	resp = f.do("officer", "POST", fmt.Sprintf("/api/v1/users/%d/tokens", officer.ID), map[string]string{"name": "laptop", "expires_in": "90d"})
	require.Equal(t, 201, resp.status)
	resp.decode(t, &created)
	require.True(t, strings.HasPrefix(created.Secret, store.TokenPrefix))
	require.WithinDuration(t, time.Now().Add(90*24*time.Hour), *created.ExpiresAt, time.Minute)
	f.tokens["laptop"] = created.Secret
	require.Equal(t, 200, f.do("laptop", "GET", "/api/v1/me", nil).status)
	require.Equal(t, 200, f.do("officer", "DELETE", fmt.Sprintf("/api/v1/tokens/%d", created.ID), nil).status)
	resp = f.do("laptop", "GET", "/api/v1/me", nil)
	require.Equal(t, 401, resp.status)
	require.Contains(t, resp.problem(t).Detail, "revoked")

	f.tokens["garbage"] = "rcm_not-a-token"
	require.Equal(t, 401, f.do("garbage", "GET", "/api/v1/me", nil).status)
	require.Equal(t, 401, f.do("anonymous", "GET", "/api/v1/me", nil, "Authorization", "Basic abc").status)

	// The list never shows secrets.
	resp = f.do("officer", "GET", fmt.Sprintf("/api/v1/users/%d/tokens", officer.ID), nil)
	require.NotContains(t, string(resp.body), created.Secret)
	require.NotContains(t, string(resp.body), `"token"`)
}

func TestSessionCookieAndCSRF(t *testing.T) {
	f := newFixture(t)
	resp := f.do("anonymous", "POST", "/api/v1/session", map[string]string{"email": "staff@vpcp.gov.vn", "password": "wrong password"})
	require.Equal(t, 401, resp.status)

	resp = f.do("anonymous", "POST", "/api/v1/session", map[string]string{"email": "STAFF@vpcp.gov.vn", "password": staffPassword})
	require.Equal(t, 201, resp.status)
	var cookie *http.Cookie
	for _, c := range (&http.Response{Header: resp.header}).Cookies() {
		if c.Name == SessionCookie {
			cookie = c
		}
	}
	require.NotNil(t, cookie)
	require.True(t, cookie.HttpOnly)
	require.Equal(t, http.SameSiteLaxMode, cookie.SameSite)
	require.False(t, cookie.Secure, "the test server is plain http")
	withCookie := []string{"Cookie", SessionCookie + "=" + cookie.Value}

	require.Equal(t, 200, f.do("anonymous", "GET", "/api/v1/me", nil, withCookie...).status)
	staffID := f.users["staff"].ID
	tokenPath := fmt.Sprintf("/api/v1/users/%d/tokens", staffID)

	// A cross-origin page cannot use the cookie to change anything.
	crossSite := append([]string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, withCookie...)
	resp = f.do("anonymous", "POST", tokenPath, map[string]string{"name": "csrf"}, crossSite...)
	require.Equal(t, 403, resp.status)
	require.Contains(t, resp.problem(t).Detail, "cross-origin")
	tokens, err := f.store.ListTokens(context.Background(), staffID)
	require.NoError(t, err)
	require.Len(t, tokens, 1, "no token was created")
	resp = f.do("anonymous", "POST", "/api/v1/session", map[string]string{"email": "staff@vpcp.gov.vn", "password": staffPassword},
		"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	require.Equal(t, 403, resp.status, "no sign-in from another site either")

	// The same request from the same origin works.
	sameSite := append([]string{"Origin", f.http.URL, "Sec-Fetch-Site", "same-origin"}, withCookie...)
	require.Equal(t, 201, f.do("anonymous", "POST", tokenPath, map[string]string{"name": "page"}, sameSite...).status)

	// Signing out ends the session.
	require.Equal(t, 204, f.do("anonymous", "DELETE", "/api/v1/session", nil, sameSite...).status)
	require.Equal(t, 401, f.do("anonymous", "GET", "/api/v1/me", nil, withCookie...).status)
}

func TestAuditLog(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	staffID := f.users["staff"].ID

	require.Equal(t, 200, f.do("staff", "POST", "/api/v1/agencies:import",
		[]map[string]string{{"code": "HNI-STC", "parent": "HNI", "name_vi": "Sở Tài chính", "kind": "department"}}).status)
	var u api.User
	f.do("staff", "POST", "/api/v1/users", map[string]string{"email": "new@x.vn", "role": "officer", "agency": "HNI-STC"}).decode(t, &u)
	var tok api.NewToken
	require.Equal(t, 403, f.do("staff", "POST", fmt.Sprintf("/api/v1/users/%d/tokens", u.ID), map[string]string{"name": "n"}).status,
		"nobody mints a token for someone else")
	f.do("staff", "POST", fmt.Sprintf("/api/v1/users/%d/tokens", staffID), map[string]string{"name": "n"}).decode(t, &tok)
	require.Equal(t, 200, f.do("staff", "DELETE", fmt.Sprintf("/api/v1/tokens/%d", tok.ID), nil).status)
	require.Equal(t, 201, f.do("staff", "POST", "/api/v1/templates", toTemplateJSON(testTemplate("AUD"))).status)
	require.Equal(t, 200, f.do("staff", "PUT", "/api/v1/regimes/KTXH_MONTHLY/assignments", []map[string]string{{"agency": "HNI-STC"}}).status)
	// Refused changes leave no audit row of a change.
	require.Equal(t, 403, f.do("officer", "POST", "/api/v1/templates", toTemplateJSON(testTemplate("NOPE"))).status)
	require.Equal(t, 201, f.do("anonymous", "POST", "/api/v1/session", map[string]string{"email": "staff@vpcp.gov.vn", "password": staffPassword}).status)
	require.Equal(t, 401, f.do("anonymous", "POST", "/api/v1/session", map[string]string{"email": "staff@vpcp.gov.vn", "password": "wrong guess"}).status)

	log, err := f.store.AuditLog(ctx, store.AuditFilter{After: f.auditMark})
	require.NoError(t, err)
	type row struct{ actor, action, object string }
	var got []row
	for _, e := range log {
		got = append(got, row{e.Actor, e.Action, e.Object})
		require.Equal(t, "127.0.0.1", e.RemoteAddr)
		if e.Action != "session.refused" {
			require.Equal(t, staffID, *e.ActorID)
		}
	}
	require.Equal(t, []row{
		{"staff@vpcp.gov.vn", "agency.import", "agencies"},
		{"staff@vpcp.gov.vn", "user.create", fmt.Sprintf("user/%d", u.ID)},
		{"staff@vpcp.gov.vn", "token.create", fmt.Sprintf("token/%d", tok.ID)},
		{"staff@vpcp.gov.vn", "token.revoke", fmt.Sprintf("token/%d", tok.ID)},
		{"staff@vpcp.gov.vn", "template.create", "template/AUD"},
		{"staff@vpcp.gov.vn", "regime.assign", "regime/KTXH_MONTHLY"},
		{"staff@vpcp.gov.vn", "session.create", fmt.Sprintf("user/%d", staffID)},
		{"staff@vpcp.gov.vn", "session.refused", "user/staff@vpcp.gov.vn"},
	}, got)
	require.Equal(t, map[string]any{"received": float64(1), "created": float64(1), "updated": float64(0)}, log[0].Details)
	for _, e := range log {
		for _, v := range e.Details {
			require.NotContains(t, fmt.Sprint(v), staffPassword, "passwords never reach the log")
		}
	}
}

func TestPagination(t *testing.T) {
	f := newFixture(t)
	var all []string
	path := "/api/v1/agencies?limit=3"
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10)
		var p api.Page[api.Agency]
		f.do("staff", "GET", path, nil).decode(t, &p)
		require.LessOrEqual(t, len(p.Items), 3)
		for _, a := range p.Items {
			all = append(all, a.Code)
		}
		if p.Next == "" {
			break
		}
		path = "/api/v1/agencies?limit=3&after=" + p.Next
	}
	require.Equal(t, []string{"BYT", "HCM", "HNI", "HNI-SYT", "HPG", "R-DBSH", "R-DNB", "VN"}, all)
}

func TestTemplateAndRegimeRoundTrip(t *testing.T) {
	f := newFixture(t)
	in := `{"code": "BC01", "name_vi": "Báo cáo 01", "indicators": [
		{"code": "A", "name_vi": "Chỉ tiêu A", "type": "integer", "required": true, "min": 0, "max": "1000", "aggregation": "sum"}]}`
	resp := f.do("staff", "POST", "/api/v1/templates", in)
	require.Equal(t, 201, resp.status, "%s", resp.body)
	var tmpl api.Template
	f.do("officer", "GET", "/api/v1/templates/BC01", nil).decode(t, &tmpl)
	require.Equal(t, api.DecimalText("0"), tmpl.Indicators[0].Min)
	require.Equal(t, api.DecimalText("1000"), tmpl.Indicators[0].Max)
	require.Equal(t, 409, f.do("staff", "POST", "/api/v1/templates", in).status)

	xlsx := f.do("officer", "GET", "/api/v1/templates/BC01/xlsx?lang=en", nil)
	require.Equal(t, 200, xlsx.status)
	require.Equal(t, `attachment; filename="BC01.xlsx"`, xlsx.header.Get("Content-Disposition"))
	require.True(t, strings.HasPrefix(string(xlsx.body), "PK"))
	require.Equal(t, 404, f.do("officer", "GET", "/api/v1/templates/NOPE/xlsx", nil).status)

	regime := map[string]any{"code": "BC01_Q", "name_vi": "Báo cáo quý", "template": "BC01", "cadence": "quarterly",
		"deadline_rule": "workdays:2", "holidays": []string{"2026-09-02"},
		"policy": map[string]any{"reminder_offsets": []string{"3d", "1d"},
			"escalations": []map[string]any{{"after": "1d", "recipients": []string{"officer", "head"}, "repeat": "1d", "times": 2}},
			"review_time": "2d", "close_after": "10d"},
		"assignments": []map[string]string{{"agency": "HNI", "active_from": "2026-01-01"}}}
	resp = f.do("staff", "POST", "/api/v1/regimes", regime)
	require.Equal(t, 201, resp.status, "%s", resp.body)
	var got api.Regime
	resp.decode(t, &got)
	require.Equal(t, []string{"3d", "1d"}, got.Policy.ReminderOffsets)
	require.Equal(t, "workdays:2", got.DeadlineRule)
	require.Equal(t, "Asia/Ho_Chi_Minh", got.TimeZone)
	require.Equal(t, []reporting.EscalationDoc{{After: "1d", Recipients: []string{"officer", "head"}, Repeat: "1d", Times: 2}}, got.Policy.Escalations)
	require.Equal(t, "2026-01-01", got.Assignments[0].ActiveFrom.String())
	require.Equal(t, 409, f.do("staff", "POST", "/api/v1/regimes", regime).status)
	require.Equal(t, 404, f.do("staff", "PUT", "/api/v1/regimes/NOPE/assignments", []map[string]string{}).status)
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	f := newFixture(t)
	require.Equal(t, 200, f.do("anonymous", "GET", "/healthz", nil).status)
	require.Equal(t, 200, f.do("anonymous", "GET", "/readyz", nil).status)
	require.Equal(t, 200, f.do("staff", "GET", "/api/v1/agencies/HNI", nil).status)
	require.Equal(t, 404, f.do("supervisor", "GET", "/api/v1/agencies/HCM", nil).status)
	metrics := string(f.do("staff", "GET", "/metrics", nil).body)
	require.Contains(t, metrics, `rcm_http_requests_total{route="GET /api/v1/agencies/{code}",status="200"} 1`)
	require.Contains(t, metrics, `rcm_http_requests_total{route="GET /api/v1/agencies/{code}",status="404"} 1`)
	require.Contains(t, metrics, `rcm_http_request_duration_seconds_bucket{route="GET /api/v1/agencies/{code}"`)
	require.NotContains(t, metrics, "/api/v1/agencies/HNI", "labels are patterns, not paths")

	down := NewServer(Config{}, Deps{Operations: f.engine, ReadyChecks: map[string]ReadyCheck{
		"temporal": func(context.Context) error { return errors.New("connection refused") }}})
	rec := serve(t, down.Handler(), mustRequest(t, "GET", "/readyz"))
	require.Equal(t, 503, rec.status)
	require.Contains(t, rec.body.String(), `"temporal":"unavailable"`)
	require.Contains(t, rec.body.String(), `"database":"ok"`)
}

func TestRunShutsDownGracefully(t *testing.T) {
	f := newFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.server.Serve(ctx, ln) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after its context ended")
	}
}
