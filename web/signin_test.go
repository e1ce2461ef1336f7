package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/api"
	"rcm/store"
)

// strictSignIn is a back-off small enough to reach in a test: 2 attempts
// per account, 4 per client address, then 1 s doubling.
var strictSignIn = store.SignInPolicy{AccountFree: 2, AddressFree: 4, Base: time.Second, Max: time.Minute, Forget: time.Hour}

// clock is a time tests move by hand: a password check under the race
// detector takes seconds, longer than the locks the tests look at.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// signInServer is another rcm server on the fixture's database, as a second
// `rcm serve` behind the same load balancer would be, on the clock.
func (f *fixture) signInServer(policy store.SignInPolicy, c *clock) *httptest.Server {
	f.t.Helper()
	srv := NewServer(Config{BaseURL: "http://rcm.test", SignIn: policy}, Deps{Operations: f.engine, Now: c.Now})
	h := httptest.NewServer(validating(f.t, srv.Handler()))
	f.t.Cleanup(h.Close)
	return h
}

// signInAt posts a sign-in to the server at base.
func signInAt(t *testing.T, base, email, password string) response {
	t.Helper()
	body, err := json.Marshal(map[string]string{"email": email, "password": password})
	require.NoError(t, err)
	resp, err := http.Post(base+"/api/v1/session", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// auditActions lists the audit log after the fixture's own seeding, as
// "action object".
func (f *fixture) auditActions(t *testing.T) []string {
	t.Helper()
	log, err := f.store.AuditLog(context.Background(), store.AuditFilter{After: f.auditMark})
	require.NoError(t, err)
	var out []string
	for _, e := range log {
		out = append(out, e.Action+" "+e.Object)
	}
	return out
}

// A sign-in longer than any real one is refused before it is looked up,
// counted or audited: the refused-sign-in row can no longer carry a
// megabyte of typed "e-mail address".
func TestSignInRefusesOverlongFieldsBeforeAnything(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		field, email, password string
	}{
		{"email", strings.Repeat("a", 250) + "@x.vn", "whatever-password"},
		{"password", "staff@vpcp.gov.vn", strings.Repeat("p", 1025)},
	} {
		resp := f.do("anonymous", "POST", "/api/v1/session", map[string]string{"email": tc.email, "password": tc.password})
		require.Equal(t, http.StatusBadRequest, resp.status, "%s", resp.body)
		p := resp.problem(t)
		require.Equal(t, tc.field, p.Errors[0].Field)
		require.Contains(t, p.Errors[0].Reason, "at most")
	}
	// The longest accepted ones are looked up, refused and audited.
	longest := strings.Repeat("a", 254-len("@x.vn")) + "@x.vn"
	require.Equal(t, http.StatusUnauthorized, f.do("anonymous", "POST", "/api/v1/session",
		map[string]string{"email": longest, "password": strings.Repeat("p", 1024)}).status)
	require.Equal(t, []string{"session.refused user/" + longest}, f.auditActions(t))
	var n int
	require.NoError(t, f.store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM signin_throttle`).Scan(&n))
	require.Equal(t, 2, n, "only the accepted attempt was counted (its account and address)")
}

// Guessing a password backs off per account, on every server sharing the
// database: past the free attempts each one locks the account for longer,
// a locked account answers 429 with Retry-After even to the right password,
// the lock-out is audited and listed for office staff, and once it ends the
// right password works and clears the count.
func TestSignInBacksOffPerAccountAcrossServers(t *testing.T) {
	f := newFixture(t)
	c := newClock()
	f.server.now = c.Now // staff list the locks on the same clock
	a, b := f.signInServer(strictSignIn, c), f.signInServer(strictSignIn, c)
	const email = "staff@vpcp.gov.vn"
	require.Equal(t, 401, signInAt(t, a.URL, email, "wrong guess 1").status)
	require.Equal(t, 401, signInAt(t, b.URL, email, "wrong guess 2").status)
	third := signInAt(t, a.URL, email, "wrong guess 3")
	require.Equal(t, 401, third.status, "the third attempt is checked, and locks the account for 1 s")

	for _, srv := range []string{a.URL, b.URL} {
		resp := signInAt(t, srv, email, staffPassword)
		require.Equal(t, http.StatusTooManyRequests, resp.status, "%s", resp.body)
		require.Equal(t, "1", resp.header.Get("Retry-After"))
		require.Equal(t, typeTooMany, resp.problem(t).Type)
		require.Contains(t, resp.problem(t).Detail, "account")
	}

	var locks api.Page[api.SignInLock]
	resp := f.do("staff", "GET", "/api/v1/sign-in-locks", nil)
	require.Equal(t, 200, resp.status)
	resp.decode(t, &locks)
	require.Len(t, locks.Items, 1)
	require.Equal(t, "account", locks.Items[0].Kind)
	require.Equal(t, email, locks.Items[0].Subject)
	require.Equal(t, 3, locks.Items[0].Failures)
	require.Equal(t, 403, f.do("officer", "GET", "/api/v1/sign-in-locks", nil).status)
	require.Contains(t, f.auditActions(t), "session.locked account/"+email)

	c.advance(1100 * time.Millisecond)
	require.Equal(t, 401, signInAt(t, b.URL, email, "wrong guess 4").status, "after the lock, one more attempt")
	resp = signInAt(t, a.URL, email, staffPassword)
	require.Equal(t, 429, resp.status)
	require.Equal(t, "2", resp.header.Get("Retry-After"), "the fourth attempt locked it for twice as long")

	c.advance(2100 * time.Millisecond)
	require.Equal(t, 201, signInAt(t, a.URL, email, staffPassword).status)
	locked, err := f.store.SignInLocks(context.Background(), c.Now())
	require.NoError(t, err)
	require.Empty(t, locked, "a success clears the account")
	require.Equal(t, 401, signInAt(t, b.URL, email, "wrong again").status, "the count starts afresh")
}

// Attempts sent at once cannot outrun the count: each is counted before its
// password is checked, so of ten guesses at once only the free ones and the
// one that locks are checked.
func TestSignInCountsConcurrentGuesses(t *testing.T) {
	f := newFixture(t)
	srv := f.signInServer(strictSignIn, newClock())
	statuses := make([]int, 10)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Go(func() { statuses[i] = signInAt(t, srv.URL, "staff@vpcp.gov.vn", fmt.Sprintf("guess %d", i)).status })
	}
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	require.Equal(t, map[int]int{401: 3, 429: 7}, count)
}

// Guessing across many accounts from one client address locks the address.
func TestSignInBacksOffPerClientAddress(t *testing.T) {
	f := newFixture(t)
	srv := f.signInServer(strictSignIn, newClock())
	for i := range 5 {
		require.Equal(t, 401, signInAt(t, srv.URL, fmt.Sprintf("guess%d@x.vn", i), "password").status)
	}
	resp := signInAt(t, srv.URL, "someone-else@x.vn", "password")
	require.Equal(t, 429, resp.status)
	require.Contains(t, resp.problem(t).Detail, "address")
	require.Contains(t, f.auditActions(t), "session.locked address/127.0.0.1")
}
