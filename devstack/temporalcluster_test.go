package devstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"rcm/temporalconfig"
)

// testPostgres is the server devstack's tests keep databases on:
// RCM_TEST_DATABASE_URL, else the local server.
func testPostgres(t *testing.T) *Postgres {
	t.Helper()
	pg, err := FindPostgres(context.Background(), PostgresOptions{URL: os.Getenv("RCM_TEST_DATABASE_URL")})
	if err != nil {
		t.Fatalf("%v\nstart the local server (e.g. pg_ctlcluster 15 main start)", err)
	}
	return pg
}

// clusterDatabases names two databases for a test's cluster and drops them
// when the test ends.
func clusterDatabases(t *testing.T, pg *Postgres) (database, visibility string) {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	suffix := hex.EncodeToString(b)
	database, visibility = "rcm_test_devstack_temporal_"+suffix, "rcm_test_devstack_visibility_"+suffix
	t.Cleanup(func() {
		for _, name := range []string{database, visibility} {
			if err := pg.DropDatabase(context.Background(), name); err != nil {
				t.Error(err)
			}
		}
	})
	return database, visibility
}

// TestTemporalClusterRunsTheServicesAsProcessesAndKeepsItsState starts a
// cluster, runs a workflow through it and finds it by a custom search
// attribute (visibility on PostgreSQL), stops it, starts it again on the
// same databases (the schema steps and the namespace registration are
// repeated harmlessly) and finds the workflow still there.
func TestTemporalClusterRunsTheServicesAsProcessesAndKeepsItsState(t *testing.T) {
	opts := TemporalClusterOptions{
		ServerBinary:     provisioned(t, TemporalServer()),
		SQLTool:          provisioned(t, TemporalSQLTool()),
		Postgres:         testPostgres(t),
		Dir:              t.TempDir(),
		LogDir:           t.TempDir(),
		MaxConns:         4,
		Namespace:        "rcm-devstack-test",
		SearchAttributes: map[string]string{"RcmCycle": "Keyword", "RcmPeriod": "Keyword"},
	}
	opts.Database, opts.VisibilityDatabase = clusterDatabases(t, opts.Postgres)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	start := func() *TemporalCluster {
		t.Helper()
		ports, err := FreeTemporalClusterPorts()
		if err != nil {
			t.Fatal(err)
		}
		opts.Ports = ports
		began := time.Now()
		c, err := StartTemporalCluster(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("cluster ready in %s", time.Since(began).Round(time.Millisecond))
		t.Cleanup(func() { _ = c.Stop(context.Background()) })
		return c
	}

	c := start()
	if got := c.Services(); !slices.Equal(got, []string{"frontend", "history", "matching", "worker"}) {
		t.Fatalf("services %v", got)
	}
	pids := map[int]bool{}
	for i, p := range c.Processes() {
		pids[p.Pid()] = true
		cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(p.Pid()) + "/cmdline")
		if err != nil {
			t.Fatal(err)
		}
		if args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00"); !slices.Contains(args, "--service") || args[len(args)-1] != c.Services()[i] {
			t.Errorf("process %d runs %q, want the %s service alone", p.Pid(), args, c.Services()[i])
		}
	}
	if len(pids) != 4 {
		t.Errorf("four services in %d processes", len(pids))
	}
	if c.Process("history") == nil || c.Process("nope") != nil {
		t.Error("Process by name")
	}

	tc, err := client.DialContext(ctx, client.Options{HostPort: c.Address(), Namespace: opts.Namespace})
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	sa, err := tc.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: opts.Namespace})
	if err != nil {
		t.Fatal(err)
	}
	for name := range opts.SearchAttributes {
		if sa.GetCustomAttributes()[name] != enumspb.INDEXED_VALUE_TYPE_KEYWORD {
			t.Errorf("search attribute %s: %v", name, sa.GetCustomAttributes()[name])
		}
	}
	ns, err := tc.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: opts.Namespace})
	if err != nil {
		t.Fatal(err)
	}
	if got := ns.GetConfig().GetWorkflowExecutionRetentionTtl().AsDuration(); got != TemporalNamespaceRetention {
		t.Errorf("retention %s", got)
	}
	// No worker polls the queue: the workflow stays running, which is
	// enough to see history, matching and visibility at work.
	run, err := tc.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: "devstack-cluster-test", TaskQueue: "nobody",
		TypedSearchAttributes: temporal.NewSearchAttributes(temporal.NewSearchAttributeKeyKeyword("RcmCycle").ValueSet("C-1")),
	}, "SomeWorkflow")
	if err != nil {
		t.Fatal(err)
	}
	findByCycle := func(c client.Client) error {
		deadline := time.Now().Add(30 * time.Second)
		for {
			resp, err := c.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: opts.Namespace, Query: `RcmCycle = "C-1"`})
			if err == nil && len(resp.GetExecutions()) == 1 && resp.GetExecutions()[0].GetExecution().GetRunId() == run.GetRunID() {
				return nil
			}
			if time.Now().After(deadline) {
				return errors.Join(errors.New("the workflow is not found by RcmCycle"), err)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	if err := findByCycle(tc); err != nil {
		t.Fatal(err)
	}
	tc.Close()
	mainDatabase, err := WithDatabase(opts.Postgres.URL(), opts.Database)
	if err != nil {
		t.Fatal(err)
	}
	members := func() int {
		t.Helper()
		if err := forgetGoneMembers(ctx, mainDatabase); err != nil {
			t.Fatal(err)
		}
		conn, err := pgx.Connect(ctx, mainDatabase)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM cluster_membership").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := members(); n != 4 {
		t.Errorf("%d members while the four services run", n)
	}

	stopping := time.Now()
	if err := c.Stop(ctx); err != nil {
		t.Errorf("Stop: %v", err)
	}
	t.Logf("stopped in %s", time.Since(stopping).Round(time.Millisecond))
	// Gone, they are forgotten: the next start does not wait for them.
	if n := members(); n != 0 {
		t.Errorf("%d members left after the services stopped", n)
	}
	for _, p := range c.Processes() {
		select {
		case <-p.Done():
		default:
			t.Errorf("process %d still runs after Stop", p.Pid())
		}
	}

	c = start()
	tc2, err := client.DialContext(ctx, client.Options{HostPort: c.Address(), Namespace: opts.Namespace})
	if err != nil {
		t.Fatal(err)
	}
	defer tc2.Close()
	d, err := tc2.DescribeWorkflow(ctx, "devstack-cluster-test", "")
	if err != nil {
		t.Fatalf("the workflow is gone after a restart: %v", err)
	}
	if d.RawResponse.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Errorf("status after restart: %v", d.RawResponse.GetWorkflowExecutionInfo().GetStatus())
	}
	if err := findByCycle(tc2); err != nil {
		t.Fatal(err)
	}
}

func TestTemporalClusterEnvironmentIsWhatTheConfigurationReads(t *testing.T) {
	o := TemporalClusterOptions{MaxConns: 3}.withDefaults()
	env := temporalClusterEnv(o, temporalConn{host: "db", port: 5433, user: "u", password: "p"})
	reads := temporalconfig.Variables()
	set := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if !slices.Contains(reads, k) {
			t.Errorf("devstack sets %s, which %s does not read", k, temporalconfig.ConfigFile)
		}
		if _, dup := set[k]; dup {
			t.Errorf("%s set twice", k)
		}
		set[k] = v
	}
	// Every port has its variable, and the services bind to loopback.
	ports := o.Ports
	for _, p := range ports.fields() {
		if set[p.variable] != strconv.Itoa(*p.value) {
			t.Errorf("%s = %q, want %d", p.variable, set[p.variable], *p.value)
		}
	}
	for k, want := range map[string]string{
		"TEMPORAL_BIND_IP": Loopback, "TEMPORAL_POSTGRES_HOST": "db", "TEMPORAL_POSTGRES_PORT": "5433",
		"TEMPORAL_POSTGRES_USER": "u", "TEMPORAL_POSTGRES_PASSWORD": "p", "TEMPORAL_POSTGRES_MAX_CONNS": "3",
		"TEMPORAL_DATABASE": TemporalDatabase, "TEMPORAL_VISIBILITY_DATABASE": TemporalVisibilityDatabase,
	} {
		if set[k] != want {
			t.Errorf("%s = %q, want %q", k, set[k], want)
		}
	}
	want := TemporalClusterPorts{Frontend: 7233, FrontendHTTP: 7243, FrontendMembership: 6933, History: 7234, HistoryMembership: 6934,
		Matching: 7235, MatchingMembership: 6935, Worker: 7239, WorkerMembership: 6939} // Temporal's own
	if d := DefaultTemporalClusterPorts(); d != want || (TemporalClusterPorts{}).withDefaults() != d {
		t.Errorf("default ports %+v", d)
	}
	if moved := TemporalClusterPortsFrom(7333); moved.History != 7334 || moved.WorkerMembership != 7039 {
		t.Errorf("ports from 7333: %+v", moved)
	}
}

func TestTemporalConnectionReadsURLsAndRefusesSockets(t *testing.T) {
	c, err := temporalConnection("postgres://rcm:s3cret@db.local:5433/rcm?sslmode=disable")
	if err != nil || c != (temporalConn{host: "db.local", port: 5433, user: "rcm", password: "s3cret"}) {
		t.Errorf("URL: %+v, %v", c, err)
	}
	c, err = temporalConnection("host=127.0.0.1 port=5432 user=postgres dbname=rcm")
	if err != nil || c.host != "127.0.0.1" || c.port != 5432 || c.user != "postgres" {
		t.Errorf("key=value: %+v, %v", c, err)
	}
	_, err = temporalConnection("host=/var/run/postgresql user=postgres password=hidden")
	if err == nil || !strings.Contains(err.Error(), "Unix socket") || strings.Contains(err.Error(), "hidden") {
		t.Errorf("socket: %v", err)
	}
}

func TestTemporalClusterRefusesAPortInUse(t *testing.T) {
	ports, err := FreeTemporalClusterPorts()
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", hostPort(ports.MatchingMembership))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, err = StartTemporalCluster(context.Background(), TemporalClusterOptions{
		ServerBinary: "/nonexistent", SQLTool: "/nonexistent", Postgres: &Postgres{url: LocalPostgresURL}, Dir: t.TempDir(), Ports: ports,
	})
	var inUse *PortInUseError
	if !errors.As(err, &inUse) || inUse.Port != ports.MatchingMembership || !strings.Contains(err.Error(), "Temporal matching (membership)") {
		t.Fatalf("got %v", err)
	}
}

// A schema step that fails stops the start with the tool's own words.
func TestTemporalClusterSchemaFailureSaysWhy(t *testing.T) {
	ports, err := FreeTemporalClusterPorts()
	if err != nil {
		t.Fatal(err)
	}
	pg := testPostgres(t)
	database, visibility := clusterDatabases(t, pg)
	tool := filepath.Join(t.TempDir(), "sql")
	if err := os.WriteFile(tool, []byte("#!/bin/sh\necho \"pq: password authentication failed for user $SQL_USER\" >&2\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err = StartTemporalCluster(context.Background(), TemporalClusterOptions{
		ServerBinary: provisioned(t, TemporalServer()), SQLTool: tool,
		Postgres: pg, Database: database, VisibilityDatabase: visibility, Dir: t.TempDir(), Ports: ports,
	})
	if err == nil || !strings.Contains(err.Error(), "Temporal schema tool: `sql --db "+database+" setup-schema -v 0.0` failed") ||
		!strings.Contains(err.Error(), "password authentication failed for user postgres") {
		t.Fatalf("got %v", err)
	}
}

func TestFreeTemporalClusterPortsFitTheMembershipTable(t *testing.T) {
	ports, err := FreeTemporalClusterPorts()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ports.fields() {
		if *p.value < 1024 || *p.value > 32767 || seen[*p.value] {
			t.Errorf("%s: port %d", p.service, *p.value)
		}
		seen[*p.value] = true
	}
	_, err = StartTemporalCluster(context.Background(), TemporalClusterOptions{
		ServerBinary: "/x", SQLTool: "/x", Postgres: &Postgres{url: LocalPostgresURL}, Dir: t.TempDir(),
		Ports: TemporalClusterPorts{WorkerMembership: 40000},
	})
	if err == nil || !strings.Contains(err.Error(), "port 40000 of the Temporal worker (membership): use 1 to 32767") {
		t.Errorf("got %v", err)
	}
}

func TestTemporalClusterNeedsTwoDatabases(t *testing.T) {
	_, err := StartTemporalCluster(context.Background(), TemporalClusterOptions{
		ServerBinary: "/x", SQLTool: "/x", Postgres: &Postgres{url: LocalPostgresURL}, Dir: t.TempDir(),
		Database: "t", VisibilityDatabase: "t",
	})
	if err == nil || !strings.Contains(err.Error(), "the main and the visibility database are both t") {
		t.Errorf("got %v", err)
	}
}

// The server and its schema tool read only what devstack sets: a shell's
// TEMPORAL_* or SQL_* variables do not reach them.
func TestTemporalEnvLeavesTheShellsTemporalVariablesOut(t *testing.T) {
	t.Setenv("TEMPORAL_HISTORY_SHARDS", "1024")
	t.Setenv("SQL_DATABASE", "elsewhere")
	t.Setenv("RCM_KEEP", "yes")
	env := temporalEnv("TEMPORAL_BIND_IP=127.0.0.1")
	for _, kv := range env {
		if strings.HasPrefix(kv, "TEMPORAL_HISTORY_SHARDS=") || strings.HasPrefix(kv, "SQL_DATABASE=") {
			t.Errorf("%s reaches the server", kv)
		}
	}
	if !slices.Contains(env, "RCM_KEEP=yes") || !slices.Contains(env, "TEMPORAL_BIND_IP=127.0.0.1") {
		t.Errorf("the rest of the environment and devstack's variables: %v", env)
	}
}
