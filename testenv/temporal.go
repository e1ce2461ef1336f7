package testenv

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"rcm/devstack"
)

// TemporalNamespace is the namespace of the test dev server.
const TemporalNamespace = "default"

// SearchAttributes are rcm's custom search attributes, name → type, as the
// dev server registers them. They must match workflows.SearchAttributeNames
// (a test checks it); testenv does not import workflows so that the
// workflows package's own tests can use testenv.
func SearchAttributes() map[string]string {
	return map[string]string{
		"RcmCycle":  "Keyword",
		"RcmRegime": "Keyword",
		"RcmPeriod": "Keyword",
		"RcmStatus": "Keyword",
	}
}

// TemporalServer is a Temporal dev server (`temporal server start-dev`,
// in memory, no web UI) started for one test package.
//
// It is started through devstack rather than testsuite.StartDevServer,
// which in SDK v1.51.0 leaves the server running when it fails to become
// ready, keeps dialling for a minute after the server has died, and does not
// tie the server's life to the test binary's: a test binary killed by
// `go test -timeout` would leave a server behind holding its port. devstack
// runs it in its own process group with a parent-death signal and fails at
// once with the server's last log lines.
type TemporalServer struct {
	proc     *devstack.Process
	hostPort string
	client   client.Client
}

// StartTemporal starts a dev server on a free port of 127.0.0.1, with rcm's
// search attributes, and returns once it answers. The Temporal CLI comes from
// RCM_TEMPORAL_BIN or rcm's tool cache; tests never build it: if it is
// missing, the error says how to provision it. Most packages call
// RunWithTemporal from TestMain instead.
func StartTemporal(ctx context.Context) (*TemporalServer, error) {
	bin, err := temporalBinary()
	if err != nil {
		return nil, err
	}
	var port int
	var proc *devstack.Process
	err = retryOnNewPorts(func() error {
		if port, err = devstack.FreePort(); err != nil {
			return err
		}
		proc, err = devstack.StartTemporal(ctx, devstack.TemporalOptions{
			Binary:           bin,
			Port:             port,
			Headless:         true,
			Namespace:        TemporalNamespace,
			SearchAttributes: SearchAttributes(),
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("testenv: %w", err)
	}
	hostPort := fmt.Sprintf("%s:%d", devstack.Loopback, port)
	c, err := client.DialContext(ctx, client.Options{
		HostPort:  hostPort,
		Namespace: TemporalNamespace,
		Logger:    tlog.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))),
	})
	if err != nil {
		_ = proc.Stop(context.Background())
		return nil, fmt.Errorf("testenv: dial the Temporal dev server at %s: %w", hostPort, err)
	}
	return &TemporalServer{proc: proc, hostPort: hostPort, client: c}, nil
}

// Temporal starts a dev server for one test and stops it when the test
// ends; it fails the test if the server cannot start. A package with many
// such tests starts one server for all of them with RunWithTemporal.
func Temporal(t testing.TB) *TemporalServer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := StartTemporal(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Stop(); err != nil {
			t.Error(err)
		}
	})
	return srv
}

func temporalBinary() (string, error) { return toolBinary(devstack.TemporalCLI()) }

// TemporalService is a running Temporal that tests and benchmarks use:
// the dev server (TemporalServer) or a cluster (TemporalCluster).
type TemporalService interface {
	// HostPort is the frontend's address.
	HostPort() string
	// Namespace is the namespace tests use.
	Namespace() string
	// Client is a client of it, closed when it stops.
	Client() client.Client
}

// HostPort is the frontend's address, 127.0.0.1:PORT.
func (s *TemporalServer) HostPort() string { return s.hostPort }

// Namespace is the namespace tests use.
func (s *TemporalServer) Namespace() string { return TemporalNamespace }

// Client returns a client of the dev server, shared by the package's tests
// (clients are safe for concurrent use); Stop closes it.
func (s *TemporalServer) Client() client.Client { return s.client }

// Stop closes the shared client and stops the server. If the server had
// died before, the error says so with its last log lines.
func (s *TemporalServer) Stop() error {
	s.client.Close()
	select {
	case <-s.proc.Done():
		return fmt.Errorf("testenv: %w", s.proc.Wait())
	default:
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.proc.Stop(ctx); err != nil {
		return fmt.Errorf("testenv: %w", err)
	}
	return nil
}

// TaskQueue returns a task queue name of the test's own, so workers of
// different tests on one server never take each other's tasks.
func TaskQueue(t testing.TB) string {
	return "test-" + sanitize(t.Name()) + "-" + randomSuffix()
}

// RunWithTemporal is the body of a TestMain: it starts a Temporal dev
// server for the package, hands it to use (which keeps it in a variable of
// the test package), runs the tests, stops the server and exits with the
// tests' status. If the server cannot start, it prints why and exits with
// status 1 without running any test.
//
//	var temporal *testenv.TemporalServer
//
//	func TestMain(m *testing.M) {
//		testenv.RunWithTemporal(m, func(s *testenv.TemporalServer) { temporal = s })
//	}
func RunWithTemporal(m *testing.M, use func(*TemporalServer)) {
	os.Exit(runWithTemporal(m, use))
}

func runWithTemporal(m *testing.M, use func(*TemporalServer)) int {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	srv, err := StartTemporal(ctx)
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "FAIL: %v\n", err)
		return 1
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			fmt.Fprintf(os.Stderr, "warning: %v\n", err)
		}
	}()
	use(srv)
	return m.Run()
}

// retryOnNewPorts runs start up to three times: a port found free can be
// taken by another test package's server before the service binds it, and
// start picks new ports each time.
func retryOnNewPorts(start func() error) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = start(); err == nil {
			return nil
		}
	}
	return err
}
