package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	ucli "github.com/urfave/cli/v2"
	"golang.org/x/sync/errgroup"

	"rcm/demo"
	"rcm/devstack"
	"rcm/notifications"
	"rcm/operations"
	"rcm/process"
	"rcm/reporting"
	"rcm/store"
	"rcm/temporalclient"
	"rcm/worker"
	"rcm/workflows"
)

// Defaults of rcm dev.
const (
	DefaultDataDir = ".rcm"
	DefaultWebPort = 8080
	// devDatabase is the database rcm dev creates on a server it finds.
	devDatabase = "rcm"
	// devMailFrom is the sender of the mail rcm dev sends to Mailpit.
	devMailFrom = "rcm@" + demo.Domain
	// devStopTimeout bounds how long stopping the services may take.
	devStopTimeout = 30 * time.Second
)

// Topologies of rcm dev: how Temporal runs.
const (
	// topologyDev is the Temporal dev server: one process, SQLite, web UI.
	topologyDev = "dev"
	// topologyCluster is production's: the frontend, history, matching and
	// worker services as processes of their own, on PostgreSQL.
	topologyCluster = "cluster"
)

// devPort is a port rcm dev listens on, with the flag that changes it.
type devPort struct {
	flag, env, service string
	value              int
}

// devPortFlags are the flags of the ports rcm dev binds on 127.0.0.1.
func devPortFlags() []ucli.Flag {
	mk := func(name, env, usage string, value int) ucli.Flag {
		return &ucli.IntFlag{Name: name, Usage: usage, Value: value, EnvVars: []string{env}}
	}
	return []ucli.Flag{
		mk("web-port", "RCM_WEB_PORT", "port of rcm's web server and API", DefaultWebPort),
		mk("temporal-port", "RCM_TEMPORAL_PORT", "port of Temporal's frontend (gRPC), the dev server's or the cluster's", devstack.TemporalDefaultPort),
		mk("temporal-ui-port", "RCM_TEMPORAL_UI_PORT", "port of the Temporal web UI", devstack.TemporalDefaultUIPort),
		mk("mailpit-smtp-port", "RCM_MAILPIT_SMTP_PORT", "port of Mailpit's SMTP server", devstack.MailpitDefaultSMTPPort),
		mk("mailpit-http-port", "RCM_MAILPIT_HTTP_PORT", "port of Mailpit's web inbox", devstack.MailpitDefaultHTTPPort),
	}
}

// devCommand brings the whole system up on this machine.
func devCommand() *ucli.Command {
	flags := []ucli.Flag{
		&ucli.BoolFlag{Name: "demo", Usage: "seed the demo data (agencies, template, regime, users, tokens); safe to repeat", EnvVars: []string{"RCM_DEMO"}},
		&ucli.StringFlag{Name: "data-dir", Usage: "folder for the databases, logs and demo credentials", Value: DefaultDataDir, EnvVars: []string{"RCM_DATA_DIR"}},
		databaseURLFlag(),
		&ucli.StringFlag{Name: "temporal-address", Usage: "use this Temporal frontend (HOST:PORT) instead of starting a dev server",
			EnvVars: []string{"RCM_TEMPORAL_ADDRESS"}},
		&ucli.StringFlag{Name: "topology", Value: topologyDev, EnvVars: []string{"RCM_TOPOLOGY"},
			Usage: "how Temporal runs: dev (the dev server: one process on SQLite, with the web UI) or cluster " +
				"(production's: frontend, history, matching and worker processes on PostgreSQL)"},
		temporalNamespaceFlag(),
		taskQueueFlag(),
		&ucli.StringFlag{Name: "smtp-url", Usage: "use this SMTP server (smtp://host:port?from=ADDRESS) instead of starting Mailpit",
			EnvVars: []string{"RCM_SMTP_URL"}},
		logLevelFlag(),
	}
	flags = append(flags, temporalSecurityFlags()...)
	return &ucli.Command{
		Name:      "dev",
		Usage:     "run the whole system on this machine until Ctrl-C: Temporal, PostgreSQL, Mailpit, worker and web",
		UsageText: "rcm dev [--demo] [--data-dir DIR] [--database-url URL] [--temporal-address HOST:PORT] [--smtp-url URL] [--web-port N] ...",
		Description: `Brings up everything rcm needs, in the foreground, and stops all of it on
Ctrl-C:
  - Temporal: the dev server of the Temporal CLI (built once into rcm's cache,
    about 5 minutes the first time) with its database in DATA-DIR and its web
    UI; with --topology cluster, production's topology instead: the Temporal
    server's frontend, history, matching and worker services as four
    processes (built once too) with their databases "temporal" and
    "temporal_visibility" on the PostgreSQL server below, configured from
    the file docker-compose.yml uses; or the server at --temporal-address.
  - PostgreSQL: --database-url; else the server on 127.0.0.1:5432, else a
    private cluster in DATA-DIR/postgres from the installed server binaries;
    the database "rcm" is created on a server found this way.
  - Mail: Mailpit (SMTP and a web inbox) with its database in DATA-DIR; or
    the server at --smtp-url.
  - rcm: pending migrations, the demo data with --demo, the worker and the
    web server, in this process.
Then it prints every address you need. The services listen on 127.0.0.1
only; a port in use stops rcm dev with the flag that changes it.

Examples:
   rcm dev --demo
   rcm dev --demo --topology cluster
   rcm dev --web-port 9080 --temporal-port 7333 --temporal-ui-port 8333
   RCM_DATABASE_URL=postgres://rcm:secret@db.local:5432/rcm rcm dev`,
		Flags:  append(flags, devPortFlags()...),
		Action: runDev,
	}
}

// devConfig is what rcm dev was asked to do.
type devConfig struct {
	demo                                                bool
	dataDir                                             string
	databaseURL                                         string
	temporalAddress                                     string // "" starts a dev server or a cluster
	temporalConn                                        temporalclient.Config
	topology                                            string // topologyDev or topologyCluster
	namespace                                           string
	taskQueue                                           string
	smtpURL                                             string // "" starts Mailpit
	web, temporal, temporalUI, mailpitSMTP, mailpitHTTP devPort
}

func readDevConfig(c *ucli.Context) (devConfig, error) {
	cfg := devConfig{
		demo:            c.Bool("demo"),
		databaseURL:     c.String("database-url"),
		temporalAddress: c.String("temporal-address"),
		topology:        c.String("topology"),
		namespace:       c.String("temporal-namespace"),
		taskQueue:       c.String("task-queue"),
		smtpURL:         c.String("smtp-url"),
	}
	port := func(flag, service string) (devPort, error) {
		p := devPort{flag: flag, env: "RCM_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_")), service: service, value: c.Int(flag)}
		if p.value < 1 || p.value > 65535 {
			return p, usageError("--%s %d is not a port number (1-65535)", flag, p.value)
		}
		return p, nil
	}
	var err error
	for _, p := range []struct {
		into          *devPort
		flag, service string
	}{
		{&cfg.web, "web-port", "rcm web server"},
		{&cfg.temporal, "temporal-port", "Temporal dev server"},
		{&cfg.temporalUI, "temporal-ui-port", "Temporal web UI"},
		{&cfg.mailpitSMTP, "mailpit-smtp-port", "Mailpit SMTP server"},
		{&cfg.mailpitHTTP, "mailpit-http-port", "Mailpit web inbox"},
	} {
		if *p.into, err = port(p.flag, p.service); err != nil {
			return cfg, err
		}
	}
	if cfg.topology != topologyDev && cfg.topology != topologyCluster {
		return cfg, usageError("--topology %q: use %s (the Temporal dev server) or %s (frontend, history, matching and worker on PostgreSQL)",
			cfg.topology, topologyDev, topologyCluster)
	}
	if cfg.topology == topologyCluster && cfg.temporalAddress != "" {
		return cfg, usageError("--topology cluster starts a Temporal cluster and --temporal-address %s uses one already running: give one or the other",
			cfg.temporalAddress)
	}
	if cfg.temporalConn, err = temporalConfig(c); err != nil {
		return cfg, err
	}
	if cfg.temporalAddress == "" && cfg.temporalConn.Secure() {
		return cfg, usageError("--temporal-tls-* and --temporal-api-key apply to the server at --temporal-address; the dev server rcm dev starts listens without TLS")
	}
	if cfg.temporalAddress != "" {
		if _, _, err := net.SplitHostPort(cfg.temporalAddress); err != nil {
			return cfg, usageError("--temporal-address %q is not HOST:PORT, such as %s", cfg.temporalAddress, DefaultTemporalAddress)
		}
	}
	if cfg.dataDir, err = filepath.Abs(c.String("data-dir")); err != nil {
		return cfg, usageError("--data-dir %q: %v", c.String("data-dir"), err)
	}
	return cfg, nil
}

// ports lists the ports rcm dev will bind, each once.
func (cfg devConfig) ports() []devPort {
	ports := []devPort{cfg.web}
	switch {
	case cfg.temporalAddress != "":
	case cfg.topology == topologyCluster: // no web UI; devstack checks the services' other ports
		ports = append(ports, cfg.temporal)
	default:
		ports = append(ports, cfg.temporal, cfg.temporalUI)
	}
	if cfg.smtpURL == "" {
		ports = append(ports, cfg.mailpitSMTP, cfg.mailpitHTTP)
	}
	return ports
}

// checkPorts fails on the first port that is taken, or asked for twice.
func (cfg devConfig) checkPorts() error {
	seen := map[int]devPort{}
	for _, p := range cfg.ports() {
		if other, dup := seen[p.value]; dup {
			return usageError("--%s and --%s are both %d: give each service its own port", other.flag, p.flag, p.value)
		}
		seen[p.value] = p
		l, err := net.Listen("tcp", net.JoinHostPort(devstack.Loopback, strconv.Itoa(p.value)))
		if err != nil {
			return portInUse(p)
		}
		if err := l.Close(); err != nil {
			return fmt.Errorf("check port %d: %w", p.value, err)
		}
	}
	return nil
}

// portInUse is the one-line error for a port that is taken.
func portInUse(p devPort) error {
	return &ExitError{Code: ExitConflict, Err: fmt.Errorf(
		"port %d (%s) is already in use on %s: stop what listens there (another rcm dev?), or choose another port with --%s or %s",
		p.value, p.service, devstack.Loopback, p.flag, p.env)}
}

// asPortInUse turns a *devstack.PortInUseError into portInUse for the flag
// of its port (a port taken between the check and the start).
func (cfg devConfig) asPortInUse(err error) error {
	var pe *devstack.PortInUseError
	if errors.As(err, &pe) {
		for _, p := range cfg.ports() {
			if p.value == pe.Port {
				return portInUse(p)
			}
		}
	}
	return err
}

// devStack is what rcm dev started, stopped in reverse order.
type devStack struct {
	stderr   io.Writer
	services []*devstack.Process
	names    []string
	logs     []*os.File
}

func (s *devStack) add(name string, p *devstack.Process) {
	s.services = append(s.services, p)
	s.names = append(s.names, name)
}

// openLog opens (appending) the log file of a service in the data folder.
func (s *devStack) openLog(dataDir, name string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dataDir, name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open log file: %w", err)
	}
	s.logs = append(s.logs, f)
	return f, nil
}

// stop stops every service, the last started first, and closes the logs.
func (s *devStack) stop() {
	if len(s.services) > 0 {
		fmt.Fprintf(s.stderr, "Stopping %s...\n", strings.Join(s.names, ", "))
	}
	ctx, cancel := context.WithTimeout(context.Background(), devStopTimeout)
	defer cancel()
	for i := len(s.services) - 1; i >= 0; i-- {
		if err := s.services[i].Stop(ctx); err != nil {
			fmt.Fprintf(s.stderr, "rcm dev: %v\n", err)
		}
	}
	if len(s.services) > 0 {
		fmt.Fprintln(s.stderr, "Stopped.")
	}
	for _, f := range s.logs {
		_ = f.Close()
	}
	s.services, s.names, s.logs = nil, nil, nil
}

// watch returns when ctx ends (nil) or when a service exits on its own (an
// error saying which, with its last lines).
func (s *devStack) watch(ctx context.Context, g *errgroup.Group) {
	for _, p := range s.services {
		g.Go(func() error {
			select {
			case <-p.Done():
				return p.Wait()
			case <-ctx.Done():
				return nil
			}
		})
	}
}

// devAddresses are what rcm dev tells the person at the keyboard.
type devAddresses struct {
	web, temporal, temporalUI, mailpitUI, mailpitSMTP, smtp, database, dataDir string
	temporalDatabases                                                          string // of a cluster
	logs                                                                       []string
	creds                                                                      *demo.Credentials
	period                                                                     string
}

func runDev(c *ucli.Context) error {
	err := dev(c)
	if c.Context.Err() != nil {
		// Interrupted: whatever was starting has been stopped.
		return nil
	}
	return err
}

// dev is rcm dev until it is interrupted or a part of it fails.
func dev(c *ucli.Context) error {
	started := time.Now()
	ctx := c.Context
	stderr := c.App.ErrWriter
	cfg, err := readDevConfig(c)
	if err != nil {
		return err
	}
	logger, err := newLogger(c)
	if err != nil {
		return err
	}
	if cfg.smtpURL != "" {
		if _, err := parseSMTP(cfg.smtpURL); err != nil {
			return err
		}
	}
	if err := cfg.checkPorts(); err != nil {
		return err
	}
	// Hold the web port while the rest starts.
	webLn, err := net.Listen("tcp", net.JoinHostPort(devstack.Loopback, strconv.Itoa(cfg.web.value)))
	if err != nil {
		return portInUse(cfg.web)
	}
	defer webLn.Close() // harmless after the hand-over
	if err := os.MkdirAll(cfg.dataDir, 0o755); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}

	stack := &devStack{stderr: stderr}
	defer stack.stop()
	addrs := devAddresses{dataDir: cfg.dataDir, web: "http://" + webLn.Addr().String()}
	pg, err := startServices(ctx, cfg, stack, &addrs)
	if err != nil {
		return err
	}
	st, err := prepareDatabase(ctx, cfg, pg, stderr, &addrs)
	if err != nil {
		return err
	}
	defer st.Close()

	temporalAddress := cfg.temporalAddress
	if temporalAddress == "" {
		temporalAddress = net.JoinHostPort(devstack.Loopback, strconv.Itoa(cfg.temporal.value))
		if cfg.topology == topologyDev {
			addrs.temporalUI = "http://" + net.JoinHostPort(devstack.Loopback, strconv.Itoa(cfg.temporalUI.value))
		}
	}
	addrs.temporal = temporalAddress + ", namespace " + cfg.namespace
	if cfg.temporalAddress == "" && cfg.topology == topologyCluster {
		addrs.temporal += "  (frontend; history, matching and worker run beside it)"
	}
	smtpURL := cfg.smtpURL
	if smtpURL == "" {
		addrs.mailpitSMTP = net.JoinHostPort(devstack.Loopback, strconv.Itoa(cfg.mailpitSMTP.value))
		addrs.mailpitUI = devstack.MailpitURL(cfg.mailpitHTTP.value)
		smtpURL = "smtp://" + addrs.mailpitSMTP + "?from=" + url.QueryEscape(devMailFrom)
	}
	smtp, err := parseSMTP(smtpURL)
	if err != nil {
		return err
	}
	addrs.smtp = smtp.Redacted()

	conn := cfg.temporalConn
	conn.Address, conn.Namespace = temporalAddress, cfg.namespace
	tc, err := dialTemporal(ctx, conn, logger)
	if err != nil {
		return err
	}
	defer tc.Close()
	eng := operations.New(st, tc, logger, operations.WithTaskQueue(cfg.taskQueue),
		operations.WithMail(notifications.NewMailer(smtp), addrs.web))

	// The web server listens itself: hand the port over.
	_ = webLn.Close()
	run, runCtx := errgroup.WithContext(ctx)
	stack.watch(runCtx, run)
	parts := process.Parts{Store: st, Temporal: tc, Operations: eng, Logger: logger}
	run.Go(func() error {
		return process.RunDev(runCtx, parts,
			process.WorkerConfig{SMTP: smtp, BaseURL: addrs.web, Namespace: cfg.namespace, Options: worker.Options{TaskQueue: cfg.taskQueue}},
			process.ServerConfig{Addr: webLn.Addr().String(), BaseURL: addrs.web})
	})
	if !answersHealth(runCtx, addrs.web+"/healthz", 15*time.Second) && runCtx.Err() == nil {
		fmt.Fprintf(stderr, "rcm dev: %s/healthz does not answer yet; see the log above.\n", addrs.web)
	}
	if runCtx.Err() == nil {
		printDevAddresses(c.App.Writer, addrs, time.Since(started))
	}
	return run.Wait()
}

// answersHealth polls u until it answers 200, and reports whether it did
// before timeout or ctx's end.
func answersHealth(ctx context.Context, u string, timeout time.Duration) bool {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return false
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return true
			}
		}
		select {
		case <-ctx.Done():
			return false
		case <-tick.C:
		}
	}
}

// startServices provisions the tools and starts, side by side, the Temporal
// dev server and Mailpit (unless given addresses of others) and finds or
// starts PostgreSQL. What it started is on the stack, also after a failure.
func startServices(ctx context.Context, cfg devConfig, stack *devStack, addrs *devAddresses) (*devstack.Postgres, error) {
	// Tools first: building one takes minutes the first time, with progress.
	var temporalBin, mailpitBin, serverBin, sqlToolBin string
	if cfg.temporalAddress == "" || cfg.smtpURL == "" {
		cache, err := devstack.CacheDir()
		if err != nil {
			return nil, err
		}
		switch {
		case cfg.temporalAddress != "":
		case cfg.topology == topologyCluster:
			if serverBin, err = devstack.Ensure(ctx, devstack.TemporalServer(), cache, stack.stderr); err != nil {
				return nil, unavailable(err)
			}
			if sqlToolBin, err = devstack.Ensure(ctx, devstack.TemporalSQLTool(), cache, stack.stderr); err != nil {
				return nil, unavailable(err)
			}
		default:
			if temporalBin, err = devstack.Ensure(ctx, devstack.TemporalCLI(), cache, stack.stderr); err != nil {
				return nil, unavailable(err)
			}
		}
		if cfg.smtpURL == "" {
			if mailpitBin, err = devstack.Ensure(ctx, devstack.Mailpit(), cache, stack.stderr); err != nil {
				return nil, unavailable(err)
			}
		}
	}

	var (
		temporalProc, mailpitProc *devstack.Process
		pg                        *devstack.Postgres
	)
	g, gctx := errgroup.WithContext(ctx)
	if temporalBin != "" {
		logFile, err := stack.openLog(cfg.dataDir, "temporal.log")
		if err != nil {
			return nil, err
		}
		addrs.logs = append(addrs.logs, "temporal.log")
		g.Go(func() error {
			var err error
			temporalProc, err = devstack.StartTemporal(gctx, devstack.TemporalOptions{
				Binary: temporalBin, DataDir: cfg.dataDir, Port: cfg.temporal.value, UIPort: cfg.temporalUI.value,
				Namespace: cfg.namespace, SearchAttributes: searchAttributeTypes(), Log: logFile,
			})
			return cfg.asPortInUse(err)
		})
	}
	if mailpitBin != "" {
		logFile, err := stack.openLog(cfg.dataDir, "mailpit.log")
		if err != nil {
			return nil, err
		}
		addrs.logs = append(addrs.logs, "mailpit.log")
		g.Go(func() error {
			var err error
			mailpitProc, err = devstack.StartMailpit(gctx, devstack.MailpitOptions{
				Binary: mailpitBin, SMTPPort: cfg.mailpitSMTP.value, HTTPPort: cfg.mailpitHTTP.value,
				DataDir: cfg.dataDir, Log: logFile,
			})
			return cfg.asPortInUse(err)
		})
	}
	var pgLog io.Writer
	if cfg.databaseURL == "" {
		logFile, err := stack.openLog(cfg.dataDir, "postgres.log")
		if err != nil {
			return nil, err
		}
		pgLog = logFile
	}
	g.Go(func() error {
		var err error
		pg, err = devstack.FindPostgres(gctx, devstack.PostgresOptions{
			URL: cfg.databaseURL, DataDir: filepath.Join(cfg.dataDir, "postgres"), Log: pgLog,
		})
		return err
	})
	err := g.Wait()
	if temporalProc != nil {
		stack.add("Temporal dev server", temporalProc)
	}
	if mailpitProc != nil {
		stack.add("Mailpit", mailpitProc)
	}
	if pg != nil && pg.Private() {
		stack.add("PostgreSQL (private cluster)", pg.Process())
		addrs.logs = append(addrs.logs, "postgres.log")
	}
	if err != nil {
		return nil, unavailable(err)
	}
	if serverBin != "" {
		// The cluster keeps its databases on the PostgreSQL server just found.
		cluster, err := devstack.StartTemporalCluster(ctx, devstack.TemporalClusterOptions{
			ServerBinary: serverBin, SQLTool: sqlToolBin, Postgres: pg,
			Dir: filepath.Join(cfg.dataDir, "temporal-cluster"), LogDir: cfg.dataDir,
			Ports:     devstack.TemporalClusterPortsFrom(cfg.temporal.value),
			Namespace: cfg.namespace, SearchAttributes: searchAttributeTypes(),
		})
		if err != nil {
			return nil, unavailable(cfg.asPortInUse(err))
		}
		for i, service := range cluster.Services() {
			stack.add("Temporal "+service, cluster.Processes()[i])
			addrs.logs = append(addrs.logs, devstack.TemporalClusterLogFile(service))
		}
		main, err := devstack.WithDatabase(pg.URL(), devstack.TemporalDatabase)
		if err != nil {
			return nil, err
		}
		addrs.temporalDatabases = devstack.RedactURL(main) + " and " + devstack.TemporalVisibilityDatabase
	}
	return pg, nil
}

// prepareDatabase creates rcm's database on a server rcm dev found (a
// given URL is used as it is), applies the migrations, opens the store and,
// with --demo, seeds the demo data.
func prepareDatabase(ctx context.Context, cfg devConfig, pg *devstack.Postgres, stderr io.Writer, addrs *devAddresses) (*store.Store, error) {
	dbURL := cfg.databaseURL
	if dbURL == "" {
		var err error
		if dbURL, err = pg.CreateDatabase(ctx, devDatabase); err != nil {
			return nil, unavailable(err)
		}
	}
	addrs.database = devstack.RedactURL(dbURL)
	applied, err := store.MigrateUpReport(ctx, dbURL)
	if err != nil {
		return nil, unavailable(err)
	}
	reportMigrations(stderr, applied)
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		return nil, unavailable(err)
	}
	if cfg.demo {
		ops := operations.New(st, nil, nil)
		creds, err := demo.Seed(ctx, ops, demo.Options{CredentialsFile: filepath.Join(cfg.dataDir, demo.CredentialsFileName)})
		if err != nil {
			st.Close()
			return nil, fmt.Errorf("seed the demo data: %w", err)
		}
		fmt.Fprintf(stderr, "Demo data: %s.\n", creds.Seeded)
		addrs.creds = &creds
		addrs.period = nextFreePeriod(ctx, ops, time.Now())
	}
	return st, nil
}

// searchAttributeTypes are rcm's custom search attributes for the dev
// server to register at start.
func searchAttributeTypes() map[string]string {
	types := map[string]string{}
	for _, name := range workflows.SearchAttributeNames() {
		types[name] = "Keyword"
	}
	return types
}

// reportMigrations says which migrations were applied.
func reportMigrations(w io.Writer, applied []store.MigrationStatus) {
	if len(applied) == 0 {
		fmt.Fprintln(w, "Database: up to date.")
		return
	}
	names := make([]string, len(applied))
	for i, m := range applied {
		names[i] = m.Name
	}
	fmt.Fprintf(w, "Database: applied %d migration(s): %s.\n", len(applied), strings.Join(names, ", "))
}

// nextFreePeriod is the latest monthly period whose data cut-off has
// passed (in Vietnam time) and that has no cycle of the demo regime yet: a
// cycle launched with --due a few minutes ahead must be due after its
// cut-off, and a period is launched once.
func nextFreePeriod(ctx context.Context, ops *operations.Engine, now time.Time) string {
	loc, err := reporting.LoadLocation(reporting.DefaultZone)
	if err != nil {
		loc = time.UTC
	}
	current, ok := reporting.PeriodContaining(reporting.Monthly, reporting.DateOf(now, loc))
	if !ok {
		return now.In(loc).Format("2006-01")
	}
	period := current.Prev()
	for range 24 {
		if _, err := ops.Cycle(ctx, operations.DemoCaller(), operations.CycleID(demo.RegimeCode, period.ID)); errors.Is(err, operations.ErrNotFound) {
			return period.ID
		}
		period = period.Prev()
	}
	return period.ID
}

// printDevAddresses prints the block a person needs to use the system.
func printDevAddresses(w io.Writer, a devAddresses, took time.Duration) {
	fmt.Fprintf(w, "\nrcm dev is up (%.1fs). Ctrl-C stops everything.\n\n", took.Seconds())
	line := func(name, value string) { fmt.Fprintf(w, "  %-14s %s\n", name, value) }
	line("rcm web", a.web+"/")
	line("rcm API", a.web+"/api/v1  (OpenAPI: "+a.web+"/api/openapi.json)")
	if a.temporalUI != "" {
		line("Temporal UI", a.temporalUI+"/")
	}
	line("Temporal", a.temporal)
	if a.temporalDatabases != "" {
		line("Temporal DB", a.temporalDatabases)
	}
	if a.mailpitUI != "" {
		line("Mailpit inbox", a.mailpitUI+"/  (SMTP "+a.mailpitSMTP+")")
	} else {
		line("mail (SMTP)", a.smtp)
	}
	line("database", a.database)
	data := relativePath(a.dataDir)
	if len(a.logs) > 0 {
		line("data and logs", data+"/  ("+strings.Join(a.logs, ", ")+")")
	} else {
		line("data", data+"/")
	}
	var next []string
	if a.creds != nil {
		staff, _ := a.creds.Token("staff", "")
		officer, _ := a.creds.Token("officer", "")
		file := relativePath(a.creds.File)
		line("demo sign-in", fmt.Sprintf("%s (office staff), %s (officer), ... passwords in %s", staff.Email, officer.Email, file))
		line("demo tokens", file)
		next = []string{
			"Next: launch a demo cycle that runs its reminders and escalations in minutes, and watch the mail arrive:",
			fmt.Sprintf("  export RCM_SERVER=%s RCM_TOKEN=%s", a.web, demo.TokenCommand(file, "staff")),
			fmt.Sprintf("  %s %s", selfCommand(), strings.Join(demoLaunchArgs(a.period), " ")),
			"or preview it on the launch page (signed in as office staff) and launch it from there:",
			"  " + demoLaunchPage(a.web, a.period),
		}
	} else {
		next = []string{
			"Next: create the first office-staff user (it prints an API token), or restart with --demo for demo data:",
			fmt.Sprintf("  %s user bootstrap --email you@example.gov.vn --database-url '%s'", selfCommand(), a.database),
		}
	}
	fmt.Fprintln(w)
	for _, l := range next {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
}

// demoLaunchArgs are the arguments of the demo's next step: a cycle of the
// demo regime due in 5 minutes, with reminders, escalations, review time and
// close in minutes too. They need no shell quoting.
func demoLaunchArgs(period string) []string {
	return []string{"cycle", "launch", "--regime", demo.RegimeCode, "--period", period,
		"--due", "+5m", "--reminders", "3m,1m", "--escalations", "1m:officer+head,2m:supervisor",
		"--review-time", "2m", "--close-after", "4m", "--wait"}
}

// demoLaunchPage is the launch page previewing the cycle of demoLaunchArgs.
func demoLaunchPage(web, period string) string {
	q := url.Values{"regime": {demo.RegimeCode}, "period": {period}, "due": {"+5m"}, "reminders": {"3m,1m"},
		"escalations": {"1m:officer+head,2m:supervisor"}, "review_time": {"2m"}, "close_after": {"4m"}}
	return strings.TrimSuffix(web, "/") + "/launch?" + q.Encode()
}

// relativePath shows path relative to the working folder when it is inside it.
func relativePath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(wd, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return path
	}
	return rel
}

// selfCommand is how to run this rcm again: "go run ./cmd/rcm" under go run
// (and in tests), "rcm" otherwise.
func selfCommand() string {
	exe, err := os.Executable()
	if err == nil && strings.Contains(exe, string(filepath.Separator)+"go-build") {
		return "go run ./cmd/rcm"
	}
	return "rcm"
}
