package browsertest

import (
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/access"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/systemtest"
	"rcm/web"
)

// Who signs in, with which password.
const (
	officerEmail = "canbo.p01@agency.test"
	staffEmail   = "vanphong@office.test"
	password     = "mật khẩu đủ dài cho thử nghiệm"
)

// site is rcm running for a browser: the real stack (systemtest.World: a
// fresh database, SMTP, the worker on the package's dev server) and the web
// server listening on loopback, with a cycle open for P01 and P02.
type site struct {
	t       *testing.T
	world   *systemtest.World
	url     string
	cycleID string
	regime  string
}

func newSite(t *testing.T) *site {
	t.Helper()
	w := systemtest.NewWorld(t, temporal, 50)
	w.SeedTree(map[string][]string{"R1": {"P01", "P02"}})
	seeder := operations.SystemCaller()
	for _, u := range []store.User{
		{Email: officerEmail, Name: "Cán bộ P01", Role: access.Officer, AgencyCode: "P01", Language: "vi"},
		{Email: staffEmail, Name: "Văn phòng", Role: access.Staff, Language: "vi"},
	} {
		_, err := w.Engine.CreateUser(w.Ctx, seeder, u, password)
		require.NoError(t, err)
	}
	// Regime codes are unique on the dev server, where workflow IDs outlive
	// a test's database.
	regime := "B" + randomCode(6)
	w.SeedRegime(regime, []string{"P01", "P02"}, reporting.Policy{ReminderOffsets: []time.Duration{30 * time.Minute},
		ReviewTime: time.Hour, CloseAfter: 2 * time.Hour})
	s := &site{t: t, world: w, regime: regime}
	s.cycleID = s.launch(pastPeriod(t))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	base := "http://" + ln.Addr().String()
	srv := web.NewServer(web.Config{Addr: ln.Addr().String(), BaseURL: base}, web.Deps{Operations: w.Engine,
		Logger: slog.New(slog.DiscardHandler)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("web server: %v", err)
		}
	})
	s.url = base
	return s
}

// launch opens a cycle of the site's regime for the period, due in an hour.
func (s *site) launch(period string) string {
	s.t.Helper()
	due := time.Now().Add(time.Hour)
	c, err := s.world.Engine.Launch(s.world.Ctx, s.world.Staff, operations.LaunchRequest{RegimeCode: s.regime, Period: period, Due: &due})
	require.NoError(s.t, err)
	s.world.WaitOpen(c.ID)
	return c.ID
}

// acceptedEarlier opens the cycle of the period before the site's and
// stores and accepts the figures for each agency, the previous period the
// soft checks compare with.
func (s *site) acceptedEarlier(figures map[string]reporting.Values) {
	s.t.Helper()
	p, err := reporting.ParsePeriod(pastPeriod(s.t))
	require.NoError(s.t, err)
	start, _ := p.Window()
	earlier, ok := reporting.PeriodContaining(reporting.Monthly, start.AddDays(-1))
	require.True(s.t, ok)
	id := s.launch(earlier.ID)
	for agency, values := range figures {
		s.world.Review(s.world.Submit(id, agency, values), reporting.DecisionAccepted, "")
	}
}

// agencyPath is the page of the cycle for an agency.
func (s *site) agencyPath(code string) string {
	return "/cycles/" + s.cycleID + "/agencies/" + code
}

// latest returns the figures of the agency's latest version.
func (s *site) latest(code string) reporting.Values {
	s.t.Helper()
	d, err := s.world.Engine.Obligation(s.world.Ctx, s.world.Staff, s.cycleID, code)
	require.NoError(s.t, err)
	require.NotEmpty(s.t, d.Versions, "nothing stored for %s", code)
	return d.Versions[0].Values
}

// pastPeriod is the latest monthly period whose data cut-off has passed.
func pastPeriod(t *testing.T) string {
	loc, err := reporting.DefaultLocation()
	require.NoError(t, err)
	current, ok := reporting.PeriodContaining(reporting.Monthly, reporting.DateOf(time.Now(), loc))
	require.True(t, ok)
	start, _ := current.Window()
	previous, ok := reporting.PeriodContaining(reporting.Monthly, start.AddDays(-1))
	require.True(t, ok)
	return previous.ID
}

func randomCode(n int) string {
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}
