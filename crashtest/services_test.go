package crashtest

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"rcm/devstack"
	"rcm/testenv"
)

// temporalServer is a Temporal dev server that keeps its state in a SQLite
// file, so that the test can kill it and start it again on the same file
// and port, as a crashed and restarted cluster.
type temporalServer struct {
	opts devstack.TemporalOptions

	mu   sync.Mutex
	proc *devstack.Process
}

// startTemporal starts the server on a free port with rcm's search
// attributes; the test's end stops it.
func startTemporal(t *testing.T, dir string, log io.Writer) *temporalServer {
	t.Helper()
	bin, err := testenv.TemporalBinary()
	if err != nil {
		t.Fatal(err)
	}
	s := &temporalServer{}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A free port can be taken by another test package's server before
	// this one binds it: try new ports.
	for attempt := 0; attempt < 3; attempt++ {
		port, perr := devstack.FreePort()
		if perr != nil {
			t.Fatal(perr)
		}
		s.opts = devstack.TemporalOptions{Binary: bin, DataDir: filepath.Join(dir, "temporal"), Port: port, Headless: true,
			Namespace: testenv.TemporalNamespace, SearchAttributes: testenv.SearchAttributes(), Log: log}
		if err = s.start(ctx); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("start the Temporal dev server: %v", err)
	}
	t.Cleanup(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.proc.Stop(stopCtx); err != nil {
			t.Errorf("stop the Temporal dev server: %v", err)
		}
	})
	return s
}

// hostPort is the frontend's address.
func (s *temporalServer) hostPort() string {
	return fmt.Sprintf("%s:%d", devstack.Loopback, s.opts.Port)
}

// start starts the server on its file and port and returns once it answers.
func (s *temporalServer) start(ctx context.Context) error {
	proc, err := devstack.StartTemporal(ctx, s.opts)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.proc = proc
	s.mu.Unlock()
	return nil
}

// kill ends the server with SIGKILL.
func (s *temporalServer) kill() {
	s.mu.Lock()
	proc := s.proc
	s.mu.Unlock()
	proc.Kill()
}

// postgresServer is a private PostgreSQL cluster of the test, never the
// shared server, which the test stops and starts again on the same port.
type postgresServer struct {
	opts devstack.PrivatePostgresOptions

	mu sync.Mutex
	pg *devstack.Postgres
}

// startPostgres creates and starts a cluster under dir (which the postgres
// user must be able to enter when the test runs as root); the test's end
// stops it.
func startPostgres(t *testing.T, dir string, log io.Writer) *postgresServer {
	t.Helper()
	port, err := devstack.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	s := &postgresServer{opts: devstack.PrivatePostgresOptions{DataDir: filepath.Join(dir, "postgres"), Port: port, Log: log}}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := s.start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.stop(stopCtx); err != nil {
			t.Errorf("stop the private PostgreSQL cluster: %v", err)
		}
	})
	return s
}

// start starts the cluster and returns once it answers.
func (s *postgresServer) start(ctx context.Context) error {
	pg, err := devstack.StartPrivatePostgres(ctx, s.opts)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.pg = pg
	s.mu.Unlock()
	return nil
}

// stop shuts the cluster down (fast: sessions are ended at once).
func (s *postgresServer) stop(ctx context.Context) error {
	s.mu.Lock()
	pg := s.pg
	s.mu.Unlock()
	return pg.Stop(ctx)
}

// createDatabase creates a database and returns its URL.
func (s *postgresServer) createDatabase(ctx context.Context, name string) (string, error) {
	s.mu.Lock()
	pg := s.pg
	s.mu.Unlock()
	return pg.CreateDatabase(ctx, name)
}
