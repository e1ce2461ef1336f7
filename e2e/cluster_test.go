package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"rcm/api"
	"rcm/devstack"
	"rcm/reporting"
	"rcm/store"
	"rcm/testenv"
	"rcm/workflows"
)

// The cluster scenario: a few dozen provinces, a timeline of seconds.
const (
	clusterAgencies   = 36 // P01–P36 in three regions
	clusterAccepted   = 20 // P01–P20 submit and are accepted: on time
	clusterSubmitters = 26 // P21–P26 submit and are never reviewed: not accepted; the rest send nothing: missing
	// killAfterNotices is the deadline notice at which a worker and a web
	// server are killed; it and every notice after it wait for the kill.
	killAfterNotices = 10
)

// TestCycleOnTemporalClusterSurvivesKilledWorkerAndWebServer runs rcm as in
// production: a Temporal cluster on PostgreSQL (frontend, history, matching
// and worker as processes of their own, configured as docker-compose.yml
// configures them), two `rcm worker` and two `rcm serve` processes, the
// servers behind one address. In the middle of the deadline-notice wave —
// with the wave's tenth message in the SMTP server's hands — it kills
// (SIGKILL) the worker running the wave and one web server, while agencies
// submit through the one address. The surviving worker finishes the wave
// and the cycle; the surviving server takes every submission. It checks
// what the dev-server tests check: every agency notified exactly once or
// recorded as of unknown outcome (at most four: two connections, each with
// the message in flight and the one sent before it, not yet recorded),
// every submission receipted once, reminders and escalations to exactly the
// agencies that had not submitted, and the final states at close.
func TestCycleOnTemporalClusterSurvivesKilledWorkerAndWebServer(t *testing.T) {
	started := time.Now()
	cluster := testenv.NewTemporalCluster(t)
	t.Logf("Temporal cluster ready in %s", time.Since(started).Round(time.Millisecond))
	requireSameServer(t, temporal.Client(), cluster.Client())

	s := &system{t: t, bin: testenv.BuildRCM(t), dir: t.TempDir(), dbURL: testenv.Database(t), env: testenv.CleanEnv()}
	sink := testenv.SMTPServer(t)
	door := newFrontDoor(t)
	s.server = door.URL()
	serves := make([]*process, 2)
	for i := range serves {
		port, err := devstack.FreePort()
		require.NoError(t, err)
		addr := net.JoinHostPort(devstack.Loopback, strconv.Itoa(port))
		serves[i] = s.start(fmt.Sprintf("serve %d", i+1), "serve", "--addr", addr, "--database-url", s.dbURL,
			"--temporal-address", cluster.HostPort(), "--base-url", s.server)
		door.add(addr)
		waitReady(t, "http://"+addr, serves[i])
	}
	workers := make([]*process, 2)
	for i := range workers {
		workers[i] = s.start(fmt.Sprintf("worker %d", i+1), "worker", "--database-url", s.dbURL,
			"--temporal-address", cluster.HostPort(), "--smtp-url", sink.URL(), "--base-url", s.server)
	}
	t.Logf("two web servers and two workers on the cluster in %s", time.Since(started).Round(time.Millisecond))

	// The office, through the one address.
	r := s.rcm("", "", "user", "bootstrap", "--email", "admin@vpcp.gov.vn", "--database-url", s.dbURL)
	require.Equal(t, exitOK, r.code, r.stderr)
	staff := strings.TrimSpace(r.stdout)
	var codes []string
	agencies := "code,name_vi,name_en,kind,region,officer_email,head_email\n"
	for i := 1; i <= clusterAgencies; i++ {
		code := fmt.Sprintf("P%02d", i)
		codes = append(codes, code)
		region := []string{"Miền Bắc", "Miền Trung", "Miền Nam"}[(i-1)*3/clusterAgencies]
		agencies += fmt.Sprintf("%s,Tỉnh %s,Province %s,province,%s,officer.%s@agency.test,head.%s@agency.test\n", code, code, code, region, code, code)
	}
	s.ok(staff, "agency", "import", s.write("agencies.csv", agencies))
	s.ok(staff, "template", "create", "--file", s.write("ktxh.json", `{"code": "KTXH", "name_vi": "Báo cáo kinh tế - xã hội tháng",
		"indicators": [{"code": "GRDP", "name_vi": "Tổng sản phẩm trên địa bàn", "unit": "tỷ đồng", "type": "decimal", "required": true, "min": "0", "aggregation": "sum"}]}`))
	s.ok(staff, "regime", "create", "--code", "KTXH_THANG", "--name-vi", "Báo cáo KT-XH hằng tháng", "--template", "KTXH",
		"--cadence", "monthly", "--deadline-rule", "workdays:2", "--assign", strings.Join(codes, ","))
	rest := &apiClient{t: t, base: s.server}
	officers := map[string]string{}
	for _, code := range codes[:clusterSubmitters] {
		officers[code] = rest.newOfficer(staff, code)
	}
	period := pastPeriod(t)
	cycleID := "KTXH_THANG-" + period

	// Kill the wave's worker and a web server when the tenth notice is in
	// the SMTP server's hands, once half the submissions are in.
	halfway, killed := make(chan struct{}), make(chan struct{})
	var killErr error
	var victim *process
	var notices atomic.Int32
	var killOnce sync.Once
	sink.OnMessage(func(m testenv.ReceivedMessage) {
		if len(m.To) != 1 || !strings.HasPrefix(m.To[0], "officer.") {
			return // a receipt, or an escalation with the head in copy
		}
		select {
		case <-killed:
			return
		default:
		}
		if notices.Add(1) < killAfterNotices {
			return
		}
		killOnce.Do(func() {
			go func() {
				defer close(killed)
				victim, killErr = killMidWave(cluster.Client(), workflows.CycleWorkflowID(cycleID), workers, serves[0], halfway)
			}()
		})
		<-killed // this message, and every notice after it, waits for the kill
	})

	launched := time.Now()
	out := s.ok(staff, "cycle", "launch", "--regime", "KTXH_THANG", "--period", period, "--due", "+45s",
		"--reminders", "20s", "--escalations", "5s:officer+head", "--review-time", "1h", "--close-after", "10s")
	require.Contains(t, out, cycleID)
	rest.waitOpen(staff, cycleID)

	receipts := map[string]api.Receipt{}
	retries := 0
	for i, code := range codes[:clusterSubmitters] {
		if i == clusterSubmitters/2 {
			close(halfway)
			select {
			case <-killed:
			case <-time.After(90 * time.Second):
				t.Fatalf("the kill never happened: %d notices arrived", notices.Load())
			}
			require.NoError(t, killErr)
			t.Logf("killed worker pid %d (it ran the wave) and web server pid %d, %s after launch",
				victim.cmd.Process.Pid, serves[0].cmd.Process.Pid, time.Since(launched).Round(time.Millisecond))
		}
		rec, n := rest.submit(officers[code], cycleID, code)
		receipts[code], retries = rec, retries+n
	}
	t.Logf("%d submissions receipted through the one address (%d retries)", len(receipts), retries)
	for _, code := range codes[:clusterAccepted] {
		require.Contains(t, s.ok(staff, "review", "accept", fmt.Sprint(receipts[code].SubmissionID)), "đã chấp nhận")
	}

	var cycle api.Cycle
	require.Eventually(t, func() bool {
		cycle = rest.cycle(staff, cycleID)
		return cycle.Status == "closed"
	}, 3*time.Minute, 500*time.Millisecond, "the cycle closes")
	t.Logf("cycle closed %s after launch", time.Since(launched).Round(time.Millisecond))
	assert.Equal(t, map[string]int{"on_time": clusterAccepted, "submitted_not_reviewed": clusterSubmitters - clusterAccepted,
		"missing": clusterAgencies - clusterSubmitters}, cycle.Counts)

	for name, p := range map[string]*process{"the killed worker": victim, "the killed web server": serves[0]} {
		select {
		case <-p.done:
			assert.Equal(t, "signal: killed", p.cmd.ProcessState.String(), name)
		default:
			t.Errorf("%s still runs", name)
		}
	}
	for _, p := range append(slices.DeleteFunc(slices.Clone(workers), func(p *process) bool { return p == victim }), serves[1]) {
		select {
		case <-p.done:
			t.Errorf("a surviving rcm process exited: %s", p.cmd.ProcessState)
		default:
		}
	}
	checkClusterOutcome(t, s.dbURL, cycleID, codes, receipts, sink)
	checkVisibility(t, cluster.Client(), cycleID)
	t.Logf("the scenario took %s", time.Since(started).Round(time.Millisecond))
}

// requireSameServer checks that the cluster runs the server version the
// dev server embeds, so the two topologies run the same server code.
func requireSameServer(t *testing.T, dev, cluster client.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	want, err := dev.WorkflowService().GetSystemInfo(ctx, &workflowservice.GetSystemInfoRequest{})
	require.NoError(t, err)
	got, err := cluster.WorkflowService().GetSystemInfo(ctx, &workflowservice.GetSystemInfoRequest{})
	require.NoError(t, err)
	require.Equal(t, want.GetServerVersion(), got.GetServerVersion(), "the cluster's server version is the dev server's")
}

// killMidWave waits until half the submissions are in, then kills with
// SIGKILL the worker that runs the cycle's current activity (Temporal
// records which worker started it) and the web server, and returns the
// worker it killed.
func killMidWave(tc client.Client, workflowID string, workers []*process, serve *process, halfway <-chan struct{}) (*process, error) {
	select {
	case <-halfway:
	case <-time.After(60 * time.Second):
		return nil, errors.New("the submissions never got halfway")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := tc.DescribeWorkflow(ctx, workflowID, "")
	if err != nil {
		return nil, fmt.Errorf("describe %s: %w", workflowID, err)
	}
	var victim *process
	var seen []string
	for _, a := range d.RawResponse.GetPendingActivities() {
		seen = append(seen, fmt.Sprintf("%s %s by %q", a.GetActivityType().GetName(), a.GetState(), a.GetLastWorkerIdentity()))
		if a.GetState() != enumspb.PENDING_ACTIVITY_STATE_STARTED {
			continue
		}
		pid, _, _ := strings.Cut(a.GetLastWorkerIdentity(), "@") // the SDK's identity: PID@HOST@...
		for _, w := range workers {
			if strconv.Itoa(w.cmd.Process.Pid) == pid {
				victim = w
			}
		}
	}
	if victim == nil {
		return nil, fmt.Errorf("no worker of ours runs an activity of %s: %v", workflowID, seen)
	}
	if err := victim.cmd.Process.Kill(); err != nil {
		return nil, fmt.Errorf("kill worker: %w", err)
	}
	if err := serve.cmd.Process.Kill(); err != nil {
		return nil, fmt.Errorf("kill web server: %w", err)
	}
	return victim, nil
}

// checkClusterOutcome holds the cycle's records and the mail that arrived to
// the outcome of the scenario.
func checkClusterOutcome(t *testing.T, dbURL, cycleID string, codes []string, receipts map[string]api.Receipt, sink *testenv.SMTP) {
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL)
	require.NoError(t, err)
	defer st.Close()

	obligations, err := st.Obligations(ctx, store.ObligationFilter{CycleID: cycleID})
	require.NoError(t, err)
	states, versions := map[string]string{}, map[string]int{}
	for _, o := range obligations {
		states[o.AgencyCode], versions[o.AgencyCode] = string(o.Status), o.Versions
	}
	for i, code := range codes {
		want := "missing"
		switch {
		case i < clusterAccepted:
			want = "on_time"
		case i < clusterSubmitters:
			want = "submitted_not_reviewed"
		}
		assert.Equal(t, want, states[code], "final state of %s", code)
		if i < clusterSubmitters {
			assert.Equal(t, 1, versions[code], "%s submitted once, whatever the retries", code)
			assert.Equal(t, 1, receipts[code].Version, "%s's receipt", code)
		}
	}

	// Every message at most once; every notification sent exactly once, or
	// recorded as of unknown outcome (sent at most once).
	delivered := map[string]int{}
	for _, m := range sink.Messages() {
		delivered[m.Header.Get("Message-Id")]++
	}
	for id, n := range delivered {
		assert.Equal(t, 1, n, "message %s arrived %d times", id, n)
	}
	notes, err := st.ListNotifications(ctx, store.NotificationFilter{CycleID: cycleID, Limit: 1000})
	require.NoError(t, err)
	subjects := map[string][]string{}
	unknownNotices := 0
	for _, n := range notes {
		kind := fmt.Sprintf("%s/%d", n.Key.Kind, n.Key.Step)
		subjects[kind] = append(subjects[kind], n.Key.Subject)
		switch {
		case n.Status == reporting.NotificationSent:
			assert.Equal(t, 1, delivered[n.MessageID], "%s to %s was sent: it arrived once", kind, n.Key.Subject)
		case n.Status == reporting.NotificationFailed && n.LastError == store.ErrOutcomeUnknown:
			assert.LessOrEqual(t, delivered[n.MessageID], 1, "%s to %s", kind, n.Key.Subject)
			if n.Key.Kind == "deadline_notice" {
				unknownNotices++
			}
		default:
			t.Errorf("%s to %s: %s %s", kind, n.Key.Subject, n.Status, n.LastError)
		}
	}
	t.Logf("%d notifications, %d messages arrived, %d deadline notices of unknown outcome", len(notes), len(sink.Messages()), unknownNotices)
	assert.True(t, unknownNotices >= 1 && unknownNotices <= 4,
		"the kill caught the wave sending (the held messages are of unknown outcome): at most two per connection, over 2: %d", unknownNotices)
	for kind := range subjects {
		slices.Sort(subjects[kind])
	}
	silent := codes[clusterSubmitters:]
	assert.Equal(t, codes, subjects["deadline_notice/0"], "every agency's notice, once")
	assert.Equal(t, codes[:clusterSubmitters], subjects["receipt/1"], "every submission's receipt")
	assert.Equal(t, codes[:clusterAccepted], subjects["accepted/1"])
	assert.Equal(t, silent, subjects["reminder/1"], "reminders only to who had not submitted")
	assert.Equal(t, silent, subjects["overdue/0"])
	assert.Equal(t, silent, subjects["escalation/1"])
}

// checkVisibility finds the cycle's workflows by rcm's search attribute, as
// the README tells people to in Temporal's UI: the cluster's visibility
// store (its second database) works.
func checkVisibility(t *testing.T, tc client.Client, cycleID string) {
	t.Helper()
	query := fmt.Sprintf("%s = %q", workflows.SearchAttributeCycle, cycleID)
	var found []string
	require.Eventually(t, func() bool {
		resp, err := tc.ListWorkflow(context.Background(), &workflowservice.ListWorkflowExecutionsRequest{Query: query, PageSize: 100})
		if err != nil {
			return false
		}
		found = found[:0]
		for _, e := range resp.GetExecutions() {
			found = append(found, e.GetExecution().GetWorkflowId())
		}
		return len(found) == 1+clusterSubmitters
	}, 30*time.Second, 250*time.Millisecond, "the cycle and its %d submission loops by %s", clusterSubmitters, query)
	assert.Contains(t, found, workflows.CycleWorkflowID(cycleID))
}

// waitReady waits for a web server's /readyz.
func waitReady(t *testing.T, base string, p *process) {
	t.Helper()
	require.Eventually(t, func() bool {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 60*time.Second, 100*time.Millisecond, "rcm serve at %s never became ready:\n%s", base, p)
}

// frontDoor is one address in front of several rcm web servers, as a load
// balancer: each request goes to the next server in turn, and to the one
// after if a server refuses the connection. A request a server dies in the
// middle of answers 502; the client sends it again.
type frontDoor struct {
	srv *httptest.Server

	mu       sync.Mutex
	backends []string
	next     int
}

func newFrontDoor(t *testing.T) *frontDoor {
	d := &frontDoor{}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.Out.URL.Scheme = "http"
			r.Out.Host = r.In.Host
			r.SetXForwarded()
		},
		Transport: d,
	}
	d.srv = httptest.NewServer(proxy)
	t.Cleanup(d.srv.Close)
	return d
}

// URL is the one address.
func (d *frontDoor) URL() string { return d.srv.URL }

func (d *frontDoor) add(addr string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.backends = append(d.backends, addr)
}

// RoundTrip sends the request to the next server that accepts a
// connection.
func (d *frontDoor) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
	}
	d.mu.Lock()
	backends, first := slices.Clone(d.backends), d.next
	d.next++
	d.mu.Unlock()
	var err error
	for i := range backends {
		out := req.Clone(req.Context())
		out.URL.Host = backends[(first+i)%len(backends)]
		out.Body = io.NopCloser(bytes.NewReader(body))
		var resp *http.Response
		resp, err = http.DefaultTransport.RoundTrip(out)
		var opErr *net.OpError
		if err == nil || !errors.As(err, &opErr) || opErr.Op != "dial" {
			return resp, err // answered, or broke after the request may have arrived: not safe to send elsewhere
		}
	}
	return nil, err
}

// apiClient calls rcm's HTTP API as a connected system does.
type apiClient struct {
	t    *testing.T
	base string
}

// call sends a JSON request and decodes a JSON answer into out; it returns
// the status, or an error if no answer came.
func (c *apiClient) call(token, method, path string, header http.Header, in, out any) (int, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		require.NoError(c.t, err)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, body)
	require.NoError(c.t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if out != nil && resp.StatusCode < 300 {
		require.NoError(c.t, json.Unmarshal(b, out), "%s %s: %s", method, path, b)
	}
	if resp.StatusCode >= 300 && resp.StatusCode != http.StatusBadGateway {
		c.t.Logf("%s %s: %s %s", method, path, resp.Status, b)
	}
	return resp.StatusCode, nil
}

// must calls and requires the status.
func (c *apiClient) must(status int, token, method, path string, in, out any) {
	c.t.Helper()
	got, err := c.call(token, method, path, nil, in, out)
	require.NoError(c.t, err, "%s %s", method, path)
	require.Equal(c.t, status, got, "%s %s", method, path)
}

// newOfficer creates the reporting officer of an agency and returns a
// token of theirs.
func (c *apiClient) newOfficer(staff, agency string) string {
	// Nobody mints a token for someone else: the officer signs in with
	// the password staff gave them and creates their own.
	var u api.User
	const password = "mật khẩu của cán bộ"
	c.must(http.StatusCreated, staff, "POST", "/api/v1/users",
		api.NewUser{Email: "submitter." + agency + "@agency.test", Role: "officer", Agency: agency, Language: "vi", Password: password}, &u)
	body, err := json.Marshal(api.SignIn{Email: u.Email, Password: password})
	require.NoError(c.t, err)
	resp, err := http.Post(c.base+"/api/v1/session", "application/json", bytes.NewReader(body))
	require.NoError(c.t, err)
	resp.Body.Close()
	require.Equal(c.t, http.StatusCreated, resp.StatusCode)
	cookie := http.Header{}
	for _, ck := range resp.Cookies() {
		cookie.Add("Cookie", ck.Name+"="+ck.Value)
	}
	var tok api.NewToken
	status, err := c.call("", "POST", fmt.Sprintf("/api/v1/users/%d/tokens", u.ID), cookie, api.CreateToken{Name: "cluster"}, &tok)
	require.NoError(c.t, err)
	require.Equal(c.t, http.StatusCreated, status)
	return tok.Secret
}

func (c *apiClient) cycle(token, id string) api.Cycle {
	var cyc api.Cycle
	c.must(http.StatusOK, token, "GET", "/api/v1/cycles/"+id, nil, &cyc)
	return cyc
}

// waitOpen waits until the cycle's obligations exist.
func (c *apiClient) waitOpen(token, id string) {
	require.Eventually(c.t, func() bool { return c.cycle(token, id).OpenedAt != nil }, time.Minute, 100*time.Millisecond, "cycle %s opens", id)
}

// submit sends an agency's figures until it has a receipt, as a connected
// system does: a 502 or a broken connection (a web server died) is sent
// again with the same Idempotency-Key. It returns the receipt and the
// number of retries.
func (c *apiClient) submit(token, cycleID, agency string) (api.Receipt, int) {
	path := fmt.Sprintf("/api/v1/cycles/%s/agencies/%s/submissions", cycleID, agency)
	body := api.SubmissionRequest{Values: map[string]json.RawMessage{"GRDP": json.RawMessage(`"1250.5"`)}}
	header := http.Header{"Idempotency-Key": {"cluster-" + cycleID + "-" + agency}}
	for retries := 0; ; retries++ {
		var rec api.Receipt
		status, err := c.call(token, "POST", path, header, body, &rec)
		if err == nil && (status == http.StatusCreated || status == http.StatusOK) {
			return rec, retries
		}
		require.True(c.t, err != nil || status == http.StatusBadGateway, "submission of %s: %d", agency, status)
		require.Less(c.t, retries, 20, "submission of %s never receipted: %v", agency, err)
		time.Sleep(250 * time.Millisecond)
	}
}

// rcm dev refuses a topology it does not know, and a cluster to start
// beside the address of one running, before it starts anything.
func TestDevTopologyIsCheckedFirst(t *testing.T) {
	s := &system{t: t, bin: testenv.BuildRCM(t), dir: t.TempDir(), env: testenv.CleanEnv()}
	stderr := s.fails(exitUsage, "", "dev", "--topology", "swarm", "--data-dir", s.dir)
	require.Contains(t, stderr, `--topology "swarm": use dev (the Temporal dev server) or cluster`)
	s.env = append(s.env, "RCM_TOPOLOGY=cluster")
	stderr = s.fails(exitUsage, "", "dev", "--temporal-address", "127.0.0.1:7233", "--data-dir", s.dir)
	require.Contains(t, stderr, "--topology cluster starts a Temporal cluster and --temporal-address 127.0.0.1:7233 uses one already running")
}
