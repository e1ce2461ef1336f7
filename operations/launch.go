package operations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"rcm/reporting"
	"rcm/store"
	"rcm/workflows"
)

// LaunchRequest asks for a cycle of a regime for a period. The optional
// overrides replace the regime's policy for this cycle only, down to seconds,
// so that a demo or a test can run a whole cycle in minutes.
type LaunchRequest struct {
	RegimeCode string
	Period     string
	// Due replaces the due instant the regime's deadline rule gives (in a
	// tiered regime, the top level's).
	Due *time.Time
	// TierDue replaces the due instant of lower levels of a tiered regime,
	// by level (1 is the lowest).
	TierDue map[int]time.Time
	// Policy overrides; nil keeps the regime's.
	ReminderOffsets *[]time.Duration
	Escalations     *[]reporting.EscalationStep
	ReviewTime      *time.Duration
	CloseAfter      *time.Duration
}

// CycleID is the ID of a regime's cycle for a period: regime codes have no
// '-', so the ID splits back unambiguously.
func CycleID(regimeCode, period string) string { return regimeCode + "-" + period }

// SplitCycleID returns the regime code and period of a cycle ID.
func SplitCycleID(id string) (regimeCode, period string, ok bool) {
	return strings.Cut(id, "-")
}

// Launch computes the cycle's dates, records it and starts its CycleWorkflow,
// which opens the obligations and sends the deadline notice. Launching a
// cycle that exists already is an ErrConflict.
func (e *Engine) Launch(ctx context.Context, c Caller, req LaunchRequest) (reporting.Cycle, error) {
	if err := e.Authorize(c, OpLaunchCycle); err != nil {
		return reporting.Cycle{}, err
	}
	cyc, err := e.planCycle(ctx, req)
	if err != nil {
		return reporting.Cycle{}, err
	}
	if req.Due == nil && !cyc.Due.After(e.now()) {
		// By the regime's rule after its due had passed, every agency would
		// be overdue, escalated and closed out in the first minute. A cycle
		// launched already is still told as such.
		if existing, err := e.store.Cycle(ctx, cyc.ID); err == nil && existing.Status != reporting.CycleLaunching {
			return existing, launchedAlready(existing)
		}
		return reporting.Cycle{}, invalid("due", fmt.Sprintf(
			"the regime's due for %s was %s, already past: give a later due date (--due) or launch a later period",
			cyc.Period, cyc.Due.Add(-time.Nanosecond).In(locationOr(cyc.TimeZone)).Format("02/01/2006")))
	}
	if c.UserID != 0 {
		cyc.LaunchedBy = &c.UserID
	}
	launched := c.audit(OpLaunchCycle, cyc.ID, map[string]any{"regime": cyc.RegimeCode, "period": cyc.Period, "due": cyc.Due})
	if err := e.store.InsertCycle(ctx, cyc, launched); err != nil {
		if !errors.Is(err, store.ErrConflict) {
			return reporting.Cycle{}, err
		}
		existing, gerr := e.store.Cycle(ctx, cyc.ID)
		if gerr != nil {
			return reporting.Cycle{}, gerr
		}
		if existing.Status != reporting.CycleLaunching {
			return existing, launchedAlready(existing)
		}
		cyc = existing // an earlier launch stopped before its workflow started: finish it
	}
	if err := e.startCycleWorkflow(ctx, cyc); err != nil {
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if errors.As(err, &started) {
			return cyc, fmt.Errorf("cycle %s is already running: %w", cyc.ID, ErrConflict)
		}
		undone := c.audit(OpUndoLaunch, cyc.ID, map[string]any{"reason": "the workflow could not be started"})
		if derr := e.store.DeleteLaunchingCycle(context.WithoutCancel(ctx), cyc.ID, undone); derr != nil {
			e.logger.ErrorContext(ctx, "launch: could not undo the cycle record", "cycle", cyc.ID, "error", derr)
		}
		return reporting.Cycle{}, fmt.Errorf("launch cycle %s: start workflow: %v: %w", cyc.ID, err, ErrUnavailable)
	}
	e.logger.InfoContext(ctx, "cycle launched", "cycle", cyc.ID, "by", c.Email, "due", cyc.Due)
	if stored, err := e.store.Cycle(ctx, cyc.ID); err == nil {
		return stored, nil // with the status and launch time the database gave it
	}
	return cyc, nil
}

// launchedAlready is the conflict of launching a cycle that exists.
func launchedAlready(existing reporting.Cycle) error {
	return fmt.Errorf("cycle %s was already launched on %s (status %s): %w",
		existing.ID, existing.LaunchedAt.In(locationOr(existing.TimeZone)).Format("02/01/2006 15:04"), existing.Status, ErrConflict)
}

// planCycle validates the request and computes the cycle's dates and policy.
func (e *Engine) planCycle(ctx context.Context, req LaunchRequest) (reporting.Cycle, error) {
	var problems reporting.FieldErrors
	add := func(field, reason string) { problems.Add(field, "%s", reason) }
	regime, err := e.store.RegimeRules(ctx, req.RegimeCode)
	if errors.Is(err, store.ErrNotFound) {
		return reporting.Cycle{}, invalid("regime", fmt.Sprintf("regime %q does not exist; `rcm regime list` shows the regimes", req.RegimeCode))
	}
	if err != nil {
		return reporting.Cycle{}, err
	}
	period, err := reporting.ParsePeriod(req.Period)
	if err != nil {
		return reporting.Cycle{}, invalid("period", err.Error())
	}
	if period.Cadence != regime.Cadence {
		return reporting.Cycle{}, invalid("period", fmt.Sprintf("period %s is %s but regime %s is %s", period.ID, period.Cadence, regime.Code, regime.Cadence))
	}
	period = period.On(regime.Windows)
	loc, err := reporting.LoadLocation(regime.TimeZone)
	if err != nil {
		return reporting.Cycle{}, fmt.Errorf("regime %s: %w", regime.Code, err)
	}
	policy := regime.Policy
	if req.ReminderOffsets != nil {
		policy.ReminderOffsets = *req.ReminderOffsets
	}
	if req.Escalations != nil {
		policy.Escalations = *req.Escalations
	}
	if req.ReviewTime != nil {
		policy.ReviewTime = *req.ReviewTime
	}
	if req.CloseAfter != nil {
		policy.CloseAfter = *req.CloseAfter
	}
	if err := policy.Validate(); err != nil {
		add("policy", err.Error())
	}
	start, end := period.Window()
	cal, err := e.store.WorkingCalendar(ctx, loc, regime, end.Year, end.Year+1)
	if err != nil {
		return reporting.Cycle{}, err
	}
	cyc := reporting.Cycle{
		ID: CycleID(regime.Code, period.ID), RegimeCode: regime.Code, Period: period.ID,
		WindowStart: start, WindowEnd: end, TimeZone: regime.TimeZone, CutOff: end.End(loc), Policy: policy,
		Estimates: regime.Estimates,
	}
	if req.Due != nil {
		cyc.Due = *req.Due
		if cyc.Due.Before(cyc.CutOff) && !regime.Estimates {
			add("due", fmt.Sprintf("due %s is before the data cut-off (end of %s); choose a later due or an earlier period",
				cyc.Due.In(loc).Format("02/01/2006 15:04"), end.Format("vi")))
		}
		if !cyc.Due.After(e.now()) {
			add("due", "due must be in the future")
		}
	} else {
		d, err := reporting.ComputeDeadlines(period, regime.DeadlineRule, cal, policy.CloseAfter, regime.Estimates)
		if err != nil {
			add("period", err.Error())
		}
		cyc.Due = d.Due
	}
	cyc.Close = cyc.Due.Add(policy.CloseAfter)
	tiers, tierProblems := planTiers(regime, period, cal, cyc, req.TierDue, e.now(), loc)
	problems = append(problems, tierProblems...)
	cyc.Tiers = tiers
	if err := problems.Err(); err != nil {
		return reporting.Cycle{}, err
	}
	return cyc, nil
}

// planTiers lays out the levels of a tiered regime's cycle: each lower
// level due by its own rule (or the request's TierDue), the top level by the
// cycle's due, each closing CloseAfter after its due, and no level due after
// the level above it.
func planTiers(regime reporting.Regime, period reporting.Period, cal reporting.Calendar, cyc reporting.Cycle,
	override map[int]time.Time, now time.Time, loc *time.Location) ([]reporting.CycleTier, reporting.FieldErrors) {
	var problems reporting.FieldErrors
	if len(regime.Tiers) == 0 {
		for level := range override {
			problems.Add("tier_due", "regime %s has no levels; level %d has no due to replace", regime.Code, level)
		}
		return nil, problems
	}
	for level := range override {
		if level < 1 || level >= len(regime.Tiers) {
			problems.Add("tier_due", "level %d is not a lower level of regime %s (1 to %d; the top level's due is due)", level, regime.Code, len(regime.Tiers)-1)
		}
	}
	out := make([]reporting.CycleTier, len(regime.Tiers))
	for i, t := range regime.Tiers {
		ct := reporting.CycleTier{Tier: t}
		ct.Level = i + 1
		switch due, ok := override[ct.Level]; {
		case i == len(regime.Tiers)-1:
			ct.Due = cyc.Due
			ct.DeadlineRule = regime.DeadlineRule
		case ok:
			ct.Due = due
			if !due.After(now) {
				problems.Add(fmt.Sprintf("tier_due.%d", ct.Level), "due must be in the future")
			}
			if due.Before(cyc.CutOff) && !regime.Estimates {
				problems.Add(fmt.Sprintf("tier_due.%d", ct.Level), "due %s is before the data cut-off; choose a later due",
					due.In(loc).Format("02/01/2006 15:04"))
			}
		default:
			d, err := reporting.ComputeDeadlines(period, t.DeadlineRule, cal, cyc.Policy.CloseAfter, regime.Estimates)
			if err != nil {
				problems.Add(fmt.Sprintf("tiers[%d].deadline_rule", i), "%v", err)
			}
			ct.Due = d.Due
		}
		ct.Close = ct.Due.Add(cyc.Policy.CloseAfter)
		out[i] = ct
	}
	problems = append(problems, reporting.CheckTierDues(out, loc)...)
	return out, problems
}

func (e *Engine) startCycleWorkflow(ctx context.Context, cyc reporting.Cycle) error {
	opts := client.StartWorkflowOptions{
		ID:                       workflows.CycleWorkflowID(cyc.ID),
		TaskQueue:                e.taskQueue,
		WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
		// Without it the SDK hands back the running workflow as if started.
		WorkflowExecutionErrorWhenAlreadyStarted: true,
		TypedSearchAttributes:                    temporal.NewSearchAttributes(workflows.CycleSearchAttributes(cyc.ID)...),
	}
	_, err := e.temporal.ExecuteWorkflow(ctx, opts, workflows.CycleWorkflow, workflows.CycleInput{CycleID: cyc.ID, Policy: cyc.Policy})
	return err
}

func locationOr(name string) *time.Location {
	if loc, err := reporting.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}

// LaunchScheduled launches the cycle of the regime's period that starts on
// the day of at (in the regime's zone), or else the one whose window holds
// that day. A cycle launched already is reported, not an error.
func (e *Engine) LaunchScheduled(ctx context.Context, regimeCode string, at time.Time) (string, bool, error) {
	regime, err := e.store.RegimeRules(ctx, regimeCode)
	if err != nil {
		return "", false, err
	}
	loc, err := reporting.LoadLocation(regime.TimeZone)
	if err != nil {
		return "", false, fmt.Errorf("regime %s: %w", regimeCode, err)
	}
	day := reporting.DateOf(at, loc)
	period, ok := regime.Windows.PeriodStartingOn(regime.Cadence, day)
	if !ok {
		if period, ok = regime.Windows.PeriodContaining(regime.Cadence, day); !ok {
			return "", false, fmt.Errorf("regime %s (%s): no period for %s", regimeCode, regime.Cadence, day)
		}
	}
	cyc, err := e.Launch(ctx, SystemCaller(), LaunchRequest{RegimeCode: regimeCode, Period: period.ID})
	if errors.Is(err, ErrConflict) {
		return CycleID(regimeCode, period.ID), true, nil
	}
	if err != nil {
		return "", false, err
	}
	return cyc.ID, false, nil
}
