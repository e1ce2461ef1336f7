package crashtest

import (
	"fmt"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/stretchr/testify/assert"

	"rcm/testenv"
)

// Bounds on how long the wave a fault hit may take to be done once the
// fault is over. A killed worker's wave waits for its heartbeat timeout
// (10 s); a stopped worker's is handed back at once; a restarted Temporal
// server or PostgreSQL is found again within seconds. Slow recovery took
// 2 minutes (a heartbeat timeout) or up to 5 (the retry backoff).
const (
	maxRecoveryAfterKill     = 30 * time.Second
	maxRecoveryAfterStop     = 8 * time.Second
	maxRecoveryAfterTemporal = 15 * time.Second
	maxRecoveryAfterPostgres = 10 * time.Second
)

// TestCrashes plays the crash script on two installations side by side,
// one undisturbed and one with every fault, checks each (no receipt lost,
// no message twice, every message delivered or of unknown outcome, no
// workflow running after close, final states as scripted), requires the
// same compliance and the same messages in both, bounds the delay each
// fault added, and reports it.
func TestCrashes(t *testing.T) {
	started := time.Now()
	bin := testenv.BuildRCM(t)
	sc := crashScript()
	var base, faulted *outcome
	t.Run("runs", func(t *testing.T) {
		t.Run("undisturbed", func(t *testing.T) {
			t.Parallel()
			base = play(t, bin, sc, false)
		})
		t.Run("faulted", func(t *testing.T) {
			t.Parallel()
			faulted = play(t, bin, sc, true)
		})
	})
	if base == nil || faulted == nil {
		t.FailNow()
	}
	t.Log("\n" + report(sc, base, faulted))

	assert.Equal(t, base.compliance, faulted.compliance, "compliance per node (states and rates)")
	assert.Equal(t, base.finalStates, faulted.finalStates, "final state per agency")
	assert.Equal(t, base.kinds, faulted.kinds, "notifications per kind")
	assert.Len(t, faulted.faults, 7, "every fault was injected")
	assert.Empty(t, base.faults)
	assert.Zero(t, base.selfExits, "no process of the undisturbed run exits by itself")
	for _, f := range faulted.faults {
		for _, key := range strings.Fields(f.wave) {
			w, ok := wave(faulted, key)
			if !ok {
				t.Errorf("%s: the faulted run has no %s wave", f.what, key)
				continue
			}
			if took := f.recovered(w); took > f.bound {
				t.Errorf("%s: the %s wave was done %s after it, more than %s", f.what, key, took.Round(100*time.Millisecond), f.bound)
			}
		}
	}
	assert.Zero(t, faulted.unknownByKind["cycle_summary"], "a worker stopped (SIGTERM) leaves no message of unknown outcome")
	t.Logf("the crash test took %s", time.Since(started).Round(time.Second))
}

// wave finds a wave of a run by key.
func wave(o *outcome, key string) (waveTiming, bool) {
	for _, w := range o.waves {
		if w.key == key {
			return w, true
		}
	}
	return waveTiming{}, false
}

// report tells what was injected, what was lost, and the delay each fault
// added to the timeline.
func report(sc script, base, faulted *outcome) string {
	var b strings.Builder
	fmt.Fprintf(&b, "crash test: %d agencies, %d faults; faulted run (undisturbed run)\n", sc.agencies, len(faulted.faults))
	fmt.Fprintf(&b, "  receipts lost: %d of %d (%d of %d); receipts given again to a retry: %d (%d)\n",
		faulted.lost, len(faulted.receipts), base.lost, len(base.receipts), faulted.replayed, base.replayed)
	fmt.Fprintf(&b, "  messages sent twice: %d of %d (%d of %d); of unknown outcome: %d, %d of them arrived, %v (%d)\n",
		faulted.duplicates, faulted.messages, base.duplicates, base.messages, faulted.unknown, faulted.unknownArrived,
		faulted.unknownByKind, base.unknown)
	fmt.Fprintf(&b, "  workflows running after close: %d (%d); processes that exited by themselves and were started again: %d (%d)\n",
		faulted.runningAfterClose, base.runningAfterClose, faulted.selfExits, base.selfExits)
	fmt.Fprintf(&b, "  slowest submission: %s in %d attempts (%s); receipt message at most %s after its version (%s); "+
		"slowest hand-off to Temporal %s (%s)\n\n",
		faulted.slowestSubmission.Round(10*time.Millisecond), faulted.mostAttempts, base.slowestSubmission.Round(10*time.Millisecond),
		faulted.receiptLag.Round(10*time.Millisecond), base.receiptLag.Round(10*time.Millisecond),
		faulted.slowestHandOff.Round(10*time.Millisecond), base.slowestHandOff.Round(10*time.Millisecond))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "wave\tplanned\tundisturbed: started, took\tfaulted: started, took, attempts\tadded")
	for _, w := range faulted.waves {
		bw, _ := wave(base, w.key)
		fmt.Fprintf(tw, "%s\t%s\t%s, %s\t%s, %s, %d\t%s\n", w.key, offset(w.planned, faulted.launched),
			lateness(bw.startLag()), seconds(bw.took()), lateness(w.startLag()), seconds(w.took()), w.attempts,
			lateness(w.lateBy(faulted.close)-bw.lateBy(base.close)))
	}
	fmt.Fprintln(tw)
	fmt.Fprintln(tw, "fault\tat\tdown for\twave hit: done after the fault, delay added")
	for _, f := range faulted.faults {
		var hits []string
		for _, key := range strings.Fields(f.wave) {
			w, _ := wave(faulted, key)
			bw, _ := wave(base, key)
			added := w.lateBy(faulted.close) - bw.lateBy(base.close)
			if f.inWave {
				added = w.took() - bw.took()
			}
			hits = append(hits, fmt.Sprintf("%s: %s, %s", key, seconds(f.recovered(w)), lateness(added)))
		}
		if f.note != "" {
			hits = append(hits, "("+f.note+")")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.what, offset(f.at, faulted.launched), seconds(f.back.Sub(f.at)), strings.Join(hits, " "))
	}
	tw.Flush()
	return b.String()
}

// offset writes an instant relative to the launch.
func offset(at, launched time.Time) string {
	if at.IsZero() {
		return "-"
	}
	return fmt.Sprintf("L+%.1fs", at.Sub(launched).Seconds())
}

// lateness writes a delay in seconds with its sign.
func lateness(d time.Duration) string { return fmt.Sprintf("%+.1fs", d.Seconds()) }

// seconds writes a duration in seconds.
func seconds(d time.Duration) string { return fmt.Sprintf("%.1fs", d.Seconds()) }
