package testenv

import (
	"context"
	"maps"
	"net"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/workflowservice/v1"

	"rcm/workflows"
)

// packageServer is set when this package's tests run under RunWithTemporal
// (see TestRunWithTemporalServesThePackage).
var packageServer *TemporalServer

const runWithTemporalEnv = "TESTENV_RUN_WITH_TEMPORAL"

func TestMain(m *testing.M) {
	if os.Getenv(runWithTemporalEnv) == "1" {
		RunWithTemporal(m, func(s *TemporalServer) { packageServer = s })
	}
	os.Exit(m.Run())
}

func TestStartTemporalAnswersAndRegistersRcmSearchAttributes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv, err := StartTemporal(ctx)
	if err != nil {
		t.Fatal(err)
	}
	describeNamespace(t, srv)
	attrs, err := srv.Client().OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: srv.Namespace()})
	if err != nil {
		t.Fatal(err)
	}
	for name, typ := range SearchAttributes() {
		if got, ok := attrs.CustomAttributes[name]; !ok || got.String() != typ {
			t.Errorf("search attribute %s: %v (registered %v), want %s", name, got, ok, typ)
		}
	}
	if err := srv.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if conn, err := net.DialTimeout("tcp", srv.HostPort(), time.Second); err == nil {
		conn.Close()
		t.Errorf("%s still answers after Stop", srv.HostPort())
	}
}

func TestSearchAttributesAreRcms(t *testing.T) {
	got := slices.Sorted(maps.Keys(SearchAttributes()))
	want := slices.Sorted(slices.Values(workflows.SearchAttributeNames()))
	if !slices.Equal(got, want) {
		t.Errorf("testenv registers %v, workflows uses %v", got, want)
	}
}

func TestStartTemporalWithoutTheCLISaysHowToProvisionIt(t *testing.T) {
	t.Setenv("RCM_TEMPORAL_BIN", "")
	t.Setenv("RCM_CACHE_DIR", t.TempDir())
	_, err := StartTemporal(context.Background())
	if err == nil || !strings.Contains(err.Error(), "./scripts/test") || !strings.Contains(err.Error(), "go run ./cmd/rcm tools install") {
		t.Fatalf("got %v", err)
	}
}

// The TestMain pattern, end to end: this test binary runs again with
// RunWithTemporal in its TestMain, TestPackageServer uses the server it
// started, and the server is gone once that run exits.
func TestRunWithTemporalServesThePackage(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestPackageServer$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), runWithTemporalEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("run with Temporal: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: TestPackageServer") {
		t.Fatalf("TestPackageServer did not pass:\n%s", out)
	}
	m := regexp.MustCompile(`server at (127\.0\.0\.1:\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no server address in:\n%s", out)
	}
	if conn, err := net.DialTimeout("tcp", string(m[1]), time.Second); err == nil {
		conn.Close()
		t.Errorf("the package's server at %s outlived the test binary", m[1])
	}
}

func TestPackageServer(t *testing.T) {
	if packageServer == nil {
		t.Skip("runs inside TestRunWithTemporalServesThePackage, under RunWithTemporal")
	}
	t.Logf("server at %s", packageServer.HostPort())
	describeNamespace(t, packageServer)
}

func describeNamespace(t *testing.T, srv *TemporalServer) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := srv.Client().WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: srv.Namespace()})
	if err != nil {
		t.Fatalf("describe namespace %s: %v", srv.Namespace(), err)
	}
	if got := resp.GetNamespaceInfo().GetName(); got != srv.Namespace() {
		t.Errorf("namespace %q, want %q", got, srv.Namespace())
	}
}

func TestTemporalServesOneTest(t *testing.T) {
	var addr string
	t.Run("inner", func(t *testing.T) {
		srv := Temporal(t)
		addr = srv.HostPort()
		describeNamespace(t, srv)
	})
	if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		conn.Close()
		t.Errorf("the test's server at %s outlived the test", addr)
	}
}

func TestTaskQueueIsTheTestsOwn(t *testing.T) {
	a, b := TaskQueue(t), TaskQueue(t)
	if a == b || !strings.HasPrefix(a, "test-testtaskqueueisthetestsown-") {
		t.Errorf("TaskQueue: %q, %q", a, b)
	}
}
