package operations

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/access"
	"rcm/reporting"
	"rcm/store"
	"rcm/testenv"
)

// world is the operations on a database of their own, without Temporal,
// with a small tree and one caller per role.
type world struct {
	ctx   context.Context
	st    *store.Store
	ops   *Engine
	staff Caller
	// officer of HNI, supervisor of R-DBSH.
	officer, supervisor Caller
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.Database(t))
	require.NoError(t, err)
	t.Cleanup(st.Close)
	w := &world{ctx: ctx, st: st, ops: New(st, nil, nil)}
	_, _, err = w.ops.ImportAgencies(ctx, SystemCaller(), []reporting.Agency{
		{Code: "VN", NameVI: "Việt Nam", Kind: "national"},
		{Code: "R-DBSH", ParentCode: "VN", NameVI: "Đồng bằng sông Hồng", Kind: "region"},
		{Code: "HNI", ParentCode: "R-DBSH", NameVI: "Hà Nội", Kind: "city"},
		{Code: "HCM", ParentCode: "VN", NameVI: "Hồ Chí Minh", Kind: "city"},
	})
	require.NoError(t, err)
	user := func(email string, role access.Role, agency string) Caller {
		u, err := w.ops.CreateUser(ctx, SystemCaller(), store.User{Email: email, Role: role, AgencyCode: agency}, "")
		require.NoError(t, err)
		p, err := st.PrincipalFor(ctx, u.ID)
		require.NoError(t, err)
		return Caller{Principal: p, RemoteAddr: "192.0.2.7"}
	}
	w.staff = user("staff@vpcp.gov.vn", access.Staff, "")
	w.officer = user("officer@hanoi.gov.vn", access.Officer, "HNI")
	w.supervisor = user("supervisor@dbsh.gov.vn", access.Supervisor, "R-DBSH")
	return w
}

// auditRows returns the audit records written after the one with id after.
func (w *world) auditRows(t *testing.T, after int64) []store.AuditRecord {
	t.Helper()
	log, err := w.st.AuditLog(w.ctx, store.AuditFilter{After: after, Limit: 1000})
	require.NoError(t, err)
	return log
}

func (w *world) lastAudit(t *testing.T) int64 {
	t.Helper()
	log := w.auditRows(t, 0)
	require.NotEmpty(t, log)
	return log[len(log)-1].ID
}

func template(code string) reporting.Template {
	return reporting.Template{Code: code, NameVI: "Mẫu " + code, Indicators: []reporting.Indicator{
		{Code: "GRDP", NameVI: "GRDP", Type: reporting.TypeDecimal, Required: true, Aggregation: reporting.AggregationSum}}}
}

// TestTheRoleTableRefusesAndChangesNothing: a role the table does not allow
// is refused before anything is read or written, with the role it needs.
func TestTheRoleTableRefusesAndChangesNothing(t *testing.T) {
	w := newWorld(t)
	mark := w.lastAudit(t)
	for _, tt := range []struct {
		name string
		do   func() error
		need string
	}{
		{"an agency officer creates a template", func() error {
			return w.ops.CreateTemplate(w.ctx, w.officer, template("NOPE"))
		}, "staff"},
		{"a supervisor imports agencies", func() error {
			_, _, err := w.ops.ImportAgencies(w.ctx, w.supervisor, []reporting.Agency{{Code: "X", ParentCode: "VN", NameVI: "X", Kind: "department"}})
			return err
		}, "staff"},
		{"an officer creates a user", func() error {
			_, err := w.ops.CreateUser(w.ctx, w.officer, store.User{Email: "x@hanoi.gov.vn", Role: access.Officer, AgencyCode: "HNI"}, "")
			return err
		}, "staff"},
		{"an officer lists users", func() error {
			_, err := w.ops.ListUsers(w.ctx, w.officer, store.UserFilter{})
			return err
		}, "staff or supervisor or reviewer"},
		{"a supervisor assigns agencies to a regime", func() error {
			_, err := w.ops.SetAssignments(w.ctx, w.supervisor, "ANY", nil)
			return err
		}, "staff"},
		{"office staff submit for an agency", func() error {
			_, err := w.ops.Submit(w.ctx, w.staff, SubmitRequest{CycleID: "ANY-2026-10", AgencyCode: "HNI"})
			return err
		}, "officer"},
		{"an officer reads the notifications log", func() error {
			_, err := w.ops.Notifications(w.ctx, w.officer, store.NotificationFilter{})
			return err
		}, "staff"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			require.ErrorIs(t, err, ErrForbidden)
			var fe *ForbiddenError
			require.ErrorAs(t, err, &fe)
			assert.Contains(t, err.Error(), "this needs the role "+tt.need+"; you are ")
		})
	}
	assert.Empty(t, w.auditRows(t, mark), "a refused operation writes nothing")
	_, err := w.st.Template(w.ctx, "NOPE")
	require.ErrorIs(t, err, store.ErrNotFound)
	_, err = w.st.Agency(w.ctx, "X")
	require.ErrorIs(t, err, store.ErrNotFound)

	// The same table lets the roles it names through.
	_, err = w.ops.ListUsers(w.ctx, w.supervisor, store.UserFilter{})
	require.NoError(t, err)
	require.NoError(t, w.ops.CreateTemplate(w.ctx, w.staff, template("OK")))
}

// TestEveryOpInTheTableHasRoles keeps the table whole: an operation named
// without roles would be refused to everyone.
func TestEveryOpInTheTableHasRoles(t *testing.T) {
	for op, p := range permissions {
		assert.NotEmpty(t, p.roles, op)
		for _, r := range p.roles {
			_, err := access.ParseRole(string(r))
			assert.NoError(t, err, op)
		}
	}
	assert.Empty(t, Roles("no.such"), "an operation outside the table has no roles")
	err := New(nil, nil, nil).Authorize(SystemCaller(), "no.such")
	assert.ErrorIs(t, err, ErrForbidden, "and is refused")
}

// TestEveryChangeLeavesOneAuditRowWithItsActor: each write of the
// operations leaves exactly one audit row naming the caller, its address
// and the action; a write that fails leaves none, since the row is written
// in the transaction of the change.
func TestEveryChangeLeavesOneAuditRowWithItsActor(t *testing.T) {
	w := newWorld(t)
	var userID, tokenID int64
	changes := []struct {
		action, object string
		do             func() error
	}{
		{"agency.import", "agencies", func() error {
			_, _, err := w.ops.ImportAgencies(w.ctx, w.staff, []reporting.Agency{{Code: "HNI-STC", ParentCode: "HNI", NameVI: "Sở Tài chính", Kind: "department"}})
			return err
		}},
		{"user.create", "", func() error {
			u, err := w.ops.CreateUser(w.ctx, w.staff, store.User{Email: "new@hanoi.gov.vn", Role: access.Officer, AgencyCode: "HNI-STC"}, "")
			userID = u.ID
			return err
		}},
		{"token.create", "", func() error {
			_, tok, err := w.ops.CreateToken(w.ctx, w.staff, w.staff.UserID, "laptop", nil)
			tokenID = tok.ID
			return err
		}},
		{"user.disable", "", func() error {
			_, err := w.ops.DisableUser(w.ctx, w.staff, userID)
			return err
		}},
		{"user.enable", "", func() error {
			_, err := w.ops.EnableUser(w.ctx, w.staff, userID)
			return err
		}},
		{"session.end", "", func() error {
			_, err := w.ops.EndSessions(w.ctx, w.staff, userID, 0)
			return err
		}},
		{"token.revoke", "", func() error {
			_, err := w.ops.RevokeToken(w.ctx, w.staff, tokenID)
			return err
		}},
		{"template.create", "template/AUD", func() error { return w.ops.CreateTemplate(w.ctx, w.staff, template("AUD")) }},
		{"regime.create", "regime/AUD_M", func() error {
			_, err := w.ops.CreateRegime(w.ctx, w.staff, reporting.Regime{Code: "AUD_M", NameVI: "Tháng", TemplateCode: "AUD",
				Cadence: reporting.Monthly, DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: 2},
				Policy: reporting.Policy{ReviewTime: time.Hour, CloseAfter: 48 * time.Hour}})
			return err
		}},
		{"regime.assign", "regime/AUD_M", func() error {
			_, err := w.ops.SetAssignments(w.ctx, w.staff, "AUD_M", []reporting.Assignment{{AgencyCode: "HNI"}})
			return err
		}},
	}
	for _, ch := range changes {
		mark := w.lastAudit(t)
		require.NoError(t, ch.do(), ch.action)
		rows := w.auditRows(t, mark)
		require.Len(t, rows, 1, ch.action)
		row := rows[0]
		assert.Equal(t, ch.action, row.Action)
		assert.Equal(t, "staff@vpcp.gov.vn", row.Actor, ch.action)
		require.NotNil(t, row.ActorID, ch.action)
		assert.Equal(t, w.staff.UserID, *row.ActorID, ch.action)
		assert.Equal(t, "192.0.2.7", row.RemoteAddr, ch.action)
		if ch.object != "" {
			assert.Equal(t, ch.object, row.Object, ch.action)
		}
	}
	created, err := w.st.AuditLog(w.ctx, store.AuditFilter{Action: "token.create"})
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprintf("token/%d", tokenID), created[len(created)-1].Object, "the token's id is known in the transaction")

	failures := []struct {
		name string
		do   func() error
	}{
		{"a template that exists", func() error { return w.ops.CreateTemplate(w.ctx, w.staff, template("AUD")) }},
		{"a token for someone else: nobody acts as another user", func() error {
			_, _, err := w.ops.CreateToken(w.ctx, w.staff, userID, "acting", nil)
			if !errors.Is(err, ErrForbidden) {
				return fmt.Errorf("want ErrForbidden, got %v", err)
			}
			return err
		}},
		{"staff disabling themselves", func() error {
			_, err := w.ops.DisableUser(w.ctx, w.staff, w.staff.UserID)
			return err
		}},
		{"an agency under no parent", func() error {
			_, _, err := w.ops.ImportAgencies(w.ctx, w.staff, []reporting.Agency{{Code: "LOST", ParentCode: "NOWHERE", NameVI: "?", Kind: "department"}})
			return err
		}},
		{"a user of an agency that does not exist", func() error {
			_, err := w.ops.CreateUser(w.ctx, w.staff, store.User{Email: "ghost@x.gov.vn", Role: access.Officer, AgencyCode: "NOWHERE"}, "")
			return err
		}},
		{"assignments to a regime that does not exist", func() error {
			_, err := w.ops.SetAssignments(w.ctx, w.staff, "NOPE", []reporting.Assignment{{AgencyCode: "HNI"}})
			return err
		}},
	}
	for _, f := range failures {
		mark := w.lastAudit(t)
		require.Error(t, f.do(), f.name)
		assert.Empty(t, w.auditRows(t, mark), "%s: a failed write leaves no audit row", f.name)
	}
}

// TestSignInIsAuditedEitherWay: a refused sign-in is recorded on its own,
// a session opened is recorded with the user as its actor.
func TestSignInIsAuditedEitherWay(t *testing.T) {
	w := newWorld(t)
	_, err := w.ops.CreateUser(w.ctx, w.staff, store.User{Email: "pw@vpcp.gov.vn", Role: access.Staff}, "mật khẩu dài đủ")
	require.NoError(t, err)
	mark := w.lastAudit(t)
	anonymous := Caller{RemoteAddr: "198.51.100.1"}
	_, err = w.ops.SignIn(w.ctx, anonymous, SignInRequest{Email: "pw@vpcp.gov.vn", Password: "wrong guess", TTL: time.Hour, Policy: store.DefaultSignInPolicy(), At: time.Now()})
	require.ErrorIs(t, err, store.ErrUnauthenticated)
	s, err := w.ops.SignIn(w.ctx, anonymous, SignInRequest{Email: "pw@vpcp.gov.vn", Password: "mật khẩu dài đủ", TTL: time.Hour, Policy: store.DefaultSignInPolicy(), At: time.Now()})
	require.NoError(t, err)
	rows := w.auditRows(t, mark)
	require.Len(t, rows, 2)
	assert.Equal(t, "session.refused", rows[0].Action)
	assert.Nil(t, rows[0].ActorID)
	assert.Equal(t, "session.create", rows[1].Action)
	require.NotNil(t, rows[1].ActorID)
	assert.Equal(t, s.User.ID, *rows[1].ActorID)
	assert.Equal(t, "198.51.100.1", rows[1].RemoteAddr)
}

// TestScopeHidesWhatACallerMayNotSee: outside the caller's subtree a thing
// is not found, in the same words as one that does not exist.
func TestScopeHidesWhatACallerMayNotSee(t *testing.T) {
	w := newWorld(t)
	_, hidden := w.ops.Agency(w.ctx, w.supervisor, "HCM")
	_, absent := w.ops.Agency(w.ctx, w.supervisor, "NOWHERE")
	require.ErrorIs(t, hidden, ErrNotFound)
	require.ErrorIs(t, absent, ErrNotFound)
	assert.Equal(t, "agency HCM does not exist or is outside what you may see", hidden.Error())
	_, err := w.ops.Agency(w.ctx, w.supervisor, "HNI")
	require.NoError(t, err)
	_, err = w.ops.User(w.ctx, w.officer, w.supervisor.UserID)
	require.ErrorIs(t, err, ErrNotFound, "an officer reaches only themselves")
	_, err = w.ops.User(w.ctx, w.supervisor, w.officer.UserID)
	require.NoError(t, err, "a supervisor reaches the users of their subtree")
}

// TestWithoutTemporalCycleCommandsAreUnavailable: operations built without
// a Temporal client refuse what needs it, after the role check.
func TestWithoutTemporalCycleCommandsAreUnavailable(t *testing.T) {
	w := newWorld(t)
	_, err := w.ops.Launch(w.ctx, w.staff, LaunchRequest{RegimeCode: "ANY", Period: "2026-10"})
	require.ErrorIs(t, err, ErrNoTemporal)
	require.ErrorIs(t, err, ErrUnavailable)
	_, err = w.ops.Launch(w.ctx, w.officer, LaunchRequest{RegimeCode: "ANY", Period: "2026-10"})
	require.ErrorIs(t, err, ErrForbidden, "the role is checked first")
}
