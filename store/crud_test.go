package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/access"
	"rcm/reporting"
	"rcm/store"
	"rcm/testenv"
)

// crudStore opens a fresh, migrated database for one test.
func crudStore(t *testing.T) *store.Store {
	t.Helper()
	url := testenv.Database(t)
	s, err := store.Open(context.Background(), url)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// testAudit is the audit entry of the changes the tests make.
var testAudit = store.AuditEntry{Actor: "test", Action: "test"}

// seedTree imports a small tree: VN → R-DBSH → {HNI → HNI-SYT, HPG}, VN → BYT.
func seedTree(t *testing.T, s *store.Store) {
	t.Helper()
	_, _, err := s.UpsertAgencies(context.Background(), []reporting.Agency{
		{Code: "HNI-SYT", ParentCode: "HNI", NameVI: "Sở Y tế Hà Nội", Kind: "department"},
		{Code: "HNI", ParentCode: "R-DBSH", NameVI: "Thành phố Hà Nội", Kind: "city", OfficerEmail: "vp@hanoi.gov.vn"},
		{Code: "HPG", ParentCode: "R-DBSH", NameVI: "Thành phố Hải Phòng", Kind: "city"},
		{Code: "R-DBSH", ParentCode: "VN", NameVI: "Đồng bằng sông Hồng", Kind: "region"},
		{Code: "VN", NameVI: "Việt Nam", Kind: "national"},
		{Code: "BYT", ParentCode: "VN", NameVI: "Bộ Y tế", Kind: "ministry"},
	}, testAudit)
	require.NoError(t, err)
}

func codes(as []reporting.Agency) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Code
	}
	return out
}

func TestUpsertAgenciesOrdersParentsFirstAndCountsChanges(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	seedTree(t, s)

	hni, err := s.Agency(ctx, "HNI-SYT")
	require.NoError(t, err)
	require.Equal(t, "/VN/R-DBSH/HNI/HNI-SYT/", hni.Path)
	require.Equal(t, "vi", hni.Language)

	// Same data again: nothing changes. One changed name, one new agency.
	created, updated, err := s.UpsertAgencies(ctx, []reporting.Agency{
		{Code: "VN", NameVI: "Việt Nam", Kind: "national"},
		{Code: "HPG", ParentCode: "R-DBSH", NameVI: "TP Hải Phòng", Kind: "city"},
		{Code: "BTC", ParentCode: "VN", NameVI: "Bộ Tài chính", Kind: "ministry"},
	}, store.AuditEntry{Actor: "test", Action: "agency.import", Object: "agencies"})
	require.NoError(t, err)
	require.Equal(t, 1, created)
	require.Equal(t, 1, updated)

	log, err := s.AuditLog(ctx, store.AuditFilter{Action: "agency.import"})
	require.NoError(t, err)
	require.Len(t, log, 1)
}

func TestUpsertAgenciesIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	seedTree(t, s)

	tests := []struct {
		name      string
		agencies  []reporting.Agency
		wantField string
	}{
		{"missing parent", []reporting.Agency{
			{Code: "NEW", ParentCode: "VN", NameVI: "Mới", Kind: "other"},
			{Code: "ORPHAN", ParentCode: "NOWHERE", NameVI: "Mồ côi", Kind: "other"},
		}, "[1].parent"},
		{"cycle in the input", []reporting.Agency{
			{Code: "A", ParentCode: "B", NameVI: "A", Kind: "other"},
			{Code: "B", ParentCode: "A", NameVI: "B", Kind: "other"},
		}, "[1].parent"},
		{"moving under its own child", []reporting.Agency{
			{Code: "NEW", ParentCode: "VN", NameVI: "Mới", Kind: "other"},
			{Code: "R-DBSH", ParentCode: "HNI", NameVI: "Đồng bằng sông Hồng", Kind: "region"},
		}, "[1].parent"},
		{"bad kind", []reporting.Agency{{Code: "NEW", ParentCode: "VN", NameVI: "Mới", Kind: "planet"}}, "[0].kind"},
		{"bad code", []reporting.Agency{{Code: "new_1", ParentCode: "VN", NameVI: "Mới", Kind: "other"}}, "[0].code"},
		{"duplicate code", []reporting.Agency{
			{Code: "NEW", ParentCode: "VN", NameVI: "Mới", Kind: "other"},
			{Code: "NEW", ParentCode: "VN", NameVI: "Mới 2", Kind: "other"},
		}, "[1].code"},
		{"bad e-mail", []reporting.Agency{{Code: "NEW", ParentCode: "VN", NameVI: "Mới", Kind: "other", OfficerEmail: "nobody"}}, "[0].officer_email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := s.UpsertAgencies(ctx, tt.agencies, testAudit)
			var inErr *reporting.InputError
			require.ErrorAs(t, err, &inErr)
			fields := make([]string, len(inErr.Fields))
			for i, f := range inErr.Fields {
				fields[i] = f.Field
			}
			require.Contains(t, fields, tt.wantField)
			_, err = s.Agency(ctx, "NEW")
			require.ErrorIs(t, err, store.ErrNotFound, "nothing of a refused import is written")
		})
	}
}

func TestListAgenciesScopeAndPages(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	seedTree(t, s)

	tests := []struct {
		name string
		f    store.AgencyFilter
		want []string
	}{
		{"all", store.AgencyFilter{}, []string{"BYT", "HNI", "HNI-SYT", "HPG", "R-DBSH", "VN"}},
		{"subtree", store.AgencyFilter{ScopePath: "/VN/R-DBSH/"}, []string{"HNI", "HNI-SYT", "HPG", "R-DBSH"}},
		{"exact", store.AgencyFilter{ScopePath: "/VN/R-DBSH/HNI/", ScopeExact: true}, []string{"HNI"}},
		{"kind", store.AgencyFilter{Kind: "city"}, []string{"HNI", "HPG"}},
		{"page 1", store.AgencyFilter{Limit: 2}, []string{"BYT", "HNI"}},
		{"page 2", store.AgencyFilter{Limit: 2, After: "HNI"}, []string{"HNI-SYT", "HPG"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ListAgencies(ctx, tt.f)
			require.NoError(t, err)
			require.Equal(t, tt.want, codes(got))
		})
	}
}

func TestUsersTokensAndSessions(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	seedTree(t, s)

	staff, err := s.CreateUser(ctx, store.User{Email: "staff@vpcp.gov.vn", Role: access.Staff}, "correct horse battery", testAudit)
	require.NoError(t, err)
	_, err = s.CreateUser(ctx, store.User{Email: "STAFF@vpcp.gov.vn", Role: access.Staff}, "", testAudit)
	require.ErrorIs(t, err, store.ErrConflict, "e-mail addresses are unique in any case")
	_, err = s.CreateUser(ctx, store.User{Email: "x@y.vn", Role: access.Officer}, "", testAudit)
	var inErr *reporting.InputError
	require.ErrorAs(t, err, &inErr, "an officer needs an agency")
	_, err = s.CreateUser(ctx, store.User{Email: "x@y.vn", Role: access.Officer, AgencyCode: "NOPE"}, "", testAudit)
	require.ErrorAs(t, err, &inErr, "the agency must exist")
	require.Equal(t, "agency", inErr.Fields[0].Field)

	officer, err := s.CreateUser(ctx, store.User{Email: "officer@hanoi.gov.vn", Role: access.Officer, AgencyCode: "HNI"}, "", testAudit)
	require.NoError(t, err)

	// Password sign-in.
	got, err := s.AuthenticatePassword(ctx, "Staff@VPCP.gov.vn", "correct horse battery")
	require.NoError(t, err)
	require.Equal(t, staff.ID, got.ID)
	_, err = s.AuthenticatePassword(ctx, "staff@vpcp.gov.vn", "wrong password!")
	require.ErrorIs(t, err, store.ErrBadCredentials)
	_, err = s.AuthenticatePassword(ctx, "officer@hanoi.gov.vn", "")
	require.ErrorIs(t, err, store.ErrBadCredentials, "a user without a password cannot sign in with one")
	_, err = s.AuthenticatePassword(ctx, "nobody@x.vn", "whatever12345")
	require.ErrorIs(t, err, store.ErrUnauthenticated)

	// Tokens.
	secret, tok, err := s.CreateToken(ctx, officer.ID, "laptop", nil, testAudit)
	require.NoError(t, err)
	require.Len(t, secret, len(store.TokenPrefix)+43)
	require.Equal(t, secret[:len(tok.Prefix)], tok.Prefix)
	p, err := s.PrincipalForToken(ctx, secret)
	require.NoError(t, err)
	require.Equal(t, access.Principal{UserID: officer.ID, Email: officer.Email, Role: access.Officer,
		AgencyCode: "HNI", AgencyPath: "/VN/R-DBSH/HNI/", Language: "vi"}, p)
	tokens, err := s.ListTokens(ctx, officer.ID)
	require.NoError(t, err)
	require.Len(t, tokens, 1)
	require.NotNil(t, tokens[0].LastUsedAt, "use is recorded")

	_, err = s.PrincipalForToken(ctx, secret+"x")
	require.ErrorIs(t, err, store.ErrTokenUnknown)
	_, err = s.RevokeToken(ctx, tok.ID, testAudit)
	require.NoError(t, err)
	_, err = s.PrincipalForToken(ctx, secret)
	require.ErrorIs(t, err, store.ErrTokenRevoked)
	_, err = s.RevokeToken(ctx, 999999, testAudit)
	require.ErrorIs(t, err, store.ErrNotFound)

	past := time.Now().Add(-time.Second)
	expired, _, err := s.CreateToken(ctx, officer.ID, "old", &past, testAudit)
	require.NoError(t, err)
	_, err = s.PrincipalForToken(ctx, expired)
	require.ErrorIs(t, err, store.ErrTokenExpired)

	// Sessions.
	sess, expires, err := s.CreateSession(ctx, staff.ID, time.Hour, testAudit)
	require.NoError(t, err)
	require.WithinDuration(t, time.Now().Add(time.Hour), expires, time.Minute)
	p, err = s.PrincipalForSession(ctx, sess)
	require.NoError(t, err)
	require.Equal(t, access.Staff, p.Role)
	require.NoError(t, s.DeleteSession(ctx, sess, testAudit))
	_, err = s.PrincipalForSession(ctx, sess)
	require.ErrorIs(t, err, store.ErrSessionExpired)
}

func TestListUsersAndSupervisorsAbove(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	seedTree(t, s)
	mk := func(email string, role access.Role, agency string) store.User {
		u, err := s.CreateUser(ctx, store.User{Email: email, Role: role, AgencyCode: agency}, "", testAudit)
		require.NoError(t, err)
		return u
	}
	mk("staff@x.vn", access.Staff, "")
	region := mk("region@x.vn", access.Supervisor, "R-DBSH")
	national := mk("national@x.vn", access.Supervisor, "VN")
	mk("hni@x.vn", access.Officer, "HNI")
	mk("syt@x.vn", access.Officer, "HNI-SYT")

	emails := func(us []store.User) []string {
		out := make([]string, len(us))
		for i, u := range us {
			out[i] = u.Email
		}
		return out
	}
	all, err := s.ListUsers(ctx, store.UserFilter{})
	require.NoError(t, err)
	require.Len(t, all, 5)
	sub, err := s.ListUsers(ctx, store.UserFilter{ScopePath: "/VN/R-DBSH/"})
	require.NoError(t, err)
	require.Equal(t, []string{"region@x.vn", "hni@x.vn", "syt@x.vn"}, emails(sub))
	exact, err := s.ListUsers(ctx, store.UserFilter{ScopePath: "/VN/R-DBSH/HNI/", ScopeExact: true})
	require.NoError(t, err)
	require.Equal(t, []string{"hni@x.vn"}, emails(exact))
	officers, err := s.ListUsers(ctx, store.UserFilter{Role: access.Officer, Limit: 1})
	require.NoError(t, err)
	require.Equal(t, []string{"hni@x.vn"}, emails(officers))

	above, err := s.SupervisorsAbove(ctx, "/VN/R-DBSH/HNI/HNI-SYT/")
	require.NoError(t, err)
	require.Equal(t, []string{region.Email}, emails(above), "the nearest level with supervisors wins")
	above, err = s.SupervisorsAbove(ctx, "/VN/BYT/")
	require.NoError(t, err)
	require.Equal(t, []string{national.Email}, emails(above))

	staff, err := s.StaffUsers(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{"staff@x.vn"}, emails(staff))
}

func sampleTemplate() reporting.Template {
	return reporting.Template{Code: "KTXH", NameVI: "Báo cáo kinh tế - xã hội", Indicators: []reporting.Indicator{
		{Code: "GRDP", NameVI: "Tổng sản phẩm", Unit: "tỷ đồng", Type: reporting.TypeDecimal, Required: true, Min: "0", Aggregation: reporting.AggregationSum},
		{Code: "GROWTH", NameVI: "Tăng trưởng", Unit: "%", Type: reporting.TypePercent, Min: "-50", Max: "50.50", Aggregation: reporting.AggregationAvg},
		{Code: "NOTE", NameVI: "Ghi chú", Type: reporting.TypeText, Aggregation: reporting.AggregationNone},
	}}
}

func TestTemplates(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	tmpl := sampleTemplate()
	require.NoError(t, s.CreateTemplate(ctx, tmpl, testAudit))
	require.ErrorIs(t, s.CreateTemplate(ctx, tmpl, testAudit), store.ErrConflict)

	got, err := s.Template(ctx, "KTXH")
	require.NoError(t, err)
	require.Equal(t, tmpl, got)
	list, err := s.ListTemplates(ctx)
	require.NoError(t, err)
	require.Equal(t, []reporting.Template{tmpl}, list)
	_, err = s.Template(ctx, "NOPE")
	require.ErrorIs(t, err, store.ErrNotFound)

	bad := sampleTemplate()
	bad.Code = "BAD"
	bad.Indicators[1].Min = "abc"
	err = s.CreateTemplate(ctx, bad, testAudit)
	var inErr *reporting.InputError
	require.ErrorAs(t, err, &inErr)
	require.Equal(t, "indicators[1]", inErr.Fields[0].Field)
}

func TestRegimes(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	seedTree(t, s)
	require.NoError(t, s.CreateTemplate(ctx, sampleTemplate(), testAudit))
	reviewer, err := s.CreateUser(ctx, store.User{Email: "reviewer@x.vn", Role: access.Staff}, "", testAudit)
	require.NoError(t, err)
	from := reporting.MustParseDate("2026-01-01")
	r := reporting.Regime{
		Code: "KTXH_MONTHLY", NameVI: "Báo cáo tháng", TemplateCode: "KTXH",
		Cadence: reporting.Monthly, DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleWorkingDays, N: 2},
		TimeZone: "Asia/Ho_Chi_Minh", Holidays: []reporting.Date{reporting.MustParseDate("2026-09-02")},
		Policy: reporting.Policy{
			ReminderOffsets: []time.Duration{72 * time.Hour, 90 * time.Second},
			Escalations: []reporting.EscalationStep{
				{After: 0, Recipients: []reporting.Recipient{reporting.RecipientOfficer}, Times: 1},
				{After: 36 * time.Hour, Recipients: []reporting.Recipient{reporting.RecipientHead, reporting.RecipientSupervisor}, Repeat: 24 * time.Hour, Times: 3},
			},
			ReviewTime: 0, CloseAfter: 10 * 24 * time.Hour,
		},
		ReviewerID:  &reviewer.ID,
		Assignments: []reporting.Assignment{{AgencyCode: "HNI", ActiveFrom: &from}, {AgencyCode: "HPG"}},
	}
	require.NoError(t, s.CreateRegime(ctx, r, testAudit))
	require.ErrorIs(t, s.CreateRegime(ctx, r, testAudit), store.ErrConflict)

	got, err := s.Regime(ctx, r.Code)
	require.NoError(t, err)
	r.Timeliness = reporting.TimelinessAcceptedVersion // a new regime's default
	r.SoftCheckFactor = reporting.DefaultSoftCheckFactor
	lateDays := reporting.DefaultLateFilingDays // and a late filing window of 30 days
	r.LateFilingDays = &lateDays
	// A regime that names no send time or windows gets 08:00 and Decree 09's.
	r.SendTime, r.Windows = reporting.DefaultSendTime, reporting.Decree09Windows
	require.Equal(t, r, got)

	badRule := r
	badRule.Code, badRule.Timeliness = "KTXH_OTHER", "last_version"
	var input *reporting.InputError
	require.ErrorAs(t, s.CreateRegime(ctx, badRule, testAudit), &input)
	require.Equal(t, "timeliness", input.Fields[0].Field)
	_, err = s.Regime(ctx, badRule.Code)
	require.ErrorIs(t, err, store.ErrNotFound, "a refused regime is not stored")
	badWindow := r
	tooLong := reporting.MaxLateFilingDays + 1
	badWindow.Code, badWindow.LateFilingDays = "KTXH_LATE", &tooLong
	require.ErrorAs(t, s.CreateRegime(ctx, badWindow, testAudit), &input)
	require.Equal(t, "late_filing_days", input.Fields[0].Field)
	_, err = s.Regime(ctx, badWindow.Code)
	require.ErrorIs(t, err, store.ErrNotFound, "a refused regime is not stored")

	require.NoError(t, s.SetAssignments(ctx, r.Code, []reporting.Assignment{{AgencyCode: "HNI-SYT"}}, testAudit))
	got, err = s.Regime(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, []reporting.Assignment{{AgencyCode: "HNI-SYT"}}, got.Assignments)

	err = s.SetAssignments(ctx, r.Code, []reporting.Assignment{{AgencyCode: "HPG"}, {AgencyCode: "NOPE"}}, testAudit)
	var inErr *reporting.InputError
	require.ErrorAs(t, err, &inErr)
	require.Equal(t, "assignments[1].agency", inErr.Fields[0].Field)
	got, err = s.Regime(ctx, r.Code)
	require.NoError(t, err)
	require.Equal(t, []reporting.Assignment{{AgencyCode: "HNI-SYT"}}, got.Assignments, "a refused change leaves the assignments")
	require.ErrorIs(t, s.SetAssignments(ctx, "NOPE", nil, testAudit), store.ErrNotFound)

	bad := r
	bad.Code = "BAD"
	bad.TemplateCode = "NOPE"
	bad.Policy.Escalations[1].Times = 0
	err = s.CreateRegime(ctx, bad, testAudit)
	require.ErrorAs(t, err, &inErr)
	fields := map[string]bool{}
	for _, f := range inErr.Fields {
		fields[f.Field] = true
	}
	require.True(t, fields["policy.escalations[1].times"], "%v", inErr)

	bad.Policy.Escalations[1].Times = 3
	err = s.CreateRegime(ctx, bad, testAudit)
	require.ErrorAs(t, err, &inErr)
	require.Equal(t, "template", inErr.Fields[0].Field)

	list, err := s.ListRegimes(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.False(t, errors.Is(err, store.ErrNotFound))
}

// TestAChangeWithoutAnAuditActionIsRefused: the audit entry is written in
// the transaction of the change, so an entry the log refuses undoes the
// change with it.
func TestAChangeWithoutAnAuditActionIsRefused(t *testing.T) {
	ctx := context.Background()
	s := crudStore(t)
	err := s.CreateTemplate(ctx, sampleTemplate(), store.AuditEntry{Actor: "test"})
	require.ErrorContains(t, err, "names no action")
	_, err = s.Template(ctx, sampleTemplate().Code)
	require.ErrorIs(t, err, store.ErrNotFound, "the template went with the refused entry")
}
