package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Activities retry until they succeed: a database or mail server that is down
// for an hour delays a wave, it does not fail the cycle. Every activity is
// idempotent, so a retry is safe. The interval stops growing at 5 s, so a wave
// goes on within seconds of its server coming back rather than up to the
// interval later (crashtest measures it after PostgreSQL is stopped for 20 s);
// an activity waiting out an outage costs one failed attempt every 5 s.
var unlimitedRetry = temporal.RetryPolicy{
	InitialInterval:    time.Second,
	BackoffCoefficient: 2,
	MaximumInterval:    5 * time.Second,
	MaximumAttempts:    0,
}

// heartbeatTimeout is how long Temporal waits without a heartbeat before it
// gives an activity attempt up and retries it. Every activity heartbeats
// every few seconds while it runs (package activities), so a worker killed
// mid-step costs seconds, not the start-to-close timeout.
const heartbeatTimeout = 10 * time.Second

// bookkeepingOptions are for short activities over PostgreSQL.
func bookkeepingOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Minute,
		HeartbeatTimeout:    heartbeatTimeout,
		RetryPolicy:         &unlimitedRetry,
	})
}

// waveOptions are for waves: long, heartbeating, resumable activities.
func waveOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 4 * time.Hour,
		HeartbeatTimeout:    heartbeatTimeout,
		RetryPolicy:         &unlimitedRetry,
	})
}

// notifyOptions are for the few messages of one agency's submission loop.
func notifyOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		HeartbeatTimeout:    heartbeatTimeout,
		RetryPolicy:         &unlimitedRetry,
	})
}
