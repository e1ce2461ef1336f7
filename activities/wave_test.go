package activities

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"

	"rcm/access"
	"rcm/notifications"
	"rcm/reporting"
	"rcm/store"
	"rcm/testenv"
)

// waveFixture is a database with n agencies in one open cycle, and the
// seedAudit is the audit entry of what the tests seed; operations, which
// writes the entries of real changes, builds on this package.
var seedAudit = store.AuditEntry{Actor: "test", Action: "test"}

// activities wired to an SMTP server on loopback.
type waveFixture struct {
	t       *testing.T
	ctx     context.Context
	store   *store.Store
	smtp    *testenv.SMTP
	cycleID string
	due     time.Time
}

func newWaveFixture(t *testing.T, n int, opts ...testenv.SMTPOption) *waveFixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, testenv.Database(t))
	require.NoError(t, err)
	t.Cleanup(st.Close)
	agencies := []reporting.Agency{{Code: "VN", NameVI: "Việt Nam", Kind: "national"}}
	regime := reporting.Regime{Code: "WAVE", NameVI: "Báo cáo thử", TemplateCode: "T", Cadence: reporting.Monthly,
		DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleCalendarDays, N: 2}, TimeZone: reporting.DefaultZone,
		Policy: reporting.Policy{ReminderOffsets: []time.Duration{time.Hour}, ReviewTime: time.Hour, CloseAfter: 2 * time.Hour}}
	for i := 1; i <= n; i++ {
		code := fmt.Sprintf("A%04d", i)
		agencies = append(agencies, reporting.Agency{Code: code, ParentCode: "VN", NameVI: "Đơn vị " + code, Kind: "province",
			OfficerEmail: strings.ToLower(code) + "@agency.test"})
		regime.Assignments = append(regime.Assignments, reporting.Assignment{AgencyCode: code})
	}
	_, _, err = st.UpsertAgencies(ctx, agencies, seedAudit)
	require.NoError(t, err)
	_, err = st.CreateUser(ctx, store.User{Email: "staff@office.test", Role: access.Staff}, "", seedAudit)
	require.NoError(t, err)
	require.NoError(t, st.CreateTemplate(ctx, reporting.Template{Code: "T", NameVI: "Mẫu", Indicators: []reporting.Indicator{
		{Code: "X", NameVI: "Chỉ tiêu X", Type: reporting.TypeInteger, Required: true, Aggregation: reporting.AggregationSum}}}, seedAudit))
	require.NoError(t, st.CreateRegime(ctx, regime, seedAudit))
	due := time.Now().Add(time.Hour).Truncate(time.Second)
	c := reporting.Cycle{ID: "WAVE-2026-10", RegimeCode: "WAVE", Period: "2026-10", WindowStart: reporting.MustParseDate("2026-09-15"),
		WindowEnd: reporting.MustParseDate("2026-10-14"), TimeZone: reporting.DefaultZone,
		CutOff: time.Date(2026, 10, 14, 17, 0, 0, 0, time.UTC), Due: due, Close: due.Add(2 * time.Hour), Policy: regime.Policy}
	require.NoError(t, st.InsertCycle(ctx, c, seedAudit))
	expected, err := st.OpenCycle(ctx, c.ID)
	require.NoError(t, err)
	require.Equal(t, n, expected)
	return &waveFixture{t: t, ctx: ctx, store: st, smtp: testenv.SMTPServer(t, opts...), cycleID: c.ID, due: due}
}

func (f *waveFixture) activities(cfg Config) *Activities {
	smtpCfg, err := notifications.ParseSMTPURL(f.smtp.URL())
	require.NoError(f.t, err)
	renderer, err := notifications.NewRenderer()
	require.NoError(f.t, err)
	cfg.BaseURL, cfg.MessageIDDomain = "http://rcm.test", "rcm.test"
	if cfg.RetryDelay == 0 {
		cfg.RetryDelay = time.Millisecond
	}
	return New(f.store, renderer, notifications.NewMailer(smtpCfg), nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), cfg)
}

func (f *waveFixture) noticeWave() WaveInput {
	return WaveInput{CycleID: f.cycleID, Moment: reporting.Moment{Kind: reporting.EventDeadlineNotice, At: time.Now()}}
}

func (f *waveFixture) statuses() map[reporting.NotificationStatus]int {
	out := map[reporting.NotificationStatus]int{}
	for after := int64(0); ; {
		notes, err := f.store.ListNotifications(f.ctx, store.NotificationFilter{CycleID: f.cycleID, AfterID: after, Limit: 1000})
		require.NoError(f.t, err)
		if len(notes) == 0 {
			return out
		}
		for _, n := range notes {
			out[n.Status]++
		}
		after = notes[len(notes)-1].ID
	}
}

// TestWaveKilledMidwayAndRetriedDeliversEveryMessageOnce: a notice wave to
// 1,000 agencies is killed after 400 messages reached the SMTP server; the
// retried attempt resumes from the last heartbeat. Exactly 1,000 messages
// arrive, one per agency.
func TestWaveKilledMidwayAndRetriedDeliversEveryMessageOnce(t *testing.T) {
	f := newWaveFixture(t, 1000)
	const lanes = 4
	acts := f.activities(Config{BatchSize: 50, Lanes: lanes})
	killCtx, kill := context.WithCancel(context.Background())
	var received atomic.Int64
	f.smtp.OnMessage(func(testenv.ReceivedMessage) {
		if received.Add(1) == 400 {
			kill()
		}
	})
	var ts testsuite.WorkflowTestSuite
	first := ts.NewTestActivityEnvironment()
	first.SetWorkerOptions(worker.Options{BackgroundActivityContext: killCtx})
	first.RegisterActivity(acts.RunWave)
	var lastBeat waveProgress
	first.SetOnActivityHeartbeatListener(func(_ *activity.Info, d converter.EncodedValues) { require.NoError(t, d.Get(&lastBeat)) })
	_, err := first.ExecuteActivity(acts.RunWave, f.noticeWave())
	require.Error(t, err, "the first attempt is killed")
	require.NotEmpty(t, lastBeat.After, "it heartbeat its progress before dying")
	require.Less(t, received.Load(), int64(1000))

	retry := ts.NewTestActivityEnvironment()
	retry.RegisterActivity(acts.RunWave)
	retry.SetHeartbeatDetails(lastBeat)
	val, err := retry.ExecuteActivity(acts.RunWave, f.noticeWave())
	require.NoError(t, err)
	var res WaveResult
	require.NoError(t, val.Get(&res))

	msgs := f.smtp.Messages()
	require.Len(t, msgs, 1000)
	seenTo, seenID := map[string]bool{}, map[string]bool{}
	for _, m := range msgs {
		require.Len(t, m.To, 1)
		assert.False(t, seenTo[m.To[0]], "%s mailed twice", m.To[0])
		assert.False(t, seenID[m.Header.Get("Message-Id")], "Message-ID repeated")
		seenTo[m.To[0]], seenID[m.Header.Get("Message-Id")] = true, true
	}
	st := f.statuses()
	// At most one message per lane can be caught mid-send by the kill: it
	// reached the server but is recorded as failed with "outcome unknown",
	// never resent.
	assert.Equal(t, 1000, st[reporting.NotificationSent]+st[reporting.NotificationFailed])
	assert.LessOrEqual(t, st[reporting.NotificationFailed], lanes)
	assert.Equal(t, st[reporting.NotificationSent], res.Sent)

	obs, err := f.store.StatusCounts(f.ctx, f.cycleID, "", false)
	require.NoError(t, err)
	assert.Equal(t, map[reporting.ObligationStatus]int{reporting.ObligationNotified: 1000}, obs, "every obligation is marked notified")
}

// TestWaveOfAStoppingWorkerHandsTheRestBack: the worker running a notice
// wave to 1,000 agencies is told to stop (SIGTERM) after 400 messages. The
// attempt ends at once with an error, each lane having finished the message
// in hand, so Temporal gives the rest to another worker without waiting for
// a heartbeat timeout and no message is left of unknown outcome; the next
// attempt sends the rest.
func TestWaveOfAStoppingWorkerHandsTheRestBack(t *testing.T) {
	f := newWaveFixture(t, 1000)
	acts := f.activities(Config{BatchSize: 50, Lanes: 4})
	stop := make(chan struct{})
	var received atomic.Int64
	f.smtp.OnMessage(func(testenv.ReceivedMessage) {
		if received.Add(1) == 400 {
			close(stop)
		}
	})
	var ts testsuite.WorkflowTestSuite
	first := ts.NewTestActivityEnvironment()
	first.SetWorkerStopChannel(stop)
	first.RegisterActivity(acts.RunWave)
	var lastBeat waveProgress
	first.SetOnActivityHeartbeatListener(func(_ *activity.Info, d converter.EncodedValues) { require.NoError(t, d.Get(&lastBeat)) })
	_, err := first.ExecuteActivity(acts.RunWave, f.noticeWave())
	require.ErrorContains(t, err, "the worker is stopping")
	require.Less(t, received.Load(), int64(1000), "the attempt stopped early")
	st := f.statuses()
	assert.Zero(t, st[reporting.NotificationSending]+st[reporting.NotificationFailed], "no message is left mid-send: %v", st)
	assert.Equal(t, int(received.Load()), st[reporting.NotificationSent], "every message that arrived is recorded sent")

	retry := ts.NewTestActivityEnvironment()
	retry.RegisterActivity(acts.RunWave)
	retry.SetHeartbeatDetails(lastBeat)
	_, err = retry.ExecuteActivity(acts.RunWave, f.noticeWave())
	require.NoError(t, err)
	assert.Len(t, f.smtp.Messages(), 1000)
	assert.Equal(t, map[reporting.NotificationStatus]int{reporting.NotificationSent: 1000}, f.statuses())
}

// TestWaveWithAServerFailingEveryThirdMessage: temporary refusals (451) are
// retried in place and everything is delivered; permanent ones (550) are
// recorded as failed with the server's reply while the rest of the wave
// goes on.
func TestWaveWithAServerFailingEveryThirdMessage(t *testing.T) {
	t.Run("temporary", func(t *testing.T) {
		f := newWaveFixture(t, 90, testenv.FailEvery(3, 451))
		res := runWave(t, f.activities(Config{BatchSize: 20}), f.noticeWave())
		assert.Equal(t, WaveResult{Selected: 90, Sent: 90}, res)
		assert.Len(t, f.smtp.Messages(), 90)
	})
	t.Run("permanent", func(t *testing.T) {
		f := newWaveFixture(t, 90, testenv.FailEvery(3, 550))
		res := runWave(t, f.activities(Config{BatchSize: 20}), f.noticeWave())
		assert.Equal(t, WaveResult{Selected: 90, Sent: 60, Failed: 30}, res)
		failed, err := f.store.ListNotifications(f.ctx, store.NotificationFilter{CycleID: f.cycleID, Status: reporting.NotificationFailed})
		require.NoError(t, err)
		require.Len(t, failed, 30)
		for _, n := range failed {
			assert.Contains(t, n.LastError, "550", "the SMTP reply is recorded for office staff")
		}
		// Running the wave again sends nothing more.
		again := runWave(t, f.activities(Config{BatchSize: 20}), f.noticeWave())
		assert.Equal(t, res, again)
		assert.Len(t, f.smtp.Messages(), 60)
	})
	t.Run("refusing everything on the final attempt", func(t *testing.T) {
		f := newWaveFixture(t, 10, testenv.FailEvery(1, 451))
		res := runWave(t, f.activities(Config{BatchSize: 4, FinalSendAttempt: 1}), f.noticeWave())
		assert.Equal(t, WaveResult{Selected: 10, Failed: 10}, res)
	})
}

// TestWaveDefersTemporaryFailuresToTheNextAttempt: before the final attempt,
// messages refused for a temporary reason stay claimed and the wave fails so
// that Temporal retries it; the retry sends them.
func TestWaveDefersTemporaryFailuresToTheNextAttempt(t *testing.T) {
	f := newWaveFixture(t, 6, testenv.FailEvery(1, 451))
	acts := f.activities(Config{BatchSize: 4, FinalSendAttempt: 99})
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	env.RegisterActivity(acts.RunWave)
	_, err := env.ExecuteActivity(acts.RunWave, f.noticeWave())
	require.ErrorContains(t, err, "deferred")
	assert.Equal(t, map[reporting.NotificationStatus]int{reporting.NotificationClaimed: 6}, f.statuses())
}

// TestAnAgencyWithoutAnAddressIsSkippedNotFailed.
func TestAnAgencyWithoutAnAddressIsSkippedNotFailed(t *testing.T) {
	f := newWaveFixture(t, 5)
	_, _, err := f.store.UpsertAgencies(f.ctx, []reporting.Agency{{Code: "A0003", ParentCode: "VN", NameVI: "Đơn vị A0003", Kind: "province"}}, seedAudit)
	require.NoError(t, err)
	res := runWave(t, f.activities(Config{}), f.noticeWave())
	assert.Equal(t, WaveResult{Selected: 5, Sent: 4, Skipped: 1}, res)
	skipped, err := f.store.ListNotifications(f.ctx, store.NotificationFilter{CycleID: f.cycleID, Status: reporting.NotificationSkipped})
	require.NoError(t, err)
	require.Len(t, skipped, 1)
	assert.Equal(t, "A0003", skipped[0].Key.Subject)
	assert.Contains(t, skipped[0].LastError, "no valid e-mail address")
}

func runWave(t *testing.T, acts *Activities, in WaveInput) WaveResult {
	t.Helper()
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestActivityEnvironment()
	env.RegisterActivity(acts.RunWave)
	val, err := env.ExecuteActivity(acts.RunWave, in)
	require.NoError(t, err)
	var res WaveResult
	require.NoError(t, val.Get(&res))
	return res
}

// TestSendPortionKeepsSmallWavesToOneMessageAtATime: the crash window of a
// lane (messages marked sending at once) is one message for a small wave and
// grows to the configured limit for a lane's share of a full page (500
// messages over 4 lanes: 125).
func TestSendPortionKeepsSmallWavesToOneMessageAtATime(t *testing.T) {
	for _, tc := range []struct{ n, limit, want int }{
		{0, 10, 1}, {18, 10, 1}, {50, 10, 5}, {99, 10, 9}, {125, 10, 10}, {2500, 10, 10}, {125, 1, 1},
	} {
		assert.Equal(t, tc.want, sendPortionOf(tc.n, tc.limit), "%d messages, limit %d", tc.n, tc.limit)
	}
}
