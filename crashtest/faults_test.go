package crashtest

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"rcm/operations"
	"rcm/reporting"
	"rcm/systemtest"
	"rcm/testenv"
)

// record adds a fault injected to the run's list.
func (r *run) record(f fault) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.faults = append(r.faults, f)
}

// killWorkerInWaves arms the SMTP server to kill the worker as the n-th
// deadline notice and the n-th reminder arrive — the server has the message,
// the worker never hears its answer, as in a crash in the middle of a send —
// and to stop it (SIGTERM, as a deploy does) as the n-th closing summary
// arrives. The worker is started again at once, as its supervisor would.
func (r *run) killWorkerInWaves() {
	cycleID := operations.CycleID(r.sc.regime, r.sc.period)
	kindOf := map[string]reporting.Event{} // Message-ID → kind
	keys := append([]reporting.NotificationKey(nil), r.tok.summaries...)
	for i := 1; i <= r.sc.agencies; i++ {
		keys = append(keys,
			reporting.NotificationKey{CycleID: cycleID, Subject: systemtest.Province(i), Kind: reporting.EventDeadlineNotice},
			reporting.NotificationKey{CycleID: cycleID, Subject: systemtest.Province(i), Kind: reporting.EventReminder, Step: 1})
	}
	for _, k := range keys {
		kindOf[k.MessageID(messageIDDomain)] = k.Kind
	}
	notOnTime := len(r.sc.agenciesWhere(func(ro role) bool { return !ro.onTime() }))
	var notices, reminders, summaries atomic.Int32
	r.st.smtp.OnMessage(func(m testenv.ReceivedMessage) {
		switch kindOf[m.Header.Get("Message-ID")] {
		case reporting.EventDeadlineNotice:
			if n := int(notices.Add(1)); n == r.sc.killWorkerAtNotice {
				r.killWorker(fmt.Sprintf("worker killed (SIGKILL) as deadline notice %d of %d arrived", n, r.sc.agencies), "deadline_notice/0")
			}
		case reporting.EventReminder:
			if n := int(reminders.Add(1)); n == r.sc.killWorkerAtReminder {
				r.killWorker(fmt.Sprintf("worker killed as reminder %d of %d arrived", n, notOnTime), "reminder/1")
			}
		case reporting.EventCycleSummary:
			if n := int(summaries.Add(1)); n == r.sc.stopWorkerAtSummary {
				// Not here: the worker waits for this message's answer to stop.
				r.inBackground(func() {
					r.stopWorker(fmt.Sprintf("worker stopped (SIGTERM) as closing summary %d of %d arrived", n, len(r.tok.summaries)), "cycle_summary/0")
				})
			}
		}
	})
}

// killWorker kills the worker and starts it again. The wave it hit is
// retried once its heartbeat times out (10 s, package workflows).
func (r *run) killWorker(what, wave string) {
	f := fault{what: what, wave: wave, at: time.Now(), inWave: true, bound: maxRecoveryAfterKill}
	r.st.worker.kill()
	if err := r.st.worker.start(); err != nil {
		r.t.Errorf("restart the worker: %v", err)
	}
	f.back = time.Now()
	r.record(f)
}

// stopWorker stops the worker as a deploy does (SIGTERM, then its graceful
// shutdown) and starts it again.
func (r *run) stopWorker(what, wave string) {
	f := fault{what: what, wave: wave, at: time.Now(), inWave: true, bound: maxRecoveryAfterStop}
	r.st.worker.stop()
	f.note = fmt.Sprintf("it took %s to stop", time.Since(f.at).Round(10*time.Millisecond))
	if err := r.st.worker.start(); err != nil {
		r.t.Errorf("restart the worker: %v", err)
	}
	f.back = time.Now()
	r.record(f)
}

// killServe kills the web server while submissions arrive, and starts it
// again after sc.serveDown; the clients retry meanwhile.
func (r *run) killServe(receipts int32) {
	f := fault{what: fmt.Sprintf("web server killed as a client got receipt %d; started again %s later", receipts, r.sc.serveDown),
		at: time.Now()}
	r.st.serve.kill()
	time.Sleep(r.sc.serveDown)
	if err := r.st.serve.start(); err != nil {
		r.t.Errorf("restart the web server: %v", err)
	}
	f.back = time.Now()
	r.record(f)
}

// killTemporalBeforeDue kills the Temporal server just before due and
// starts it again on its database file: the due wave's timer fires on the
// new one.
func (r *run) killTemporalBeforeDue(ctx context.Context) {
	sleepUntil(ctx, r.due.Add(-r.sc.killTemporalBeforeDue))
	// On a slow day the reminder wave (and its own fault) may still run:
	// one fault at a time, so that each delay is its own.
	if err := r.waitWave(ctx, reporting.EventReminder, 1, r.due.Add(time.Minute)); err != nil {
		r.t.Errorf("before killing Temporal: %v", err)
	}
	f := fault{what: fmt.Sprintf("Temporal server killed %s before due, started again on its database file", r.sc.killTemporalBeforeDue),
		wave: "overdue/1", at: time.Now(), bound: maxRecoveryAfterTemporal}
	r.st.temporal.kill()
	if err := r.st.temporal.start(ctx); err != nil {
		r.t.Errorf("restart the Temporal server: %v", err)
	}
	f.back = time.Now()
	r.record(f)
}

// killWorkerDuringClose kills the worker as soon as the close wave has
// finalized the obligations, before it has told every submission loop to
// end, and starts it again.
func (r *run) killWorkerDuringClose(ctx context.Context) {
	sleepUntil(ctx, r.close.Add(-2*time.Second))
	deadline := r.close.Add(time.Minute)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		finalized, _, _, err := r.closeProgress(ctx)
		if err == nil && finalized > 0 {
			f := fault{what: "worker killed during the close wave", wave: "close/1", at: time.Now(), inWave: true, bound: maxRecoveryAfterKill}
			r.st.worker.kill()
			if _, ended, loops, err := r.closeProgress(ctx); err == nil {
				f.note = fmt.Sprintf("%d of %d obligations final, %d of %d submission loops told to end when it died", finalized, r.sc.agencies, ended, loops)
			}
			if err := r.st.worker.start(); err != nil {
				r.t.Errorf("restart the worker: %v", err)
			}
			f.back = time.Now()
			r.record(f)
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	if ctx.Err() == nil {
		r.t.Errorf("the close wave had not finalized any obligation a minute after close")
	}
}

// closeProgress counts the final obligations and the submission loops told
// to end, of the loops there are.
func (r *run) closeProgress(ctx context.Context) (finalized, ended, loops int, err error) {
	err = r.st.store.Pool().QueryRow(ctx, `SELECT count(*) FILTER (WHERE finalized_at IS NOT NULL),
		       count(*) FILTER (WHERE versions > 0 AND loop_ended_at IS NOT NULL),
		       count(*) FILTER (WHERE versions > 0)
		  FROM obligations WHERE cycle_id = $1`, r.cycleID).Scan(&finalized, &ended, &loops)
	return finalized, ended, loops, err
}

// stopPostgres stops PostgreSQL over the escalation steps and starts it
// again sc.postgresDown later on the same port.
func (r *run) stopPostgres(ctx context.Context) {
	sleepUntil(ctx, r.due.Add(r.sc.stopPostgresAfterDue))
	if err := r.waitWave(ctx, reporting.EventEscalation, 1, r.due.Add(time.Minute)); err != nil {
		r.t.Errorf("before stopping PostgreSQL: %v", err)
	}
	f := fault{what: fmt.Sprintf("PostgreSQL stopped for %s", r.sc.postgresDown), at: time.Now(), bound: maxRecoveryAfterPostgres}
	for i, e := range r.sc.escalations {
		after, err := reporting.ParseOffset(e.After)
		if err != nil {
			r.t.Fatal(err)
		}
		if at := r.due.Add(after); at.After(f.at) && at.Before(f.at.Add(r.sc.postgresDown)) {
			f.wave += fmt.Sprintf(" escalation/%d", i+1)
		}
	}
	if f.wave == "" {
		r.t.Errorf("PostgreSQL was stopped at %s after launch, after the escalation steps it was to hold up: the timeline slipped", r.since(f.at))
	}
	if err := r.st.pg.stop(ctx); err != nil {
		r.t.Fatalf("stop PostgreSQL: %v", err)
	}
	sleepUntil(ctx, f.at.Add(r.sc.postgresDown))
	if err := r.st.pg.start(ctx); err != nil {
		r.t.Fatalf("start PostgreSQL again: %v", err)
	}
	f.back = time.Now()
	r.record(f)
}
