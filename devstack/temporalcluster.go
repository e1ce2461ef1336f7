package devstack

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"rcm/temporalconfig"
)

// Defaults of a Temporal cluster.
const (
	// TemporalDatabase and TemporalVisibilityDatabase are the databases a
	// cluster keeps its state and its visibility records in.
	TemporalDatabase           = "temporal"
	TemporalVisibilityDatabase = "temporal_visibility"
	// TemporalSQLPlugin is the persistence plugin of the cluster, for the
	// server (rcm.yaml) and the schema tool alike.
	TemporalSQLPlugin = "postgres12"
	// TemporalNamespaceRetention is how long a cluster keeps the history
	// of a closed workflow in the namespace it registers (docker-compose.yml
	// registers it with the same).
	TemporalNamespaceRetention = 30 * 24 * time.Hour
)

const (
	// temporalClusterReadyTimeout bounds how long StartTemporalCluster waits
	// for the four services; they usually answer within 10 s (history
	// reports ready 5 s after it owns its shards).
	temporalClusterReadyTimeout = 2 * time.Minute
	// temporalSchemaTimeout bounds one run of the schema tool.
	temporalSchemaTimeout = 2 * time.Minute
)

// TemporalClusterPorts are the ports a cluster's services listen on, on
// 127.0.0.1: each service's gRPC and membership ports, and the frontend's
// HTTP port.
type TemporalClusterPorts struct {
	Frontend, FrontendHTTP, FrontendMembership int
	History, HistoryMembership                 int
	Matching, MatchingMembership               int
	Worker, WorkerMembership                   int
}

// DefaultTemporalClusterPorts are Temporal's own defaults, those rcm.yaml
// falls back to.
func DefaultTemporalClusterPorts() TemporalClusterPorts {
	return TemporalClusterPortsFrom(TemporalDefaultPort)
}

// TemporalClusterPortsFrom places every port where Temporal's defaults put
// it relative to the frontend's (7233: history 7234, matching 7235, worker
// 7239, the frontend's HTTP 7243, membership ports 300 below), so that a
// cluster moved with one port keeps clear of another.
func TemporalClusterPortsFrom(frontend int) TemporalClusterPorts {
	f := frontend
	return TemporalClusterPorts{
		Frontend: f, FrontendHTTP: f + 10, FrontendMembership: f - 300,
		History: f + 1, HistoryMembership: f - 299,
		Matching: f + 2, MatchingMembership: f - 298,
		Worker: f + 6, WorkerMembership: f - 294,
	}
}

// FreeTemporalClusterPorts returns ports that were free a moment ago, for
// clusters side by side (tests). They are below 32768: Temporal's
// PostgreSQL schema keeps a member's port as a smallint, and the kernel
// hands out ephemeral ports above it.
func FreeTemporalClusterPorts() (TemporalClusterPorts, error) {
	var p TemporalClusterPorts
	taken := map[int]bool{}
	for _, port := range p.fields() {
		free, err := freePortBelow(maxTemporalPort, taken)
		if err != nil {
			return p, err
		}
		taken[free] = true
		*port.value = free
	}
	return p, nil
}

// maxTemporalPort is the highest port a cluster service may use: its
// membership row stores the port as a PostgreSQL smallint.
const maxTemporalPort = 32767

// freePortBelow finds a port between 10000 and max that nothing listens
// on and that is not in taken.
func freePortBelow(max int, taken map[int]bool) (int, error) {
	const min = 10000
	for range 200 {
		port := min + rand.IntN(max-min+1)
		if taken[port] {
			continue
		}
		l, err := net.Listen("tcp", hostPort(port))
		if err != nil {
			continue
		}
		if err := l.Close(); err != nil {
			return 0, fmt.Errorf("find a free port on %s: %w", Loopback, err)
		}
		return port, nil
	}
	return 0, fmt.Errorf("find a free port on %s: none free between %d and %d after 200 tries", Loopback, min, max)
}

// clusterPort is one port of a cluster: where it is kept, the variable of
// rcm.yaml that sets it, and what listens there.
type clusterPort struct {
	value    *int
	variable string
	service  string
}

func (p *TemporalClusterPorts) fields() []clusterPort {
	return []clusterPort{
		{&p.Frontend, "TEMPORAL_FRONTEND_PORT", "Temporal frontend (gRPC)"},
		{&p.FrontendHTTP, "TEMPORAL_FRONTEND_HTTP_PORT", "Temporal frontend (HTTP)"},
		{&p.FrontendMembership, "TEMPORAL_FRONTEND_MEMBERSHIP_PORT", "Temporal frontend (membership)"},
		{&p.History, "TEMPORAL_HISTORY_PORT", "Temporal history (gRPC)"},
		{&p.HistoryMembership, "TEMPORAL_HISTORY_MEMBERSHIP_PORT", "Temporal history (membership)"},
		{&p.Matching, "TEMPORAL_MATCHING_PORT", "Temporal matching (gRPC)"},
		{&p.MatchingMembership, "TEMPORAL_MATCHING_MEMBERSHIP_PORT", "Temporal matching (membership)"},
		{&p.Worker, "TEMPORAL_WORKER_PORT", "Temporal worker (gRPC)"},
		{&p.WorkerMembership, "TEMPORAL_WORKER_MEMBERSHIP_PORT", "Temporal worker (membership)"},
	}
}

// withDefaults fills every port left at 0 with Temporal's default.
func (p TemporalClusterPorts) withDefaults() TemporalClusterPorts {
	d := DefaultTemporalClusterPorts()
	defaults := d.fields()
	for i, f := range p.fields() {
		if *f.value == 0 {
			*f.value = *defaults[i].value
		}
	}
	return p
}

// TemporalClusterOptions configures a Temporal cluster on PostgreSQL.
type TemporalClusterOptions struct {
	// ServerBinary is the Temporal server (TemporalServer) and SQLTool its
	// schema tool (TemporalSQLTool); see Ensure and Find.
	ServerBinary, SQLTool string
	// Postgres is the server that holds the cluster's two databases. The
	// cluster reaches it over TCP with the user and password of its URL.
	Postgres *Postgres
	// Database and VisibilityDatabase are created if missing; empty means
	// TemporalDatabase and TemporalVisibilityDatabase.
	Database, VisibilityDatabase string
	// Dir is the services' working folder; the configuration is written to
	// Dir/config. Required.
	Dir string
	// Ports of the services; a port left at 0 is Temporal's default
	// (DefaultTemporalClusterPorts).
	Ports TemporalClusterPorts
	// Namespace is registered unless it exists; empty means "default".
	Namespace string
	// SearchAttributes are added to the namespace unless they exist,
	// name → type (Keyword, Text, Int, Double, Bool, Datetime, KeywordList).
	SearchAttributes map[string]string
	// MaxConns bounds each service's connections to the main database; 0
	// keeps rcm.yaml's default (20). The visibility database gets 2. Below
	// 4, history takes its shards slowly (a restart took 50 s with 3, 9 s
	// with 4).
	MaxConns int
	// LogDir receives each service's output in temporal-<service>.log;
	// empty discards it (the last lines still appear in errors).
	LogDir string
}

func (o TemporalClusterOptions) withDefaults() TemporalClusterOptions {
	if o.Database == "" {
		o.Database = TemporalDatabase
	}
	if o.VisibilityDatabase == "" {
		o.VisibilityDatabase = TemporalVisibilityDatabase
	}
	if o.Namespace == "" {
		o.Namespace = "default"
	}
	o.Ports = o.Ports.withDefaults()
	return o
}

// TemporalCluster is a Temporal server run as four processes — frontend,
// history, matching and worker — from one configuration
// (temporalconfig), on PostgreSQL.
type TemporalCluster struct {
	address   string
	namespace string
	names     []string // the services, in temporalconfig.Services order
	procs     []*Process
}

// Address is the frontend's gRPC address, 127.0.0.1:PORT.
func (c *TemporalCluster) Address() string { return c.address }

// Namespace is the namespace the cluster registered.
func (c *TemporalCluster) Namespace() string { return c.namespace }

// Services returns the service names (frontend, history, matching,
// worker) in the order of Processes.
func (c *TemporalCluster) Services() []string { return slices.Clone(c.names) }

// Processes returns the services' processes, in the order of Services.
func (c *TemporalCluster) Processes() []*Process { return slices.Clone(c.procs) }

// Process returns the process of one service, or nil.
func (c *TemporalCluster) Process(service string) *Process {
	if i := slices.Index(c.names, service); i >= 0 {
		return c.procs[i]
	}
	return nil
}

// Stop stops the four services at once (each as Process.Stop does) and
// reports every one that had to be killed.
func (c *TemporalCluster) Stop(ctx context.Context) error {
	return stopAll(ctx, c.procs)
}

func stopAll(ctx context.Context, procs []*Process) error {
	errs := make([]error, len(procs))
	var wg sync.WaitGroup
	for i, p := range procs {
		wg.Go(func() { errs[i] = p.Stop(ctx) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// StartTemporalCluster brings up a Temporal cluster on opts.Postgres: it
// creates the two databases unless they exist, sets up and updates their
// schema with the schema tool, writes the configuration (temporalconfig)
// into opts.Dir/config, starts the frontend, history, matching and worker
// services as processes of their own (process groups, tied to this
// process's life as every devstack service is; the frontend first, alone
// until it has written the cluster's metadata, which services starting
// together on a fresh database race to write), and returns once all four
// answer, the namespace exists and has the search attributes. Ports are
// checked first, so a port in use gives a *PortInUseError. On failure
// everything it started is stopped.
func StartTemporalCluster(ctx context.Context, opts TemporalClusterOptions) (*TemporalCluster, error) {
	o := opts.withDefaults()
	switch {
	case o.ServerBinary == "" || o.SQLTool == "":
		return nil, errors.New("start Temporal cluster: no server or schema tool binary given (see devstack.Ensure)")
	case o.Postgres == nil:
		return nil, errors.New("start Temporal cluster: no PostgreSQL server given")
	case o.Dir == "":
		return nil, errors.New("start Temporal cluster: no working folder given")
	case o.Database == o.VisibilityDatabase:
		return nil, fmt.Errorf("start Temporal cluster: the main and the visibility database are both %s; each schema needs a database of its own", o.Database)
	}
	for _, p := range o.Ports.fields() {
		if *p.value < 1 || *p.value > maxTemporalPort {
			return nil, fmt.Errorf("start Temporal cluster: port %d of the %s: use 1 to %d (Temporal's PostgreSQL schema keeps ports as a smallint)",
				*p.value, p.service, maxTemporalPort)
		}
		if err := checkPortFree(*p.value, p.service, "TemporalClusterOptions.Ports"); err != nil {
			return nil, err
		}
	}
	conn, err := temporalConnection(o.Postgres.URL())
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, fmt.Errorf("start Temporal cluster: working folder %s: %w", o.Dir, err)
	}
	// The working folder, with the configuration in it.
	if err := temporalconfig.Write(filepath.Join(dir, "config")); err != nil {
		return nil, fmt.Errorf("start Temporal cluster: %w", err)
	}
	o.Dir = dir
	if err := setUpTemporalDatabases(ctx, o, conn); err != nil {
		return nil, err
	}
	env := temporalEnv(temporalClusterEnv(o, conn)...)
	mainDatabase, err := WithDatabase(o.Postgres.URL(), o.Database)
	if err != nil {
		return nil, fmt.Errorf("start Temporal cluster: %w", err)
	}
	if err := forgetGoneMembers(ctx, mainDatabase); err != nil {
		return nil, fmt.Errorf("start Temporal cluster: %w", err)
	}
	// The server checks the configuration it renders before anything starts.
	if err := runTool(ctx, "Temporal server configuration check", o.ServerBinary, dir, env,
		append(temporalServerArgs(), "render-config")...); err != nil {
		return nil, err
	}
	c := &TemporalCluster{address: hostPort(o.Ports.Frontend), namespace: o.Namespace}
	for _, service := range temporalconfig.Services() {
		log, err := serviceLog(o.LogDir, service)
		if err != nil {
			_ = c.stopAfterFailure()
			return nil, err
		}
		spec := processSpec{
			name:       "Temporal " + service,
			path:       o.ServerBinary,
			args:       append(temporalServerArgs(), "start", "--service", service),
			dir:        dir,
			env:        env,
			stopSignal: syscall.SIGTERM,
		}
		if log != nil {
			spec.log = log
		}
		p, err := startProcess(spec)
		if err != nil {
			closeLog(log)
			_ = c.stopAfterFailure()
			return nil, fmt.Errorf("start Temporal cluster: %w", err)
		}
		go func() { <-p.Done(); closeLog(log) }()
		c.names = append(c.names, service)
		c.procs = append(c.procs, p)
		if len(c.procs) == 1 {
			if err := c.waitFirstService(ctx, mainDatabase); err != nil {
				return nil, c.failed(err)
			}
		}
	}
	if err := c.waitReady(ctx, o); err != nil {
		return nil, c.failed(err)
	}
	return c, nil
}

// temporalServerArgs are the server's global flags: the configuration in
// ./config, environment rcm (config/rcm.yaml).
func temporalServerArgs() []string {
	return []string{"--root", ".", "--config", "config", "--env", temporalconfig.Environment, "--allow-no-auth"}
}

// temporalClusterEnv are the variables rcm.yaml reads, for services on
// 127.0.0.1.
func temporalClusterEnv(o TemporalClusterOptions, conn temporalConn) []string {
	env := []string{
		"TEMPORAL_BIND_IP=" + Loopback,
		"TEMPORAL_POSTGRES_HOST=" + conn.host,
		"TEMPORAL_POSTGRES_PORT=" + strconv.Itoa(int(conn.port)),
		"TEMPORAL_POSTGRES_USER=" + conn.user,
		"TEMPORAL_POSTGRES_PASSWORD=" + conn.password,
		"TEMPORAL_DATABASE=" + o.Database,
		"TEMPORAL_VISIBILITY_DATABASE=" + o.VisibilityDatabase,
		"TEMPORAL_LOG_LEVEL=warn",
	}
	if o.MaxConns > 0 {
		env = append(env, "TEMPORAL_POSTGRES_MAX_CONNS="+strconv.Itoa(o.MaxConns))
	}
	for _, p := range o.Ports.fields() {
		env = append(env, p.variable+"="+strconv.Itoa(*p.value))
	}
	return env
}

// serviceLog opens the log file of a service in dir, or returns nil for
// none.
func serviceLog(dir, service string) (*os.File, error) {
	if dir == "" {
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("start Temporal cluster: log folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, TemporalClusterLogFile(service)), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("start Temporal cluster: %w", err)
	}
	return f, nil
}

// TemporalClusterLogFile is the name of a service's log file in
// TemporalClusterOptions.LogDir: temporal-frontend.log, ...
func TemporalClusterLogFile(service string) string { return "temporal-" + service + ".log" }

func closeLog(f *os.File) {
	if f != nil {
		_ = f.Close()
	}
}

// stopAfterFailure stops what has started so far.
func (c *TemporalCluster) stopAfterFailure() error {
	ctx, cancel := context.WithTimeout(context.Background(), stopGrace+5*time.Second)
	defer cancel()
	return c.Stop(ctx)
}

// failed stops the cluster after it failed to become ready and returns err
// with the end of every service's log.
func (c *TemporalCluster) failed(err error) error {
	_ = c.stopAfterFailure() // the readiness error is the one worth reporting
	var b strings.Builder
	for i, p := range c.procs {
		fmt.Fprintf(&b, "\n%s:", c.names[i])
		if t := p.tail.Lines(15); t != "" {
			b.WriteString("\n" + indent(t, "  "))
		} else {
			b.WriteString(" (it printed nothing)")
		}
	}
	return fmt.Errorf("start Temporal cluster: %w\nlast lines of the services' output:%s", err, b.String())
}
