package demo

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/access"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/testenv"
)

// TestSeedMakesTheDemo seeds a fresh database once and checks the story of
// it; seeding hashes 42 passwords, slow on purpose, so the database is shared.
func TestSeedMakesTheDemo(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.Database(t))
	require.NoError(t, err)
	t.Cleanup(st.Close)
	file := filepath.Join(t.TempDir(), "data", CredentialsFileName)
	ops := operations.New(st, nil, nil)
	creds, err := Seed(ctx, ops, Options{CredentialsFile: file})
	require.NoError(t, err)
	s := struct {
		st    *store.Store
		ops   *operations.Engine
		creds Credentials
		file  string
	}{st, ops, creds, file}

	t.Run("the agency tree: root, six regions, 34 provinces and cities, the ministries, three cities' departments", func(t *testing.T) {
		all, err := s.st.ListAgencies(ctx, store.AgencyFilter{Limit: 1000})
		require.NoError(t, err)
		kinds := map[string]int{}
		for _, a := range all {
			kinds[a.Kind]++
			assert.Equal(t, "vanphong."+strings.ToLower(a.Code)+"@rcm.test", a.OfficerEmail, a.Code)
			assert.Equal(t, "lanhdao."+strings.ToLower(a.Code)+"@rcm.test", a.HeadEmail, a.Code)
		}
		assert.Equal(t, map[string]int{"national": 1, "region": 6, "city": 6, "province": 28, "ministry": 14, "ministerial_agency": 3,
			"department": 9}, kinds)
		assert.Len(t, all, 67)

		hni, err := s.st.Agency(ctx, "HNI")
		require.NoError(t, err)
		assert.Equal(t, "/VN/R-DBSH/HNI/", hni.Path)
		dbsh, err := s.st.Agency(ctx, "R-DBSH")
		require.NoError(t, err)
		assert.Equal(t, "Red River Delta", dbsh.NameEN)
		for _, a := range all {
			assert.NotEmpty(t, a.NameEN, "%s has an English name", a.Code)
		}
		btc, err := s.st.Agency(ctx, "BTC")
		require.NoError(t, err)
		assert.Equal(t, "/VN/BTC/", btc.Path)
		assert.Equal(t, Summary{Agencies: 67, AgenciesCreated: 67, Users: 54, UsersCreated: 54,
			TemplateCreated: true, RegimeCreated: true, Assigned: 34, CalendarsCreated: 2, TieredRegimeCreated: true}, s.creds.Seeded)
	})

	t.Run("the two-tier regime has departments reviewed by their province", func(t *testing.T) {
		r, err := s.st.Regime(ctx, TieredRegimeCode)
		require.NoError(t, err)
		require.Len(t, r.Tiers, 2)
		assert.Len(t, r.Assignments, 12, "three provinces and their three departments each")
		syt, err := s.st.Agency(ctx, "HNI-STC")
		require.NoError(t, err)
		assert.Equal(t, "/VN/R-DBSH/HNI/HNI-STC/", syt.Path)
		reviewer, err := s.st.UserByEmail(ctx, "thamdinh.hni@rcm.test")
		require.NoError(t, err)
		assert.Equal(t, access.Reviewer, reviewer.Role)
		assert.Equal(t, "HNI", reviewer.AgencyCode)
	})

	t.Run("the template validates and is stored as written", func(t *testing.T) {
		require.NoError(t, Template().Validate())
		got, err := s.st.Template(ctx, TemplateCode)
		require.NoError(t, err)
		require.Len(t, got.Indicators, 11)
		want := Template()
		for i, ind := range got.Indicators {
			assert.Equal(t, want.Indicators[i].Code, ind.Code)
			assert.Equal(t, want.Indicators[i].Aggregation, ind.Aggregation, ind.Code)
			assert.NotEmpty(t, ind.NameEN, ind.Code)
		}
		retail, _ := got.Indicator("RETAIL_SALES")
		assert.Equal(t, "tỷ đồng", retail.Unit)
		assert.Equal(t, reporting.AggregationSum, retail.Aggregation)
		growth, _ := got.Indicator("GRDP_GROWTH")
		assert.Equal(t, reporting.WeightedMean("GRDP"), growth.Aggregation, "growth is weighted by the GRDP that grows")
		for _, code := range []string{"IIP_GROWTH", "UNEMPLOYMENT_RATE"} {
			rate, _ := got.Indicator(code)
			assert.Equal(t, reporting.AggregationNone, rate.Aggregation, "%s has no weight in the template: not combined", code)
		}
		notes, _ := got.Indicator("HIGHLIGHTS")
		assert.Equal(t, reporting.TypeText, notes.Type)
		assert.Equal(t, "Tình hình nổi bật", notes.NameVI)
	})

	t.Run("the regime: monthly, two working days, assigned to the provinces and cities", func(t *testing.T) {
		r, err := s.st.Regime(ctx, RegimeCode)
		require.NoError(t, err)
		assert.Equal(t, reporting.Monthly, r.Cadence)
		assert.Equal(t, "workdays:2", r.DeadlineRule.String())
		assert.Equal(t, "Asia/Ho_Chi_Minh", r.TimeZone)
		assert.Equal(t, reporting.TimelinessAcceptedVersion, r.Timeliness, "a new regime judges on time by the accepted version")
		assert.Equal(t, TemplateCode, r.TemplateCode)
		assert.Equal(t, Policy(), r.Policy)
		staff, err := s.st.UserByEmail(ctx, "chuyenvien.vpcp@rcm.test")
		require.NoError(t, err)
		require.NotNil(t, r.ReviewerID)
		assert.Equal(t, staff.ID, *r.ReviewerID)
		var assigned []string
		for _, a := range r.Assignments {
			assigned = append(assigned, a.AgencyCode)
			ag, err := s.st.Agency(ctx, a.AgencyCode)
			require.NoError(t, err)
			assert.Contains(t, []string{"province", "city"}, ag.Kind, a.AgencyCode)
		}
		assert.Len(t, assigned, 34)
		assert.Contains(t, assigned, "HNI")
		assert.Contains(t, assigned, "AGG")
		assert.NotContains(t, assigned, "BTC")
	})

	t.Run("users of every role sign in with a password of their own", func(t *testing.T) {
		seen := map[string]string{}
		for email, want := range map[string]access.Role{
			"chuyenvien.vpcp@rcm.test": access.Staff,
			"vanphong.hni@rcm.test":    access.Officer,
			"vanphong.cmu@rcm.test":    access.Officer,
			"giamsat.r-tn@rcm.test":    access.Supervisor,
			"giamsat.vn@rcm.test":      access.Supervisor,
		} {
			password := s.creds.PasswordOf(email)
			require.GreaterOrEqual(t, len(password), store.MinPasswordLength, email)
			require.NotContains(t, seen, password, "%s has the password of %s", email, seen[password])
			seen[password] = email
			u, err := s.st.AuthenticatePassword(ctx, email, password)
			require.NoError(t, err, email)
			assert.Equal(t, want, u.Role, email)
		}
		_, err := s.st.AuthenticatePassword(ctx, "vanphong.hni@rcm.test", s.creds.PasswordOf("vanphong.hcm@rcm.test"))
		require.ErrorIs(t, err, store.ErrBadCredentials, "one user's password is not another's")
		_, err = s.st.UserByEmail(ctx, "vanphong.btc@rcm.test")
		assert.ErrorIs(t, err, store.ErrNotFound, "ministries do not report under the demo regime, so they have no officer user")
	})

	t.Run("the tokens work and are in the private credentials file", func(t *testing.T) {
		require.Len(t, s.creds.Tokens, 4)
		assert.Equal(t, s.file, s.creds.File)
		for _, tok := range s.creds.Tokens {
			p, err := s.st.PrincipalForToken(ctx, tok.Token)
			require.NoError(t, err, tok.Email)
			assert.Equal(t, tok.Role, p.Role)
			assert.Equal(t, tok.Email, p.Email)
			assert.Equal(t, tok.AgencyCode, p.AgencyCode)
		}
		sup, ok := s.creds.Token(access.Supervisor, "")
		require.True(t, ok)
		assert.Equal(t, "R-DBSH", sup.AgencyCode)

		info, err := os.Stat(s.file)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
		b, err := os.ReadFile(s.file)
		require.NoError(t, err)
		for _, tok := range s.creds.Tokens {
			assert.Contains(t, string(b), tok.Token)
		}
		for email, password := range s.creds.Passwords {
			assert.Regexp(t, `(?m)^password +`+regexp.QuoteMeta(email)+` +`+regexp.QuoteMeta(password)+`$`, string(b))
		}
		assert.Len(t, s.creds.Passwords, 54)
	})

	t.Run("the shell command in the file reads the staff token", func(t *testing.T) {
		out, err := exec.Command("sh", "-c", "printf %s "+TokenCommand(s.file, "staff")).CombinedOutput()
		require.NoError(t, err, string(out))
		staff, _ := s.creds.Token(access.Staff, "")
		assert.Equal(t, staff.Token, string(out))
	})

	t.Run("seeding again changes nothing but the tokens", func(t *testing.T) {
		before := auditCount(t, s.st)
		again, err := Seed(ctx, s.ops, Options{CredentialsFile: s.file})
		require.NoError(t, err)
		assert.False(t, again.Seeded.Changed(), again.Seeded.String())
		assert.Equal(t, Summary{Agencies: 67, Users: 54, Assigned: 34}, again.Seeded)
		// Each of the four holders: one token revoked, one created; no password changes.
		assert.Equal(t, before+8, auditCount(t, s.st))
		assert.Equal(t, s.creds.Passwords, again.Passwords, "the passwords of the file are kept")

		for i, old := range s.creds.Tokens {
			_, err := s.st.PrincipalForToken(ctx, old.Token)
			assert.ErrorIs(t, err, store.ErrTokenRevoked, old.Email)
			_, err = s.st.PrincipalForToken(ctx, again.Tokens[i].Token)
			assert.NoError(t, err, again.Tokens[i].Email)
		}
		b, err := os.ReadFile(s.file)
		require.NoError(t, err)
		assert.Contains(t, string(b), again.Tokens[0].Token)
		assert.NotContains(t, string(b), s.creds.Tokens[0].Token)
		leftovers, err := filepath.Glob(filepath.Join(filepath.Dir(s.file), ".*"))
		require.NoError(t, err)
		assert.Empty(t, leftovers, "no temporary files stay behind")
	})

	t.Run("seeding again brings back a changed agency", func(t *testing.T) {
		hni, err := s.st.Agency(ctx, "HNI")
		require.NoError(t, err)
		hni.OfficerEmail = "someone@else.test"
		_, _, err = s.ops.ImportAgencies(ctx, operations.SystemCaller(), []reporting.Agency{hni})
		require.NoError(t, err)

		again, err := Seed(ctx, s.ops, Options{})
		require.NoError(t, err)
		assert.Equal(t, 1, again.Seeded.AgenciesUpdated)
		assert.Empty(t, again.File, "no file was asked for")
		hni, err = s.st.Agency(ctx, "HNI")
		require.NoError(t, err)
		assert.Equal(t, "vanphong.hni@rcm.test", hni.OfficerEmail)
	})
}

func TestSummaryString(t *testing.T) {
	assert.Equal(t, "67 agencies (67 new), 54 users (54 new), template SEI (new), regime SEI_MONTHLY for 34 agencies (new), two-tier regime SEI_TWO_TIER (new)",
		Summary{Agencies: 67, AgenciesCreated: 67, Users: 54, UsersCreated: 54, TemplateCreated: true, RegimeCreated: true, Assigned: 34,
			TieredRegimeCreated: true}.String())
	assert.Equal(t, "67 agencies (1 updated), 54 users, template SEI, regime SEI_MONTHLY for 34 agencies, two-tier regime SEI_TWO_TIER",
		Summary{Agencies: 67, AgenciesUpdated: 1, Users: 54, Assigned: 34}.String())
}

func TestHolidaysAreWorkingDaysOf2026(t *testing.T) {
	days := Holidays2026()
	require.True(t, slices.IsSortedFunc(days, func(a, b reporting.Date) int { return a.Compare(b) }))
	for _, d := range days {
		wd := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Weekday()
		assert.NotContains(t, []time.Weekday{time.Saturday, time.Sunday}, wd, d.String())
	}
}

func TestShellQuote(t *testing.T) {
	assert.Equal(t, ".rcm/demo-credentials.txt", shellQuote(".rcm/demo-credentials.txt"))
	assert.Equal(t, `'/tmp/my data/it'\''s.txt'`, shellQuote("/tmp/my data/it's.txt"))
}

func auditCount(t *testing.T, st *store.Store) int {
	t.Helper()
	var n int
	require.NoError(t, st.Pool().QueryRow(context.Background(), `SELECT count(*) FROM audit_log`).Scan(&n))
	return n
}

func TestShippedCalendarsHoldTetAndAMakeUpSaturday(t *testing.T) {
	cals, err := Calendars()
	require.NoError(t, err)
	require.Len(t, cals, 2)
	vn, err := reporting.DefaultLocation()
	require.NoError(t, err)
	cal := reporting.WorkingCalendar(vn, cals, nil)
	for _, off := range []string{"2026-02-17", "2026-04-27", "2026-09-02", "2027-02-05", "2027-02-12", "2027-04-16", "2027-05-03"} {
		require.False(t, cal.IsWorkingDay(reporting.MustParseDate(off)), off)
	}
	require.True(t, cal.IsWorkingDay(reporting.MustParseDate("2027-02-20")), "the make-up Saturday")
	require.True(t, cal.IsWorkingDay(reporting.MustParseDate("2026-02-23")), "the Monday after Tết 2026")
	for _, c := range cals {
		require.NotEmpty(t, c.Source)
	}
}
