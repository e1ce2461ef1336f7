package crashtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"rcm/access"
	"rcm/devstack"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/systemtest"
	"rcm/testenv"
)

// workerBaseURL is the public address the worker writes in links; its host
// is also the right-hand side of every Message-ID (cli's messageIDDomain),
// so the test can tell a message's key from its Message-ID.
const (
	workerBaseURL   = "http://rcm.crash.test"
	messageIDDomain = "rcm.crash.test"
)

// stack is one rcm installation with services of its own: a private
// PostgreSQL cluster, a Temporal dev server on a database file, an SMTP
// server, and the built rcm running as `rcm serve` and `rcm worker`.
type stack struct {
	t        *testing.T
	logs     *testenv.Buffer // the services' output
	pg       *postgresServer
	dbURL    string
	store    *store.Store // the test's own connections, to seed and to check
	temporal *temporalServer
	tc       client.Client // the test's client of Temporal, to read histories
	smtp     *testenv.SMTP
	server   string // rcm serve's base URL
	serve    *rcmProcess
	worker   *rcmProcess
}

// newStack starts the services and prepares (does not start) serve and
// worker; everything stops when the test ends.
func newStack(t *testing.T, bin string) *stack {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// The cluster runs as the postgres user when the test runs as root: its
	// folder must be one that user can enter (t.TempDir's are not).
	dir, err := os.MkdirTemp(memoryDir(), "rcm-crashtest-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := &stack{t: t, logs: &testenv.Buffer{}}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("services' output (last lines):\n%s", lastLines(s.logs.String(), 30))
		}
	})
	s.pg = startPostgres(t, dir, s.logs)
	if s.dbURL, err = s.pg.createDatabase(ctx, "rcm"); err != nil {
		t.Fatal(err)
	}
	if err := store.MigrateUp(ctx, s.dbURL); err != nil {
		t.Fatal(err)
	}
	if s.store, err = store.Open(ctx, s.dbURL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.store.Close)

	s.temporal = startTemporal(t, dir, s.logs)
	s.tc, err = client.Dial(client.Options{HostPort: s.temporal.hostPort(), Namespace: testenv.TemporalNamespace,
		Logger: tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.tc.Close)
	s.smtp = testenv.SMTPServer(t)

	port, err := devstack.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr := fmt.Sprintf("%s:%d", devstack.Loopback, port)
	s.server = "http://" + addr
	s.serve = newRCMProcess(t, "serve", bin, "serve", "--addr", addr, "--database-url", s.dbURL,
		"--temporal-address", s.temporal.hostPort())
	s.worker = newRCMProcess(t, "worker", bin, "worker", "--database-url", s.dbURL,
		"--temporal-address", s.temporal.hostPort(), "--smtp-url", s.smtp.URL(), "--base-url", workerBaseURL)
	return s
}

// startRCM starts serve and worker and waits until serve is ready.
func (s *stack) startRCM() {
	s.t.Helper()
	if err := s.serve.start(); err != nil {
		s.t.Fatal(err)
	}
	if err := s.worker.start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(s.server + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("rcm serve not ready after a minute (last: %v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tokens are the API tokens of the script's people, and the keys of the
// closing summaries they will be sent.
type tokens struct {
	staff     string
	officers  map[string]string // by agency code
	summaries []reporting.NotificationKey
}

// seed writes the agency tree (VN → regions → provinces, with officer and
// head addresses), office staff, a supervisor per region, an officer per
// province, the SEI template and the script's regime.
func (s *stack) seed(sc script) tokens {
	t := s.t
	t.Helper()
	ctx := context.Background()
	agencies := []reporting.Agency{{Code: "VN", NameVI: "Việt Nam", NameEN: "Viet Nam", Kind: "national"}}
	for r := 1; r <= sc.regions; r++ {
		agencies = append(agencies, reporting.Agency{Code: regionCode(r), ParentCode: "VN", NameVI: "Vùng " + regionCode(r), Kind: "region"})
	}
	for i := 1; i <= sc.agencies; i++ {
		p := systemtest.Province(i)
		agencies = append(agencies, reporting.Agency{Code: p, ParentCode: regionCode(sc.regionOf(i)), NameVI: "Tỉnh " + p, Kind: "province",
			OfficerEmail: "officer." + p + "@agency.test", HeadEmail: "head." + p + "@agency.test"})
	}
	if _, _, err := s.seeder().ImportAgencies(ctx, operations.SystemCaller(), agencies); err != nil {
		t.Fatal(err)
	}
	tok := tokens{officers: map[string]string{}}
	summary := func(about string, u store.User) reporting.NotificationKey {
		return reporting.NotificationKey{CycleID: operations.CycleID(sc.regime, sc.period), Subject: fmt.Sprintf("%s/u%d", about, u.ID),
			Kind: reporting.EventCycleSummary}
	}
	var staff store.User
	staff, tok.staff = s.user(store.User{Email: "staff@office.test", Role: access.Staff, Language: "vi"})
	tok.summaries = append(tok.summaries, summary("*", staff))
	for r := 1; r <= sc.regions; r++ {
		sup, _ := s.user(store.User{Email: "supervisor." + regionCode(r) + "@office.test", Role: access.Supervisor, AgencyCode: regionCode(r), Language: "vi"})
		tok.summaries = append(tok.summaries, summary(regionCode(r), sup))
	}
	for i := 1; i <= sc.agencies; i++ {
		p := systemtest.Province(i)
		_, tok.officers[p] = s.user(store.User{Email: "submitter." + p + "@agency.test", Role: access.Officer, AgencyCode: p, Language: "vi"})
	}
	if err := s.seeder().CreateTemplate(ctx, operations.SystemCaller(), systemtest.SEITemplate()); err != nil {
		t.Fatal(err)
	}
	rule, err := reporting.ParseDeadlineRule("workdays:2")
	if err != nil {
		t.Fatal(err)
	}
	// The script's "returned then accepted" resubmits whenever the faults let
	// it: judged by the first version, it is on time either way.
	regime := reporting.Regime{Code: sc.regime, NameVI: "Báo cáo KT-XH hằng tháng", TemplateCode: "SEI", Cadence: reporting.Monthly,
		Timeliness:   reporting.TimelinessFirstVersion,
		DeadlineRule: rule, Policy: reporting.Policy{CloseAfter: sc.closeAfter}}
	for i := 1; i <= sc.agencies; i++ {
		regime.Assignments = append(regime.Assignments, reporting.Assignment{AgencyCode: systemtest.Province(i)})
	}
	if _, err := s.seeder().CreateRegime(ctx, operations.SystemCaller(), regime); err != nil {
		t.Fatal(err)
	}
	return tok
}

// seeder is the operations the stack's data is seeded through.
func (s *stack) seeder() *operations.Engine { return operations.New(s.store, nil, nil) }

// user creates a user and returns it with an API token of theirs.
func (s *stack) user(u store.User) (store.User, string) {
	ctx := context.Background()
	u, err := s.seeder().CreateUser(ctx, operations.SystemCaller(), u, "")
	if err != nil {
		s.t.Fatal(err)
	}
	secret, _, err := s.seeder().CreateToken(ctx, operations.SystemCaller(), u.ID, "crashtest", nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return u, secret
}

// memoryDir is where the services keep their files: /dev/shm where there is
// one. The faults are crashes of processes, not of the machine: what a
// killed process wrote is in the kernel's page cache either way, and on a
// memory file system the fsyncs of PostgreSQL and of Temporal's SQLite file
// (8 ms each on the development machine's disk) do not slow the timeline.
func memoryDir() string {
	if info, err := os.Stat("/dev/shm"); err == nil && info.IsDir() {
		return "/dev/shm"
	}
	return os.TempDir()
}

func regionCode(r int) string { return fmt.Sprintf("R%d", r) }
