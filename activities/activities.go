package activities

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"rcm/notifications"
	"rcm/store"
)

// Config tunes the activities.
type Config struct {
	// BaseURL is where people open rcm's pages, for links in messages.
	BaseURL string
	// MessageIDDomain is the right-hand side of Message-IDs (e.g. rcm.example.gov.vn).
	MessageIDDomain string
	// BatchSize is how many agencies a wave handles between heartbeats (a
	// page; 500 unless set).
	BatchSize int
	// FinalSendAttempt is the activity attempt from which a message that keeps
	// failing for a temporary reason is recorded as failed instead of being
	// left for the next attempt.
	FinalSendAttempt int32
	// RetryDelay is the pause before the in-place retry of a message that
	// failed for a temporary reason.
	RetryDelay time.Duration
	// Lanes is how many SMTP connections a wave sends over at once.
	Lanes int
	// SendPortion is the most messages a lane marks 'sending' in one
	// durable commit before it sends them (a lane takes a tenth of its
	// share of a page, at least one). More is faster; a worker killed mid-portion
	// leaves up to a portion per lane of unknown outcome (reported, never
	// sent twice).
	SendPortion int
	// HeartbeatEvery is how often a running activity tells Temporal it is
	// alive; it must stay well under the heartbeat timeouts of package
	// workflows.
	HeartbeatEvery time.Duration
	// Metrics, if set, counts waves and messages.
	Metrics *Metrics
}

func (c Config) withDefaults() Config {
	if c.BatchSize <= 0 {
		c.BatchSize = 500
	}
	if c.FinalSendAttempt <= 0 {
		c.FinalSendAttempt = 5
	}
	if c.Lanes <= 0 {
		c.Lanes = 4
	}
	if c.SendPortion <= 0 {
		c.SendPortion = 10
	}
	if c.RetryDelay <= 0 {
		c.RetryDelay = 500 * time.Millisecond
	}
	if c.HeartbeatEvery <= 0 {
		c.HeartbeatEvery = 2 * time.Second
	}
	if c.MessageIDDomain == "" {
		c.MessageIDDomain = "rcm.localhost"
	}
	return c
}

// LoopEnder ends one agency's submission loop in a cycle (the application
// layer owns every hand-off to Temporal). A loop that has already ended is
// not an error.
type LoopEnder interface {
	EndSubmissionLoop(ctx context.Context, cycleID, agencyCode string) error
}

// Launcher launches the cycle a regime's schedule calls for at a moment.
type Launcher interface {
	LaunchScheduled(ctx context.Context, regimeCode string, at time.Time) (cycleID string, alreadyLaunched bool, err error)
}

// Activities holds what rcm's activities need. Every exported method is an
// activity: the worker registers the struct, and workflows call its methods
// as method values, so an activity's name is its method's name.
type Activities struct {
	store    *store.Store
	renderer *notifications.Renderer
	mailer   *notifications.Mailer
	loops    LoopEnder
	launcher Launcher
	logger   *slog.Logger
	cfg      Config
}

// New builds the activities.
func New(st *store.Store, renderer *notifications.Renderer, mailer *notifications.Mailer, loops LoopEnder, launcher Launcher, logger *slog.Logger, cfg Config) *Activities {
	if logger == nil {
		logger = slog.Default()
	}
	return &Activities{store: st, renderer: renderer, mailer: mailer, loops: loops, launcher: launcher, logger: logger, cfg: cfg.withDefaults()}
}

// LaunchScheduledCycle launches the cycle a regime's schedule calls for.
func (a *Activities) LaunchScheduledCycle(ctx context.Context, in LaunchScheduledInput) (LaunchScheduledResult, error) {
	ctx, stop := a.keepAlive(ctx)
	defer stop()
	if a.launcher == nil {
		return LaunchScheduledResult{}, fmt.Errorf("launch scheduled cycle of %s: no launcher configured", in.RegimeCode)
	}
	id, already, err := a.launcher.LaunchScheduled(ctx, in.RegimeCode, in.At)
	if err != nil {
		return LaunchScheduledResult{}, fmt.Errorf("launch scheduled cycle of %s: %w", in.RegimeCode, err)
	}
	return LaunchScheduledResult{CycleID: id, AlreadyLaunched: already}, nil
}
