package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/access"
	"rcm/api"
	"rcm/store"
)

// accountUser is an officer of HNI with a password, an API token and a
// signed-in session cookie.
type accountUser struct {
	id       int64
	email    string
	password string
	token    string
	cookie   string
}

func (f *fixture) accountUser(t *testing.T) accountUser {
	t.Helper()
	ctx := context.Background()
	u := accountUser{email: fmt.Sprintf("acct%d@hanoi.gov.vn", f.next()), password: "mật khẩu ban đầu"}
	created, err := f.engine.CreateUser(ctx, seeder, store.User{Email: u.email, Role: access.Officer, AgencyCode: "HNI"}, u.password)
	require.NoError(t, err)
	u.id = created.ID
	u.token, _, err = f.engine.CreateToken(ctx, seeder, u.id, "acct", nil)
	require.NoError(t, err)
	u.cookie = f.signIn(t, u.email, u.password)
	return u
}

// signIn signs in with a password and returns the session cookie header.
func (f *fixture) signIn(t *testing.T, email, password string) string {
	t.Helper()
	resp := signInAt(t, f.http.URL, email, password)
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	for _, c := range (&http.Response{Header: resp.header}).Cookies() {
		if c.Name == SessionCookie {
			return SessionCookie + "=" + c.Value
		}
	}
	t.Fatal("the sign-in set no session cookie")
	return ""
}

// asToken and asCookie call the API as the user.
func (f *fixture) asToken(token, method, path string, body any) response {
	return f.do("", method, path, body, "Authorization", "Bearer "+token)
}

func (f *fixture) asCookie(cookie, method, path string, body any) response {
	return f.do("", method, path, body, "Cookie", cookie, "Origin", f.http.URL, "Sec-Fetch-Site", "same-origin")
}

// TestDisabledUserIsRefusedAtOnce disables a user while they hold a token and
// a session: the next request with either is 401, through the real server
// and database; re-enabling brings the token back but not the session.
func TestDisabledUserIsRefusedAtOnce(t *testing.T) {
	f := newFixture(t)
	u := f.accountUser(t)
	require.Equal(t, http.StatusOK, f.asToken(u.token, "GET", "/api/v1/me", nil).status)
	require.Equal(t, http.StatusOK, f.asCookie(u.cookie, "GET", "/api/v1/me", nil).status)

	resp := f.do("staff", "POST", fmt.Sprintf("/api/v1/users/%d/disable", u.id), nil)
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	var disabled api.User
	require.NoError(t, json.Unmarshal(resp.body, &disabled))
	require.NotNil(t, disabled.DisabledAt)

	for name, got := range map[string]response{
		"token":   f.asToken(u.token, "GET", "/api/v1/me", nil),
		"session": f.asCookie(u.cookie, "GET", "/api/v1/me", nil),
	} {
		require.Equal(t, http.StatusUnauthorized, got.status, "%s: %s", name, got.body)
	}
	require.Equal(t, http.StatusUnauthorized, signInAt(t, f.http.URL, u.email, u.password).status)

	// Staff cannot disable themselves (a field error), nor can an officer disable anyone.
	resp = f.do("staff", "POST", fmt.Sprintf("/api/v1/users/%d/disable", f.users["staff"].ID), nil)
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
	require.Contains(t, string(resp.body), `"field":"id"`)
	require.Equal(t, http.StatusForbidden, f.do("officer", "POST", fmt.Sprintf("/api/v1/users/%d/disable", u.id), nil).status)

	require.Equal(t, http.StatusOK, f.do("staff", "POST", fmt.Sprintf("/api/v1/users/%d/enable", u.id), nil).status)
	require.Equal(t, http.StatusOK, f.asToken(u.token, "GET", "/api/v1/me", nil).status)
	require.Equal(t, http.StatusUnauthorized, f.asCookie(u.cookie, "GET", "/api/v1/me", nil).status, "sessions ended with the disable")

	actions := strings.Join(f.auditActions(t), "\n")
	require.Contains(t, actions, fmt.Sprintf("user.disable user/%d", u.id))
	require.Contains(t, actions, fmt.Sprintf("user.enable user/%d", u.id))
}

// TestChangeOwnPasswordNeedsTheCurrentOne changes a password with the
// current one (other sessions end, the one used stays) and refuses a wrong
// current password and a short new one, naming the field.
func TestChangeOwnPasswordNeedsTheCurrentOne(t *testing.T) {
	f := newFixture(t)
	u := f.accountUser(t)
	other := f.signIn(t, u.email, u.password)

	resp := f.asCookie(u.cookie, "PUT", "/api/v1/me/password", map[string]string{"current_password": "sai mật khẩu rồi", "new_password": "mật khẩu mới dài"})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	require.Contains(t, string(resp.body), `"field":"current_password"`)
	resp = f.asCookie(u.cookie, "PUT", "/api/v1/me/password", map[string]string{"current_password": u.password, "new_password": "ngắn"})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	require.Contains(t, string(resp.body), `"field":"new_password"`)
	resp = f.asCookie(u.cookie, "PUT", "/api/v1/me/password", map[string]string{"current_password": "\x00", "new_password": "x"})
	require.Equal(t, http.StatusBadRequest, resp.status)

	resp = f.asCookie(u.cookie, "PUT", "/api/v1/me/password", map[string]string{"current_password": u.password, "new_password": "mật khẩu mới dài"})
	require.Equal(t, http.StatusNoContent, resp.status, "%s", resp.body)
	require.Equal(t, http.StatusOK, f.asCookie(u.cookie, "GET", "/api/v1/me", nil).status, "the session used stays")
	require.Equal(t, http.StatusUnauthorized, f.asCookie(other, "GET", "/api/v1/me", nil).status, "other sessions end")
	require.Equal(t, http.StatusUnauthorized, signInAt(t, f.http.URL, u.email, u.password).status)
	f.signIn(t, u.email, "mật khẩu mới dài")
}

var resetLink = regexp.MustCompile(`http://rcm\.test/reset-password\?token=(\S+)`)

// TestPasswordResetLinkWorksOnceAndExpires has staff reset a password: the
// link arrives by mail, sets a new password once, ends the user's sessions,
// and neither a used nor an expired link works; the database holds only
// hashes of the links.
func TestPasswordResetLinkWorksOnceAndExpires(t *testing.T) {
	f := newFixture(t)
	u := f.accountUser(t)
	resetAndRead := func() string {
		t.Helper()
		before := len(f.mail.Messages())
		resp := f.do("staff", "POST", fmt.Sprintf("/api/v1/users/%d/password-reset", u.id), nil)
		require.Equal(t, http.StatusAccepted, resp.status, "%s", resp.body)
		var sent api.PasswordResetSent
		require.NoError(t, json.Unmarshal(resp.body, &sent))
		require.WithinDuration(t, time.Now().Add(time.Hour), sent.ExpiresAt, time.Minute)
		msgs := f.mail.WaitFor(t, before+1, 10*time.Second)
		msg := msgs[len(msgs)-1]
		require.Equal(t, []string{u.email}, msg.To)
		text, err := msg.Text()
		require.NoError(t, err)
		m := resetLink.FindStringSubmatch(text)
		require.NotNil(t, m, "no link in %q", text)
		secret, err := url.QueryUnescape(m[1])
		require.NoError(t, err)
		var stored int
		require.NoError(t, f.store.Pool().QueryRow(context.Background(),
			`SELECT count(*) FROM password_resets WHERE token_hash = sha256(convert_to($1, 'UTF8'))`, secret).Scan(&stored))
		require.Equal(t, 1, stored, "the link is stored as its SHA-256")
		return secret
	}
	use := func(secret, password string) response {
		return f.do("", "POST", "/api/v1/password-reset", map[string]string{"token": secret, "new_password": password})
	}

	first := resetAndRead()
	second := resetAndRead()
	resp := use(first, "mật khẩu đặt lại")
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "a newer link voids the older")
	require.Contains(t, string(resp.body), `"field":"token"`)
	resp = use(second, "ngắn")
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	require.Contains(t, string(resp.body), `"field":"new_password"`)

	require.Equal(t, http.StatusNoContent, use(second, "mật khẩu đặt lại").status)
	require.Equal(t, http.StatusUnauthorized, f.asCookie(u.cookie, "GET", "/api/v1/me", nil).status, "sessions end")
	f.signIn(t, u.email, "mật khẩu đặt lại")
	require.Equal(t, http.StatusUnprocessableEntity, use(second, "mật khẩu lần hai").status, "a link works once")

	expired := resetAndRead()
	_, err := f.store.Pool().Exec(context.Background(), `UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND used_at IS NULL`, u.id)
	require.NoError(t, err)
	require.Equal(t, http.StatusUnprocessableEntity, use(expired, "mật khẩu hết hạn").status, "an expired link does not work")
	f.signIn(t, u.email, "mật khẩu đặt lại")

	log, err := f.store.AuditLog(context.Background(), store.AuditFilter{Action: "user.password_reset_used"})
	require.NoError(t, err)
	require.Len(t, log, 1)
	require.Equal(t, u.email, log[0].Actor)
}

// TestSessionsListedAndEnded lists a user's sessions and ends one, then all.
func TestSessionsListedAndEnded(t *testing.T) {
	f := newFixture(t)
	u := f.accountUser(t)
	second := f.signIn(t, u.email, u.password)
	resp := f.asToken(u.token, "GET", fmt.Sprintf("/api/v1/users/%d/sessions", u.id), nil)
	require.Equal(t, http.StatusOK, resp.status)
	var page api.Page[api.UserSession]
	require.NoError(t, json.Unmarshal(resp.body, &page))
	require.Len(t, page.Items, 2)
	require.Equal(t, "127.0.0.1", page.Items[0].RemoteAddr)

	// The newest is the second sign-in: end it alone.
	resp = f.asToken(u.token, "DELETE", fmt.Sprintf("/api/v1/users/%d/sessions/%d", u.id, page.Items[0].ID), nil)
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	require.Equal(t, http.StatusUnauthorized, f.asCookie(second, "GET", "/api/v1/me", nil).status)
	require.Equal(t, http.StatusOK, f.asCookie(u.cookie, "GET", "/api/v1/me", nil).status)
	require.Equal(t, http.StatusNotFound, f.asToken(u.token, "DELETE", fmt.Sprintf("/api/v1/users/%d/sessions/%d", u.id, page.Items[0].ID), nil).status)

	resp = f.do("staff", "DELETE", fmt.Sprintf("/api/v1/users/%d/sessions", u.id), nil)
	require.Equal(t, http.StatusOK, resp.status)
	require.JSONEq(t, `{"ended":1}`, string(resp.body))
	require.Equal(t, http.StatusUnauthorized, f.asCookie(u.cookie, "GET", "/api/v1/me", nil).status)
}

// TestAuditReadAndVerifiedThroughTheAPI reads the audit log with filters and
// verifies it, then edits one row by hand and finds it named.
func TestAuditReadAndVerifiedThroughTheAPI(t *testing.T) {
	f := newFixture(t)
	u := f.accountUser(t)
	require.Equal(t, http.StatusOK, f.do("staff", "POST", fmt.Sprintf("/api/v1/users/%d/disable", u.id), nil).status)

	resp := f.do("staff", "GET", "/api/v1/audit?action=user.disable&actor=staff@vpcp.gov.vn", nil)
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	var page api.Page[api.AuditRecord]
	require.NoError(t, json.Unmarshal(resp.body, &page))
	require.Len(t, page.Items, 1)
	rec := page.Items[0]
	require.Equal(t, fmt.Sprintf("user/%d", u.id), rec.Object)
	require.Equal(t, "main", rec.Stream)
	require.Len(t, rec.Hash, 64)

	since := url.QueryEscape(rec.At.Add(time.Second).Format(time.RFC3339))
	resp = f.do("staff", "GET", "/api/v1/audit?action=user.disable&since="+since, nil)
	require.Equal(t, http.StatusOK, resp.status)
	require.JSONEq(t, `{"items":[]}`, string(resp.body))
	resp = f.do("staff", "GET", "/api/v1/audit?since=yesterday", nil)
	require.Equal(t, http.StatusBadRequest, resp.status)
	require.Contains(t, string(resp.body), `"field":"since"`)
	resp = f.do("staff", "GET", "/api/v1/audit?since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z", nil)
	require.Equal(t, http.StatusUnprocessableEntity, resp.status)
	require.Contains(t, string(resp.body), `"field":"until"`)

	resp = f.do("staff", "GET", "/api/v1/audit/verify", nil)
	require.Equal(t, http.StatusOK, resp.status)
	var v api.AuditVerification
	require.NoError(t, json.Unmarshal(resp.body, &v))
	require.True(t, v.Whole, "%s", resp.body)

	_, err := f.store.Pool().Exec(context.Background(), `UPDATE audit_log SET details = '{}' WHERE id = $1`, rec.ID)
	require.NoError(t, err)
	resp = f.do("staff", "GET", "/api/v1/audit/verify", nil)
	require.NoError(t, json.Unmarshal(resp.body, &v))
	require.False(t, v.Whole)
	require.Equal(t, rec.ID, v.Breaks[0].ID)
}

// TestResetAndAccountPages follows a mailed link to the page that sets a
// new password, refuses two different entries, then signs in with the new
// one; the staff audit page shows the reset and verifies the chain.
func TestResetAndAccountPages(t *testing.T) {
	f := newFixture(t)
	u := f.accountUser(t)
	resp := f.do("staff", "POST", fmt.Sprintf("/api/v1/users/%d/password-reset", u.id), nil)
	require.Equal(t, http.StatusAccepted, resp.status, "%s", resp.body)
	msgs := f.mail.WaitFor(t, 1, 10*time.Second)
	text, err := msgs[0].Text()
	require.NoError(t, err)
	require.Contains(t, text, "Đặt mật khẩu mới tại liên kết sau")
	m := resetLink.FindStringSubmatch(text)
	require.NotNil(t, m)
	secret, err := url.QueryUnescape(m[1])
	require.NoError(t, err)

	page := f.page("anonymous", "GET", "/reset-password?token="+url.QueryEscape(secret), nil)
	require.Equal(t, http.StatusOK, page.status)
	require.Contains(t, string(page.body), `name="token" value="`+secret+`"`)
	page = f.page("anonymous", "POST", "/reset-password", url.Values{"token": {secret}, "new_password": {"mật khẩu trang web"}, "confirm_password": {"khác hẳn rồi đấy"}})
	require.Equal(t, http.StatusUnprocessableEntity, page.status)
	require.Contains(t, string(page.body), "confirm_password")
	page = f.page("anonymous", "POST", "/reset-password", url.Values{"token": {secret}, "new_password": {"mật khẩu trang web"}, "confirm_password": {"mật khẩu trang web"}})
	require.Equal(t, http.StatusOK, page.status, "%s", page.body)
	require.Contains(t, string(page.body), "Đã đặt mật khẩu mới")
	cookie := f.signIn(t, u.email, "mật khẩu trang web")

	account := f.asCookie(cookie, "GET", "/account", nil)
	require.Equal(t, http.StatusOK, account.status)
	require.Contains(t, string(account.body), "127.0.0.1")

	audit := f.page("staff", "GET", "/audit?action=user.password_reset_used&verify=1", nil)
	require.Equal(t, http.StatusOK, audit.status)
	body := string(audit.body)
	require.Contains(t, body, "Chuỗi nhật ký nguyên vẹn")
	require.Contains(t, body, u.email)
	audit = f.page("staff", "GET", "/audit?since=hôm-qua", nil)
	require.Equal(t, http.StatusBadRequest, audit.status)
}
