package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	ucli "github.com/urfave/cli/v2"
	enumspb "go.temporal.io/api/enums/v1"

	"rcm/api"
	"rcm/demo"
	"rcm/devstack"
	"rcm/store"
	"rcm/testenv"
	"rcm/workflows"
)

// devRun is rcm dev running in this process.
type devRun struct {
	stdout, stderr *testenv.Buffer
	cancel         context.CancelFunc
	done           chan int
}

// startDev runs `rcm dev ARGS...` until the test cancels it, and waits
// until it says it is up.
func startDev(t *testing.T, args ...string) *devRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &devRun{stdout: &testenv.Buffer{}, stderr: &testenv.Buffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		r.done <- Run(ctx, append([]string{"rcm", "dev"}, args...), strings.NewReader(""), r.stdout, r.stderr)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-r.done:
		case <-time.After(time.Minute):
			t.Error("rcm dev did not stop within a minute of the test's end")
		}
	})
	deadline := time.After(3 * time.Minute)
	for !strings.Contains(r.stdout.String(), "rcm dev is up") {
		select {
		case code := <-r.done:
			t.Fatalf("rcm dev exited with %d before it was up\nstdout:\n%s\nstderr:\n%s", code, r.stdout, r.stderr)
		case <-deadline:
			t.Fatalf("rcm dev was not up within 3 minutes\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
		case <-time.After(100 * time.Millisecond):
		}
	}
	return r
}

// stop interrupts rcm dev as Ctrl-C does and returns its exit status.
func (r *devRun) stop(t *testing.T) int {
	t.Helper()
	r.cancel()
	select {
	case code := <-r.done:
		r.done <- code // for the cleanup
		return code
	case <-time.After(time.Minute):
		t.Fatalf("rcm dev did not stop within a minute of the interrupt\nstderr:\n%s", r.stderr)
		return -1
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	port, err := devstack.FreePort()
	require.NoError(t, err)
	return strconv.Itoa(port)
}

// unsetEnv removes variables for the test, so that the environment the
// tests run in cannot change what rcm dev does.
func unsetEnv(t *testing.T, names ...string) {
	for _, name := range names {
		t.Setenv(name, "") // restores the old value after the test
		require.NoError(t, os.Unsetenv(name))
	}
}

func httpStatus(t *testing.T, u string) int {
	t.Helper()
	resp, err := http.Get(u)
	require.NoError(t, err, u)
	resp.Body.Close()
	return resp.StatusCode
}

func TestDevDemoOnGivenServicesServesAndStopsOnInterrupt(t *testing.T) {
	temporal := testenv.Temporal(t)
	smtp := testenv.SMTPServer(t)
	dbURL := testenv.EmptyDatabase(t)
	dataDir := t.TempDir()
	credentials := filepath.Join(dataDir, demo.CredentialsFileName)

	// rcm demo seed migrates and seeds; rcm dev --demo then finds it all there.
	var seedOut, seedErr bytes.Buffer
	code := Run(context.Background(), []string{"rcm", "demo", "seed", "--database-url", dbURL, "--data-dir", dataDir},
		strings.NewReader(""), &seedOut, &seedErr)
	require.Equal(t, ExitOK, code, seedErr.String())
	assert.Contains(t, seedOut.String(), "Demo data: 67 agencies (67 new), 54 users (54 new), template SEI (new), regime SEI_MONTHLY for 34 agencies (new), two-tier regime SEI_TWO_TIER (new).")
	assert.Contains(t, seedOut.String(), "API tokens: "+credentials)
	seeded, err := os.ReadFile(credentials)
	require.NoError(t, err)

	// The local server trusts the postgres role, so a password in the URL
	// is accepted and ignored: it must never be printed.
	u, err := url.Parse(dbURL)
	require.NoError(t, err)
	u.User = url.UserPassword(u.User.Username(), "s3cret-pw")
	webPort := freePort(t)

	r := startDev(t, "--demo", "--data-dir", dataDir, "--database-url", u.String(),
		"--temporal-address", temporal.HostPort(), "--smtp-url", smtp.URL(), "--web-port", webPort)
	out := r.stdout.String()
	web := "http://127.0.0.1:" + webPort
	for _, want := range []string{
		"rcm web        " + web + "/",
		"rcm API        " + web + "/api/v1",
		"Temporal       " + temporal.HostPort() + ", namespace default",
		"mail (SMTP)    smtp://" + smtp.Addr(),
		"database       postgres://postgres:xxxxx@",
		"demo sign-in   chuyenvien.vpcp@rcm.test (office staff), vanphong.hni@rcm.test (officer), ... passwords in " + credentials,
		"demo tokens    " + credentials,
		"export RCM_SERVER=" + web + " RCM_TOKEN=$(awk '$1==\"staff\" {print $4; exit}' " + credentials + ")",
		" cycle launch --regime SEI_MONTHLY --period ",
	} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "Temporal UI", "no UI line for a Temporal server rcm did not start")
	assert.NotContains(t, out, "Mailpit")
	assert.Contains(t, r.stderr.String(), "Database: up to date.")
	assert.Contains(t, r.stderr.String(), "Demo data: 67 agencies, 54 users, template SEI, regime SEI_MONTHLY for 34 agencies, two-tier regime SEI_TWO_TIER.")

	require.Equal(t, http.StatusOK, httpStatus(t, web+"/healthz"))
	require.Equal(t, http.StatusOK, httpStatus(t, web+"/readyz"))

	ctx := context.Background()
	st, err := store.Open(ctx, dbURL)
	require.NoError(t, err)
	t.Cleanup(st.Close)
	hni, err := st.Agency(ctx, "HNI")
	require.NoError(t, err)
	assert.Equal(t, "/VN/R-DBSH/HNI/", hni.Path)
	assert.Equal(t, "vanphong.hni@rcm.test", hni.OfficerEmail)

	// The worker polls rcm's task queue.
	require.Eventually(t, func() bool {
		resp, err := temporal.Client().DescribeTaskQueue(ctx, workflows.TaskQueue, enumspb.TASK_QUEUE_TYPE_WORKFLOW)
		return err == nil && len(resp.GetPollers()) > 0
	}, 30*time.Second, 200*time.Millisecond, "no worker polls task queue %s", workflows.TaskQueue)

	// Tokens go to the credentials file only, and they work.
	file, err := os.ReadFile(credentials)
	require.NoError(t, err)
	tokens := tokensIn(string(file))
	staffToken := tokens["staff"]
	require.NotEmpty(t, staffToken, string(file))
	p, err := st.PrincipalForToken(ctx, staffToken)
	require.NoError(t, err)
	assert.Equal(t, "chuyenvien.vpcp@rcm.test", p.Email)
	assert.NotEqual(t, string(seeded), string(file), "rcm dev --demo issued new tokens")

	// The next step, as printed, launches a cycle whose deadline notice
	// reaches the 34 provinces and cities.
	t.Setenv("RCM_SERVER", web)
	t.Setenv("RCM_TOKEN", staffToken)
	var launch []string
	for _, line := range strings.Split(out, "\n") {
		if _, after, ok := strings.Cut(line, selfCommand()+" cycle launch "); ok {
			launch = append([]string{"rcm", "cycle", "launch"}, strings.Fields(after)...)
		}
	}
	require.NotEmpty(t, launch, out)
	var launchOut, launchErr bytes.Buffer
	code = Run(ctx, launch, strings.NewReader(""), &launchOut, &launchErr)
	require.Equal(t, ExitOK, code, "%s\n%s", launchOut.String(), launchErr.String())
	notices := smtp.WaitFor(t, 34, time.Minute)
	assert.Contains(t, notices[0].To[0], "@rcm.test")
	assert.True(t, strings.HasPrefix(notices[0].To[0], "vanphong."), notices[0].To)

	// The worker's figures are on the web server's /metrics.
	require.Eventually(t, func() bool {
		req, err := http.NewRequest(http.MethodGet, web+"/metrics", nil)
		if err != nil {
			return false
		}
		req.Header.Set("Authorization", "Bearer "+staffToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return strings.Contains(string(body), `rcm_notifications_total{kind="deadline_notice",result="sent"} 34`) &&
			strings.Contains(string(body), `rcm_waves_total{kind="deadline_notice"} 1`)
	}, 30*time.Second, 200*time.Millisecond, "wave and message metrics")

	// The demo's two-tier regime launches for the same period, its
	// departments due first; each city waits for its three departments.
	period := launch[slices.Index(launch, "--period")+1]
	twoTier := "SEI_TWO_TIER-" + period
	code = Run(ctx, []string{"rcm", "cycle", "launch", "--regime", "SEI_TWO_TIER", "--period", period, "--tier-due", "1=+4m", "--due", "+8m"},
		strings.NewReader(""), &launchOut, &launchErr)
	require.Equal(t, ExitOK, code, "%s\n%s", launchOut.String(), launchErr.String())
	smtp.WaitFor(t, 34+12, time.Minute)
	var tiersOut, tiersErr bytes.Buffer
	code = Run(ctx, []string{"rcm", "cycle", "tiers", twoTier, "--output", "json"}, strings.NewReader(""), &tiersOut, &tiersErr)
	require.Equal(t, ExitOK, code, tiersErr.String())
	var progress api.TierProgress
	require.NoError(t, json.Unmarshal(tiersOut.Bytes(), &progress), tiersOut.String())
	require.Len(t, progress.Levels, 2)
	assert.Equal(t, 9, progress.Levels[0].Rates.Expected)
	assert.True(t, progress.Levels[0].Due.Before(progress.Levels[1].Due), "the departments are due first")
	require.Len(t, progress.Parents, 3)
	assert.Equal(t, []string{"HNI-SCT", "HNI-STC", "HNI-SXD"}, progress.Parents[1].WaitingFor, "%+v", progress.Parents)
	var consOut bytes.Buffer
	code = Run(ctx, []string{"rcm", "cycle", "consolidation", twoTier, "HNI"}, strings.NewReader(""), &consOut, &tiersErr)
	require.Equal(t, ExitOK, code, tiersErr.String())
	assert.Contains(t, consOut.String(), "HNI-SCT HNI-STC HNI-SXD", "the missing departments")

	require.Equal(t, ExitOK, r.stop(t), r.stderr.String())
	for _, printed := range []string{r.stdout.String(), r.stderr.String(), seedOut.String(), seedErr.String()} {
		for _, tok := range append(slices.Collect(maps.Values(tokens)), slices.Collect(maps.Values(tokensIn(string(seeded))))...) {
			assert.NotContains(t, printed, tok, "tokens are written to the credentials file only")
		}
		assert.NotContains(t, printed, "s3cret-pw")
	}
	_, err = http.Get(web + "/healthz")
	require.Error(t, err, "the web server stopped")
}

func TestDevStartsItsOwnTemporalAndMailpitAndStopsThem(t *testing.T) {
	cache, err := devstack.CacheDir()
	require.NoError(t, err)
	for _, tool := range []devstack.Tool{devstack.TemporalCLI(), devstack.Mailpit()} {
		_, err := devstack.Find(tool, cache)
		require.NoError(t, err, "run ./scripts/test or `go run ./cmd/rcm tools install`, which provision it")
	}
	unsetEnv(t, "RCM_TEMPORAL_ADDRESS", "RCM_SMTP_URL")
	dataDir := t.TempDir()
	ports := map[string]string{}
	args := []string{"--data-dir", dataDir, "--database-url", testenv.Database(t)}
	for _, flag := range []string{"web-port", "temporal-port", "temporal-ui-port", "mailpit-smtp-port", "mailpit-http-port"} {
		ports[flag] = freePort(t)
		args = append(args, "--"+flag, ports[flag])
	}
	r := startDev(t, args...)
	out := r.stdout.String()
	temporalUI := "http://127.0.0.1:" + ports["temporal-ui-port"]
	mailpit := "http://127.0.0.1:" + ports["mailpit-http-port"]
	assert.Contains(t, out, "Temporal UI    "+temporalUI+"/")
	assert.Contains(t, out, "Temporal       127.0.0.1:"+ports["temporal-port"]+", namespace default")
	assert.Contains(t, out, "Mailpit inbox  "+mailpit+"/  (SMTP 127.0.0.1:"+ports["mailpit-smtp-port"]+")")
	assert.Contains(t, out, "data and logs  "+dataDir+"/  (temporal.log, mailpit.log)")
	assert.Contains(t, out, "user bootstrap", "without --demo the next step is the first staff user")
	assert.Equal(t, http.StatusOK, httpStatus(t, temporalUI+"/"))
	assert.Equal(t, http.StatusOK, httpStatus(t, mailpit+"/api/v1/info"))
	assert.FileExists(t, filepath.Join(dataDir, "temporal.db"))
	assert.FileExists(t, filepath.Join(dataDir, "mailpit.db"))
	require.NotEmpty(t, childrenUsing(t, dataDir), "the services run with their data in the data folder")

	require.Equal(t, ExitOK, r.stop(t), r.stderr.String())
	assert.Contains(t, r.stderr.String(), "Stopping Temporal dev server, Mailpit...")
	assert.Empty(t, childrenUsing(t, dataDir), "no service outlives rcm dev")
	for flag, port := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:"+port)
		require.NoError(t, err, "--%s %s is free again", flag, port)
		l.Close()
	}
}

// tokensIn reads the tokens of a credentials file by role (the first of each).
func tokensIn(file string) map[string]string {
	tokens := map[string]string{}
	for _, line := range strings.Split(file, "\n") {
		if f := strings.Fields(line); len(f) == 4 && !strings.HasPrefix(f[0], "#") && tokens[f[0]] == "" {
			tokens[f[0]] = f[3]
		}
	}
	return tokens
}

// childrenUsing lists the processes whose command line names dir (Linux; nil elsewhere).
func childrenUsing(t *testing.T, dir string) []string {
	t.Helper()
	if runtime.GOOS != "linux" {
		return nil
	}
	entries, err := os.ReadDir("/proc")
	require.NoError(t, err)
	var found []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil {
			continue // gone meanwhile
		}
		if bytes.Contains(cmdline, []byte(dir)) {
			found = append(found, e.Name()+": "+string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})))
		}
	}
	return found
}

func TestDevRefusesABusyPortInOneLine(t *testing.T) {
	unsetEnv(t, "RCM_TEMPORAL_ADDRESS", "RCM_SMTP_URL", "RCM_WEB_PORT")
	for _, tt := range []struct{ flag, env, service string }{
		{"web-port", "RCM_WEB_PORT", "rcm web server"},
		{"temporal-port", "RCM_TEMPORAL_PORT", "Temporal dev server"},
		{"temporal-ui-port", "RCM_TEMPORAL_UI_PORT", "Temporal web UI"},
		{"mailpit-smtp-port", "RCM_MAILPIT_SMTP_PORT", "Mailpit SMTP server"},
		{"mailpit-http-port", "RCM_MAILPIT_HTTP_PORT", "Mailpit web inbox"},
	} {
		t.Run(tt.flag, func(t *testing.T) {
			busy, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			defer busy.Close()
			port := busy.Addr().(*net.TCPAddr).Port
			args := []string{"rcm", "dev", "--data-dir", t.TempDir(), "--database-url", "postgres://nobody@127.0.0.1:1/none"}
			for _, flag := range []string{"web-port", "temporal-port", "temporal-ui-port", "mailpit-smtp-port", "mailpit-http-port"} {
				if flag != tt.flag {
					args = append(args, "--"+flag, freePort(t))
				}
			}
			t.Setenv(tt.env, strconv.Itoa(port)) // the variable works as the flag does
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), args, strings.NewReader(""), &stdout, &stderr)
			require.Equal(t, ExitConflict, code, stderr.String())
			assert.Equal(t, fmt.Sprintf("rcm: port %d (%s) is already in use on 127.0.0.1: stop what listens there (another rcm dev?), "+
				"or choose another port with --%s or %s\n", port, tt.service, tt.flag, tt.env), stderr.String())
			assert.Empty(t, stdout.String())
		})
	}
}

func TestDevRefusesBadPorts(t *testing.T) {
	unsetEnv(t, "RCM_TEMPORAL_ADDRESS", "RCM_SMTP_URL")
	port := freePort(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--web-port", port, "--temporal-port", port}, "--web-port and --temporal-port are both " + port},
		{[]string{"--web-port", "70000"}, "--web-port 70000 is not a port number"},
		{[]string{"--temporal-address", "localhost"}, `--temporal-address "localhost" is not HOST:PORT`},
		{[]string{"--smtp-url", "smtp://127.0.0.1:1025"}, "--smtp-url"},
		{[]string{"--temporal-tls-ca", "/nonexistent/ca.pem"}, "--temporal-tls-ca /nonexistent/ca.pem: cannot read the CA file"},
		{[]string{"--temporal-api-key", "k"}, "apply to the server at --temporal-address"},
	} {
		var stdout, stderr bytes.Buffer
		code := Run(context.Background(), append([]string{"rcm", "dev", "--data-dir", t.TempDir()}, tt.args...), strings.NewReader(""), &stdout, &stderr)
		assert.Equal(t, ExitUsage, code, stderr.String())
		assert.Contains(t, stderr.String(), tt.want)
	}
}

func TestEveryDevAndDemoFlagReadsAnRCMVariable(t *testing.T) {
	for _, cmd := range []*ucli.Command{devCommand(), demoCommand().Subcommands[0]} {
		for _, f := range cmd.Flags {
			d, ok := f.(ucli.DocGenerationFlag)
			require.True(t, ok, f.Names()[0])
			assert.True(t, slices.ContainsFunc(d.GetEnvVars(), func(v string) bool { return strings.HasPrefix(v, "RCM_") }),
				"rcm %s --%s reads no RCM_* variable", cmd.Name, f.Names()[0])
		}
	}
}
