package activities

import (
	"context"
	"errors"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
)

// liveness heartbeats an activity attempt every interval while it runs,
// carrying the latest progress the attempt recorded. A worker killed mid-step
// stops heartbeating, Temporal notices within the activity's heartbeat
// timeout (seconds, see package workflows) and the retry starts at once
// where the last progress left it, instead of after the whole
// start-to-close timeout. Every activity keeps itself alive this way, the
// long ones (waves, open, finalize) and the short ones alike.
type liveness struct {
	mu      sync.Mutex
	details any
	stopped chan struct{}
	done    chan struct{}
}

type livenessKey struct{}

// keepAlive starts heartbeating the activity of ctx and returns the context
// that carries it and the function that stops it (before the activity
// returns). Outside an activity (plain unit tests) it does nothing.
func (a *Activities) keepAlive(ctx context.Context) (context.Context, func()) {
	if !activity.IsActivity(ctx) {
		return ctx, func() {}
	}
	l := &liveness{stopped: make(chan struct{}), done: make(chan struct{})}
	if activity.HasHeartbeatDetails(ctx) {
		// Keep the previous attempt's progress until this one makes its own,
		// so a second crash before the first new page still resumes there.
		var p waveProgress
		if err := activity.GetHeartbeatDetails(ctx, &p); err == nil {
			l.details = p
		}
	}
	go func() {
		defer close(l.done)
		t := time.NewTicker(a.cfg.HeartbeatEvery)
		defer t.Stop()
		for {
			select {
			case <-l.stopped:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				l.beat(ctx)
			}
		}
	}()
	return context.WithValue(ctx, livenessKey{}, l), func() {
		close(l.stopped)
		<-l.done
	}
}

func (l *liveness) beat(ctx context.Context) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.details == nil {
		activity.RecordHeartbeat(ctx)
		return
	}
	activity.RecordHeartbeat(ctx, l.details)
}

// heartbeat records an activity's progress now and makes it what the
// liveness heartbeats carry from then on.
func heartbeat(ctx context.Context, p waveProgress) {
	if !activity.IsActivity(ctx) {
		return
	}
	if l, ok := ctx.Value(livenessKey{}).(*liveness); ok {
		l.mu.Lock()
		l.details = p
		l.mu.Unlock()
	}
	activity.RecordHeartbeat(ctx, p)
}

// errWorkerStopping ends an activity attempt whose worker is stopping, between
// two messages or two pages, so that Temporal gives the rest to another
// worker at once instead of after the heartbeat timeout.
var errWorkerStopping = errors.New("the worker is stopping: the rest is left to the next attempt")

// workerStopping reports whether the worker running the activity of ctx is
// shutting down (rcm worker got SIGTERM). Its activities still have a few
// seconds (package worker) to hand their attempt back.
func workerStopping(ctx context.Context) bool {
	if !activity.IsActivity(ctx) {
		return false
	}
	select {
	case <-activity.GetWorkerStopChannel(ctx):
		return true
	default:
		return false
	}
}
