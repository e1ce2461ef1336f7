package testenv

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"rcm/devstack"
)

// clusterMaxConns bounds each Temporal service's connections to its main
// database: four services hold at most 24 connections (4 and 2 to
// visibility each), beside every other test package's databases on the
// same PostgreSQL server.
const clusterMaxConns = 4

// TemporalCluster is the production topology of Temporal started for one
// test: the frontend, history, matching and worker services as processes
// of their own, from the configuration docker-compose.yml uses
// (temporalconfig), on two fresh PostgreSQL databases of the test's own,
// with the namespace TemporalNamespace and rcm's search attributes.
type TemporalCluster struct {
	cluster *devstack.TemporalCluster
	client  client.Client
}

// NewTemporalCluster starts a cluster on free ports of 127.0.0.1 and
// stops it, and drops its databases, when the test ends; if the test
// failed, the end of each service's log is logged first. The server and
// its schema tool come from rcm's tool cache (RCM_TEMPORAL_SERVER_BIN and
// RCM_TEMPORAL_SQL_TOOL_BIN override it); tests never build them: if they
// are missing, the test fails saying how to provision them.
func NewTemporalCluster(t testing.TB) *TemporalCluster {
	t.Helper()
	server, err := toolBinary(devstack.TemporalServer())
	if err != nil {
		t.Fatal(err)
	}
	sqlTool, err := toolBinary(devstack.TemporalSQLTool())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	serverURL := DatabaseServerURL()
	pg, err := devstack.FindPostgres(ctx, devstack.PostgresOptions{URL: serverURL})
	if err != nil {
		t.Fatalf("testenv: no PostgreSQL for the Temporal cluster: %v\n%s", err, postgresHelp(serverURL))
	}
	suffix := randomSuffix()
	// The suffixes tell them apart: a long test name is cut.
	database := databaseName(testBinary(), t.Name(), suffix+"_temporal")
	visibility := databaseName(testBinary(), t.Name(), suffix+"_visibility")
	// Cleanups run last first: the databases go after the cluster.
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for _, name := range []string{database, visibility} {
			if err := pg.DropDatabase(ctx, name); err != nil {
				t.Errorf("testenv: %v", err)
			}
		}
	})
	dir, logDir := t.TempDir(), t.TempDir()
	var cluster *devstack.TemporalCluster
	err = retryOnNewPorts(func() error {
		ports, err := devstack.FreeTemporalClusterPorts()
		if err != nil {
			return err
		}
		cluster, err = devstack.StartTemporalCluster(ctx, devstack.TemporalClusterOptions{
			ServerBinary: server, SQLTool: sqlTool, Postgres: pg,
			Database: database, VisibilityDatabase: visibility,
			Dir: dir, Ports: ports, LogDir: logDir, MaxConns: clusterMaxConns,
			Namespace: TemporalNamespace, SearchAttributes: SearchAttributes(),
		})
		return err
	})
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			logServiceTails(t, cluster, logDir)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := cluster.Stop(ctx); err != nil {
			t.Errorf("testenv: %v", err)
		}
	})
	c, err := client.DialContext(ctx, client.Options{
		HostPort:  cluster.Address(),
		Namespace: TemporalNamespace,
		Logger:    tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))),
	})
	if err != nil {
		t.Fatalf("testenv: dial the Temporal cluster at %s: %v", cluster.Address(), err)
	}
	t.Cleanup(c.Close) // before the cluster stops
	return &TemporalCluster{cluster: cluster, client: c}
}

// HostPort is the frontend's address, 127.0.0.1:PORT.
func (c *TemporalCluster) HostPort() string { return c.cluster.Address() }

// Namespace is the namespace tests use.
func (c *TemporalCluster) Namespace() string { return TemporalNamespace }

// Client returns a client of the cluster, closed when the test ends.
func (c *TemporalCluster) Client() client.Client { return c.client }

// logServiceTails logs the last lines of every service's log file.
func logServiceTails(t testing.TB, cluster *devstack.TemporalCluster, logDir string) {
	for _, service := range cluster.Services() {
		b, err := os.ReadFile(filepath.Join(logDir, devstack.TemporalClusterLogFile(service)))
		if err != nil {
			t.Logf("Temporal %s: no log: %v", service, err)
			continue
		}
		const tail = 4 << 10
		if len(b) > tail {
			b = b[len(b)-tail:]
		}
		t.Logf("Temporal %s, end of its log:\n%s", service, b)
	}
}
