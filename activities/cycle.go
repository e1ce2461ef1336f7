package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"golang.org/x/sync/errgroup"

	"rcm/reporting"
	"rcm/store"
)

// OpenCycle creates the cycle's obligations and marks it open.
func (a *Activities) OpenCycle(ctx context.Context, cycleID string) (OpenCycleResult, error) {
	ctx, stop := a.keepAlive(ctx)
	defer stop()
	expected, err := a.store.OpenCycle(ctx, cycleID)
	if err != nil {
		return OpenCycleResult{}, nonRetryableIfMissing(err)
	}
	_, deadlines, err := a.store.OpenDeadlines(ctx, cycleID)
	if err != nil {
		return OpenCycleResult{}, err
	}
	groups, err := a.deadlineGroups(ctx, cycleID, deadlines)
	if err != nil {
		return OpenCycleResult{}, err
	}
	a.logger.InfoContext(ctx, "cycle opened", "cycle", cycleID, "expected", expected)
	return OpenCycleResult{Expected: expected, Groups: groups}, nil
}

// LoadDeadlines returns the distinct deadlines of the cycle's open obligations.
func (a *Activities) LoadDeadlines(ctx context.Context, cycleID string) (DeadlinesResult, error) {
	ctx, stop := a.keepAlive(ctx)
	defer stop()
	status, deadlines, err := a.store.OpenDeadlines(ctx, cycleID)
	if err != nil {
		return DeadlinesResult{}, nonRetryableIfMissing(err)
	}
	groups, err := a.deadlineGroups(ctx, cycleID, deadlines)
	if err != nil {
		return DeadlinesResult{}, err
	}
	return DeadlinesResult{Status: status, Groups: groups}, nil
}

// deadlineGroups lays out the timeline of each deadline group under the
// office hours of the cycle's regime: its send time and the working days of
// the shared calendar (and the regime's own days off) around the cycle. A
// group of a level chased by its own ladder is laid out by the level's
// policy, and its moments name the level, so that their waves reach only
// its agencies.
func (a *Activities) deadlineGroups(ctx context.Context, cycleID string, in []store.Deadline) ([]DeadlineGroup, error) {
	out := make([]DeadlineGroup, len(in))
	if len(in) == 0 {
		return out, nil
	}
	cc, err := a.loadCycleContext(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	hours, err := a.officeHours(ctx, cc, in)
	if err != nil {
		return nil, err
	}
	for i, d := range in {
		policy := cc.cycle.Policy
		if d.Tier != 0 {
			t, ok := reporting.TierOfLevel(cc.cycle.Tiers, d.Tier)
			if !ok {
				return nil, temporal.NewNonRetryableApplicationError(
					fmt.Sprintf("cycle %s has obligations of level %d, which it does not have", cycleID, d.Tier), "InvalidTier", nil)
			}
			policy = t.PolicyUnder(policy)
		}
		moments := policy.TimelineIn(d.Due, d.Close, hours)
		for j := range moments {
			moments[j].Tier = d.Tier
		}
		out[i] = DeadlineGroup{Due: d.Due, Close: d.Close, Tier: d.Tier, Moments: moments}
	}
	return out, nil
}

// officeHours are the send time of the cycle's regime and the working days
// of the years the deadlines' timelines can reach.
func (a *Activities) officeHours(ctx context.Context, cc cycleContext, in []store.Deadline) (reporting.OfficeHours, error) {
	from, to := cc.cycle.Policy.CalendarYears(in[0].Due, in[0].Close, cc.location)
	for _, d := range in[1:] {
		f, t := cc.cycle.Policy.CalendarYears(d.Due, d.Close, cc.location)
		from, to = min(from, f), max(to, t)
	}
	return a.store.OfficeHours(ctx, cc.location, cc.regime, from, to)
}

// FinalizeCycle aggregates the accepted figures along the agency tree,
// computes compliance for every node, stores both and marks the cycle closed.
// Running it again recomputes the same results.
func (a *Activities) FinalizeCycle(ctx context.Context, cycleID string) (FinalizeResult, error) {
	ctx, stop := a.keepAlive(ctx)
	defer stop()
	facts, err := a.store.CycleFacts(ctx, cycleID)
	if err != nil {
		return FinalizeResult{}, nonRetryableIfMissing(err)
	}
	aggRows, compliance, err := store.CycleResults(facts, time.Now())
	if err != nil {
		return FinalizeResult{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("results of cycle %s: %v", cycleID, err), "ResultsFailed", err)
	}
	if err := a.store.StoreCycleResults(ctx, cycleID, aggRows, compliance.ByNode); err != nil {
		return FinalizeResult{}, err
	}
	overall := compliance.Overall
	a.logger.InfoContext(ctx, "cycle finalized", "cycle", cycleID, "expected", overall.Expected,
		"on_time", overall.OnTime, "late", overall.Late, "missing", overall.Missing, "not_accepted", overall.NotAccepted)
	return FinalizeResult{Rates: overall}, nil
}

// CancelCycle ends the submission loops of a cancelled cycle.
func (a *Activities) CancelCycle(ctx context.Context, cycleID string) error {
	ctx, stop := a.keepAlive(ctx)
	defer stop()
	_, err := a.endLoops(ctx, cycleID, store.LoopsOfCycle)
	return err
}

// loopSignalsAtOnce is how many cycle-closed signals go to Temporal at once.
const loopSignalsAtOnce = 8

// endLoops signals cycle-closed to every submission loop in scope that has
// not been told yet, page by page, and records each one told; a loop that
// has already ended is fine. It returns how many it told. An error leaves
// the untold loops for the next attempt.
func (a *Activities) endLoops(ctx context.Context, cycleID string, scope store.LoopScope) (int, error) {
	ended := 0
	for {
		agencies, err := a.store.RunningLoops(ctx, cycleID, scope, a.cfg.BatchSize)
		if err != nil || len(agencies) == 0 {
			return ended, err
		}
		told := make([]bool, len(agencies))
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(loopSignalsAtOnce)
		for i, code := range agencies {
			g.Go(func() error {
				if err := a.loops.EndSubmissionLoop(gctx, cycleID, code); err != nil {
					return fmt.Errorf("end submission loop of %s in cycle %s: %w", code, cycleID, err)
				}
				told[i] = true
				return nil
			})
		}
		sendErr := g.Wait()
		var done []string
		for i, ok := range told {
			if ok {
				done = append(done, agencies[i])
			}
		}
		if err := a.store.MarkLoopsEnded(ctx, cycleID, done, time.Now()); err != nil {
			return ended, errors.Join(sendErr, err)
		}
		ended += len(done)
		if sendErr != nil {
			return ended, sendErr
		}
		heartbeat(ctx, waveProgress{})
	}
}

// nonRetryableIfMissing turns "the cycle does not exist" into an error that
// Temporal does not retry: no retry will make it appear.
func nonRetryableIfMissing(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return temporal.NewNonRetryableApplicationError(err.Error(), "NotFound", err)
	}
	return err
}

// cycleContext is what every message of a cycle shows.
type cycleContext struct {
	cycle    reporting.Cycle
	regime   reporting.Regime
	location *time.Location
	period   reporting.Period
}

func (a *Activities) loadCycleContext(ctx context.Context, cycleID string) (cycleContext, error) {
	c, err := a.store.Cycle(ctx, cycleID)
	if err != nil {
		return cycleContext{}, nonRetryableIfMissing(err)
	}
	r, err := a.store.RegimeRules(ctx, c.RegimeCode)
	if err != nil {
		return cycleContext{}, err
	}
	loc, err := reporting.LoadLocation(c.TimeZone)
	if err != nil {
		return cycleContext{}, temporal.NewNonRetryableApplicationError(err.Error(), "InvalidTimeZone", err)
	}
	p, err := reporting.ParsePeriod(c.Period)
	if err != nil {
		return cycleContext{}, temporal.NewNonRetryableApplicationError(err.Error(), "InvalidPeriod", err)
	}
	return cycleContext{cycle: c, regime: r, location: loc, period: p}, nil
}
