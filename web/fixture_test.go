package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/access"
	"rcm/api"
	"rcm/notifications"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/testenv"
)

// fixture is a real server on a real database, seeded with a small tree:
//
//	VN ─ R-DBSH ─ HNI ─ HNI-SYT
//	   │        └ HPG
//	   ├ R-DNB ── HCM
//	   └ BYT
//
// and one user per role: staff, officer of HNI, supervisor of R-DBSH,
// reviewer of R-DBSH (who reviews HNI and HPG), plus an officer of HCM
// (outside all their scopes).
type fixture struct {
	t      *testing.T
	store  *store.Store
	server *Server
	http   *httptest.Server
	users  map[string]store.User // by role name, and "outsider"
	tokens map[string]string     // by role name; "anonymous" has none
	seq    atomic.Int64
	// engine runs the operations, the cycle commands on the package's
	// Temporal dev server; cycles (cycles_fixture_test.go) starts a worker
	// when a test needs one.
	engine *operations.Engine
	queue  string
	cyc    *cycleWorld
	// auditMark is the last audit record of the fixture's own seeding.
	auditMark int64
	// mail receives what the operations mail themselves (password resets).
	mail *testenv.SMTP
}

// seeder is who seeds the fixture.
var seeder = operations.SystemCaller()

const staffPassword = "mật khẩu dài đủ"

// roleNames are the callers of the authorization matrix.
var roleNames = []string{"anonymous", "staff", "officer", "supervisor", "reviewer"}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.Database(t))
	require.NoError(t, err)
	t.Cleanup(st.Close)
	f := &fixture{t: t, store: st, users: map[string]store.User{}, tokens: map[string]string{}}
	// A task queue of the test's own: workflows left running by another
	// test never reach this test's worker and database.
	f.queue = testenv.TaskQueue(t)
	f.mail = testenv.SMTPServer(t)
	mailCfg, err := notifications.ParseSMTPURL(f.mail.URL())
	require.NoError(t, err)
	f.engine = operations.New(st, temporal.Client(), slog.New(slog.DiscardHandler), operations.WithTaskQueue(f.queue),
		operations.WithMail(notifications.NewMailer(mailCfg), "http://rcm.test"))
	_, _, err = f.engine.ImportAgencies(ctx, seeder, []reporting.Agency{
		{Code: "VN", NameVI: "Việt Nam", Kind: "national"},
		{Code: "R-DBSH", ParentCode: "VN", NameVI: "Đồng bằng sông Hồng", Kind: "region"},
		{Code: "R-DNB", ParentCode: "VN", NameVI: "Đông Nam Bộ", Kind: "region"},
		{Code: "HNI", ParentCode: "R-DBSH", NameVI: "Thành phố Hà Nội", Kind: "city"},
		{Code: "HNI-SYT", ParentCode: "HNI", NameVI: "Sở Y tế Hà Nội", Kind: "department"},
		{Code: "HPG", ParentCode: "R-DBSH", NameVI: "Thành phố Hải Phòng", Kind: "city"},
		{Code: "HCM", ParentCode: "R-DNB", NameVI: "Thành phố Hồ Chí Minh", Kind: "city"},
		{Code: "BYT", ParentCode: "VN", NameVI: "Bộ Y tế", Kind: "ministry"},
	})
	require.NoError(t, err)
	for _, u := range []struct {
		key, email string
		role       access.Role
		agency     string
		password   string
	}{
		{"staff", "staff@vpcp.gov.vn", access.Staff, "", staffPassword},
		{"officer", "officer@hanoi.gov.vn", access.Officer, "HNI", ""},
		{"supervisor", "supervisor@dbsh.gov.vn", access.Supervisor, "R-DBSH", ""},
		{"reviewer", "reviewer@dbsh.gov.vn", access.Reviewer, "R-DBSH", ""},
		{"outsider", "officer@hcm.gov.vn", access.Officer, "HCM", ""},
	} {
		created, err := f.engine.CreateUser(ctx, seeder, store.User{Email: u.email, Role: u.role, AgencyCode: u.agency}, u.password)
		require.NoError(t, err)
		f.users[u.key] = created
		token, _, err := f.engine.CreateToken(ctx, seeder, created.ID, "test", nil)
		require.NoError(t, err)
		f.tokens[u.key] = token
	}
	require.NoError(t, f.engine.CreateTemplate(ctx, seeder, testTemplate("KTXH")))
	f.createRegime("KTXH_MONTHLY", "HNI", "HCM")
	seeded, err := st.AuditLog(ctx, store.AuditFilter{Limit: 1000})
	require.NoError(t, err)
	f.auditMark = seeded[len(seeded)-1].ID

	f.server = NewServer(Config{BaseURL: "http://rcm.test", MaxBodyBytes: 64 << 10, MaxUploadBytes: 256 << 10}, Deps{Operations: f.engine})
	f.http = httptest.NewServer(validating(t, f.server.Handler()))
	t.Cleanup(f.http.Close)
	return f
}

func testTemplate(code string) reporting.Template {
	return reporting.Template{Code: code, NameVI: "Báo cáo kinh tế - xã hội", Indicators: []reporting.Indicator{
		{Code: "GRDP", NameVI: "Tổng sản phẩm", Unit: "tỷ đồng", Type: reporting.TypeDecimal, Required: true, Min: "0", Aggregation: reporting.AggregationSum},
		{Code: "NOTE", NameVI: "Ghi chú", Type: reporting.TypeText, Aggregation: reporting.AggregationNone},
	}}
}

func (f *fixture) createRegime(code string, agencies ...string) {
	f.t.Helper()
	r := reporting.Regime{Code: code, NameVI: "Báo cáo tháng", TemplateCode: "KTXH", Cadence: reporting.Monthly,
		DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: 2},
		Policy:       reporting.Policy{ReminderOffsets: []time.Duration{24 * time.Hour}, ReviewTime: time.Hour, CloseAfter: 48 * time.Hour}}
	for _, a := range agencies {
		r.Assignments = append(r.Assignments, reporting.Assignment{AgencyCode: a})
	}
	_, err := f.engine.CreateRegime(context.Background(), seeder, r)
	require.NoError(f.t, err)
}

// next returns a number unique in the fixture, for names of things created.
func (f *fixture) next() int64 { return f.seq.Add(1) }

// response is an answer read whole.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) problem(t *testing.T) api.Problem {
	t.Helper()
	require.Equal(t, contentTypeProblm, r.header.Get("Content-Type"), "body: %s", r.body)
	var p api.Problem
	require.NoError(t, json.Unmarshal(r.body, &p))
	return p
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %s", r.body)
}

// do sends a request as the role ("anonymous" sends no token). body is
// encoded as JSON unless it is a string or []byte.
func (f *fixture) do(role, method, path string, body any, headers ...string) response {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		require.NoError(f.t, err)
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, f.http.URL+path, rd)
	require.NoError(f.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := f.tokens[role]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := f.http.Client().Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(f.t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// freshToken creates a token of the user with the role key and returns its id.
func (f *fixture) freshToken(key string) int64 {
	f.t.Helper()
	_, tok, err := f.engine.CreateToken(context.Background(), seeder, f.users[key].ID, fmt.Sprintf("t%d", f.next()), nil)
	require.NoError(f.t, err)
	return tok.ID
}

// freshUser creates an officer of the agency, for tests that change a user
// (disable, enable) without touching the fixture's own.
func (f *fixture) freshUser(agency string) int64 {
	f.t.Helper()
	u, err := f.engine.CreateUser(context.Background(), seeder,
		store.User{Email: fmt.Sprintf("fresh%d@x.gov.vn", f.next()), Role: access.Officer, AgencyCode: agency}, "")
	require.NoError(f.t, err)
	return u.ID
}

// freshSession opens a session of the user with the role key (as rcm does
// after a password sign-in) and returns its number.
func (f *fixture) freshSession(key string) int64 {
	f.t.Helper()
	ctx := context.Background()
	_, _, err := f.store.CreateSession(ctx, f.users[key].ID, time.Hour, store.AuditEntry{Actor: "test", Action: "session.create"})
	require.NoError(f.t, err)
	sessions, err := f.store.ListSessions(ctx, f.users[key].ID, time.Now())
	require.NoError(f.t, err)
	return sessions[0].ID
}
