package workflows

import (
	"fmt"
	"sort"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"rcm/activities"
	"rcm/reporting"
)

// CycleWorkflow runs one reporting cycle as a durable scheduler. It opens the
// cycle (obligations for every assigned agency), sends the deadline notice,
// then sleeps until each moment of the timeline — reminders, due, escalation
// steps, close — and runs that moment's wave over all agencies in one
// activity. Extensions and early close arrive as signals and move the
// timeline; at the last close it classifies, aggregates and summarises. Its
// history grows with the number of waves, not with the number of agencies.
func CycleWorkflow(ctx workflow.Context, input CycleInput) (CycleResult, error) {
	w, err := newCycleWorkflow(ctx, input)
	if err != nil {
		return CycleResult{}, err
	}
	return w.run(ctx)
}

// cycleWorkflow is the state of one CycleWorkflow run.
type cycleWorkflow struct {
	input    CycleInput
	logger   log.Logger
	status   reporting.CycleStatus
	openedAt time.Time
	expected int
	groups   []activities.DeadlineGroup
	done     map[string]WaveRecord
	// upsertStatus is false when replaying a run recorded before the
	// RcmStatus search attribute existed.
	upsertStatus bool
	// officeHours is false in runs started before office hours: they keep
	// laying out their timeline with exact instants.
	officeHours bool
	// tierChases is false in runs started before levels had ladders of
	// their own: their moments reach every agency of their deadline group.
	tierChases bool

	changed   workflow.ReceiveChannel
	cancelled workflow.ReceiveChannel
	// pendingExtensions are extension notices still to send.
	pendingExtensions []int64
	cancelRequested   bool
	reloadRequested   bool
}

func newCycleWorkflow(ctx workflow.Context, input CycleInput) (*cycleWorkflow, error) {
	if input.CycleID == "" {
		return nil, temporal.NewNonRetryableApplicationError("cycle workflow: CycleID is empty", "InvalidInput", nil)
	}
	if err := input.Policy.Validate(); err != nil {
		return nil, temporal.NewNonRetryableApplicationError(fmt.Sprintf("cycle %s: %v", input.CycleID, err), "InvalidInput", nil)
	}
	w := &cycleWorkflow{
		input:     input,
		logger:    log.With(workflow.GetLogger(ctx), "CycleID", input.CycleID),
		status:    reporting.CycleLaunching,
		done:      make(map[string]WaveRecord),
		changed:   workflow.GetSignalChannel(ctx, SignalDeadlinesChanged),
		cancelled: workflow.GetSignalChannel(ctx, SignalCancel),
	}
	if r := input.Resume; r != nil {
		w.status = reporting.CycleOpen
		w.openedAt = r.OpenedAt
		w.expected = r.Expected
		for _, rec := range r.Done {
			rec.Kind = reporting.EventFromLegacyName(string(rec.Kind)) // records of older runs
			w.done[recordKey(rec)] = rec
		}
	}
	if err := workflow.SetQueryHandler(ctx, QueryTimeline, w.timeline); err != nil {
		return nil, fmt.Errorf("cycle %s: register query: %w", input.CycleID, err)
	}
	return w, nil
}

func (w *cycleWorkflow) run(ctx workflow.Context) (CycleResult, error) {
	w.upsertStatus = workflow.GetVersion(ctx, "upsert-status-search-attribute", workflow.DefaultVersion, 1) >= 1
	w.officeHours = workflow.GetVersion(ctx, "office-hours", workflow.DefaultVersion, 1) >= 1
	w.tierChases = workflow.GetVersion(ctx, "tier-chases", workflow.DefaultVersion, 1) >= 1
	if w.input.Resume != nil {
		w.setStatus(ctx, reporting.CycleOpen)
	}
	if w.input.Resume == nil {
		if err := w.open(ctx); err != nil {
			return CycleResult{}, err
		}
	} else if err := w.reload(ctx); err != nil {
		return CycleResult{}, err
	}
	for {
		w.drainSignals(ctx)
		if w.cancelRequested {
			return w.cancel(ctx)
		}
		if w.reloadRequested {
			if err := w.reload(ctx); err != nil {
				return CycleResult{}, err
			}
			if w.status == reporting.CycleCancelled {
				return w.cancel(ctx)
			}
			continue
		}
		if len(w.pendingExtensions) > 0 {
			id := w.pendingExtensions[0]
			w.pendingExtensions = w.pendingExtensions[1:]
			notice := reporting.Moment{Kind: reporting.EventDeadlineExtended, Step: int(id), At: workflow.Now(ctx)}
			if _, err := w.wave(ctx, notice, id); err != nil {
				return CycleResult{}, err
			}
			continue
		}
		next, ok := w.nextMoment()
		if !ok {
			break
		}
		if !w.sleepUntil(ctx, next.At) {
			continue // a signal arrived first
		}
		result, err := w.wave(ctx, next, 0)
		if err != nil {
			return CycleResult{}, err
		}
		if next.Kind == reporting.EventClose {
			if err := w.reload(ctx); err != nil {
				return CycleResult{}, err
			}
			if result.Remaining == 0 {
				break
			}
		}
		if workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			w.drainSignals(ctx)
			if !w.cancelRequested && !w.reloadRequested && len(w.pendingExtensions) == 0 {
				return CycleResult{}, workflow.NewContinueAsNewError(ctx, CycleWorkflow, w.resumeInput())
			}
		}
	}
	return w.finalize(ctx)
}

// open creates the obligations and sends the deadline notice.
func (w *cycleWorkflow) open(ctx workflow.Context) error {
	var a *activities.Activities
	var opened activities.OpenCycleResult
	if err := workflow.ExecuteActivity(bookkeepingOptions(ctx), a.OpenCycle, w.input.CycleID).Get(ctx, &opened); err != nil {
		return fmt.Errorf("open cycle %s: %w", w.input.CycleID, err)
	}
	w.setStatus(ctx, reporting.CycleOpen)
	w.openedAt = workflow.Now(ctx)
	w.expected = opened.Expected
	w.groups = opened.Groups
	w.logger.Info("Cycle opened", "Expected", opened.Expected, "DeadlineGroups", len(opened.Groups))
	_, err := w.wave(ctx, reporting.Moment{Kind: reporting.EventDeadlineNotice, At: w.openedAt}, 0)
	return err
}

// reload fetches the distinct deadlines of the open obligations.
func (w *cycleWorkflow) reload(ctx workflow.Context) error {
	w.reloadRequested = false
	var a *activities.Activities
	var res activities.DeadlinesResult
	if err := workflow.ExecuteActivity(bookkeepingOptions(ctx), a.LoadDeadlines, w.input.CycleID).Get(ctx, &res); err != nil {
		return fmt.Errorf("load deadlines of cycle %s: %w", w.input.CycleID, err)
	}
	w.groups = res.Groups
	if res.Cancelled() {
		w.status = reporting.CycleCancelled
	}
	return nil
}

// wave runs the wave of one moment and records it as done; extensionID
// names the extension a deadline_extended moment tells of.
func (w *cycleWorkflow) wave(ctx workflow.Context, m reporting.Moment, extensionID int64) (activities.WaveResult, error) {
	var a *activities.Activities
	in := activities.WaveInput{CycleID: w.input.CycleID, Moment: m, ExtensionID: extensionID}
	var result activities.WaveResult
	if err := workflow.ExecuteActivity(waveOptions(ctx), a.RunWave, in).Get(ctx, &result); err != nil {
		return activities.WaveResult{}, fmt.Errorf("cycle %s: %s wave %d: %w", w.input.CycleID, m.Kind, m.Step, err)
	}
	rec := WaveRecord{Kind: m.Kind, Step: m.Step, At: m.At, Tier: m.Tier, Result: result}
	w.done[recordKey(rec)] = rec
	w.logger.Info("Wave done", "Kind", m.Kind, "Step", m.Step, "Tier", m.Tier, "Selected", result.Selected, "Sent", result.Sent, "Failed", result.Failed)
	return result, nil
}

// setStatus records the cycle's status and publishes it as the RcmStatus
// search attribute, so that Temporal's UI filters cycles by state.
func (w *cycleWorkflow) setStatus(ctx workflow.Context, status reporting.CycleStatus) {
	w.status = status
	if !w.upsertStatus {
		return
	}
	key := temporal.NewSearchAttributeKeyKeyword(SearchAttributeStatus)
	if err := workflow.UpsertTypedSearchAttributes(ctx, key.ValueSet(string(status))); err != nil {
		w.logger.Warn("Cannot publish the cycle's status", "Status", status, "Error", err)
	}
}

// finalize classifies, aggregates and summarises once every obligation closed.
func (w *cycleWorkflow) finalize(ctx workflow.Context) (CycleResult, error) {
	var a *activities.Activities
	w.setStatus(ctx, reporting.CycleClosing)
	var fin activities.FinalizeResult
	if err := workflow.ExecuteActivity(bookkeepingOptions(ctx), a.FinalizeCycle, w.input.CycleID).Get(ctx, &fin); err != nil {
		return CycleResult{}, fmt.Errorf("finalize cycle %s: %w", w.input.CycleID, err)
	}
	w.setStatus(ctx, reporting.CycleClosed)
	if _, err := w.wave(ctx, reporting.Moment{Kind: reporting.EventCycleSummary, At: workflow.Now(ctx)}, 0); err != nil {
		return CycleResult{}, err
	}
	w.logger.Info("Cycle closed", "Expected", fin.Rates.Expected, "OnTime", fin.Rates.OnTime, "Late", fin.Rates.Late, "Missing", fin.Rates.Missing)
	return CycleResult{Status: reporting.CycleClosed, Rates: fin.Rates}, nil
}

// cancel ends the submission loops of a cancelled cycle.
func (w *cycleWorkflow) cancel(ctx workflow.Context) (CycleResult, error) {
	var a *activities.Activities
	if err := workflow.ExecuteActivity(bookkeepingOptions(ctx), a.CancelCycle, w.input.CycleID).Get(ctx, nil); err != nil {
		return CycleResult{}, fmt.Errorf("cancel cycle %s: %w", w.input.CycleID, err)
	}
	w.setStatus(ctx, reporting.CycleCancelled)
	w.logger.Info("Cycle cancelled")
	return CycleResult{Status: reporting.CycleCancelled}, nil
}

// sleepUntil waits for at, or for a signal; it reports whether at came.
func (w *cycleWorkflow) sleepUntil(ctx workflow.Context, at time.Time) bool {
	d := at.Sub(workflow.Now(ctx))
	if d <= 0 {
		return true
	}
	timerCtx, cancelTimer := workflow.WithCancel(ctx)
	fired := false
	sel := workflow.NewSelector(ctx)
	sel.AddFuture(workflow.NewTimer(timerCtx, d), func(workflow.Future) { fired = true })
	sel.AddReceive(w.changed, func(c workflow.ReceiveChannel, _ bool) { w.receiveChanged(ctx, c) })
	sel.AddReceive(w.cancelled, func(c workflow.ReceiveChannel, _ bool) { w.receiveCancel(ctx, c) })
	sel.Select(ctx)
	if !fired {
		cancelTimer()
	}
	return fired
}

func (w *cycleWorkflow) receiveChanged(ctx workflow.Context, c workflow.ReceiveChannel) {
	var sig DeadlinesChangedSignal
	c.Receive(ctx, &sig)
	w.reloadRequested = true
	if sig.ExtensionID > 0 {
		w.pendingExtensions = append(w.pendingExtensions, sig.ExtensionID)
	}
}

func (w *cycleWorkflow) receiveCancel(ctx workflow.Context, c workflow.ReceiveChannel) {
	var sig CancelSignal
	c.Receive(ctx, &sig)
	w.cancelRequested = true
}

// drainSignals takes every signal already delivered without blocking.
func (w *cycleWorkflow) drainSignals(ctx workflow.Context) {
	for {
		sel := workflow.NewSelector(ctx)
		got := false
		sel.AddReceive(w.changed, func(c workflow.ReceiveChannel, _ bool) { w.receiveChanged(ctx, c); got = true })
		sel.AddReceive(w.cancelled, func(c workflow.ReceiveChannel, _ bool) { w.receiveCancel(ctx, c); got = true })
		sel.AddDefault(func() {})
		sel.Select(ctx)
		if !got {
			return
		}
	}
}

// moments is the union of the timelines of every deadline group, without
// duplicates, in order. A group's timeline is the one its activity laid out
// under the regime's office hours (by its level's own ladder when levels
// have one, each moment naming its level); runs started before office
// hours, and groups that came without one, lay it out with exact instants.
// Reminders planned before the cycle opened are left out: nobody is
// reminded of a moment that had passed at launch.
func (w *cycleWorkflow) moments() []reporting.Moment {
	seen := make(map[string]bool)
	var out []reporting.Moment
	for _, g := range w.groups {
		timeline := g.Moments
		if !w.officeHours || len(timeline) == 0 {
			timeline = w.input.Policy.Timeline(g.Due, g.Close)
		}
		for _, m := range timeline {
			if m.Kind == reporting.EventReminder && m.At.Before(w.openedAt) {
				continue
			}
			if !w.tierChases {
				m.Tier = 0
			}
			key := momentKey(m)
			if seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		if out[i].Kind != out[j].Kind {
			return out[i].Kind.Order() < out[j].Kind.Order()
		}
		return out[i].Tier < out[j].Tier
	})
	return out
}

func (w *cycleWorkflow) nextMoment() (reporting.Moment, bool) {
	for _, m := range w.moments() {
		if _, done := w.done[momentKey(m)]; !done {
			return m, true
		}
	}
	return reporting.Moment{}, false
}

// timeline answers QueryTimeline.
func (w *cycleWorkflow) timeline() (TimelineView, error) {
	view := TimelineView{CycleID: w.input.CycleID, Status: w.status, Expected: w.expected}
	planned := make(map[string]bool)
	for _, m := range w.moments() {
		key := momentKey(m)
		planned[key] = true
		mv := MomentView{At: m.At, Kind: m.Kind, Step: m.Step, Of: m.Of, Tier: m.Tier}
		if rec, ok := w.done[key]; ok {
			r := rec.Result
			mv.Done, mv.Result = true, &r
		}
		view.Moments = append(view.Moments, mv)
	}
	for key, rec := range w.done {
		if planned[key] {
			continue
		}
		r := rec.Result
		view.Moments = append(view.Moments, MomentView{At: rec.At, Kind: rec.Kind, Step: rec.Step, Tier: rec.Tier, Done: true, Result: &r})
	}
	sort.SliceStable(view.Moments, func(i, j int) bool {
		a, b := view.Moments[i], view.Moments[j]
		if !a.At.Equal(b.At) {
			return a.At.Before(b.At)
		}
		if a.Kind != b.Kind {
			return a.Kind.Order() < b.Kind.Order() // as the waves run
		}
		if a.Step != b.Step {
			return a.Step < b.Step
		}
		return a.Tier < b.Tier
	})
	return view, nil
}

func (w *cycleWorkflow) resumeInput() CycleInput {
	resume := &CycleResume{OpenedAt: w.openedAt, Expected: w.expected}
	// The records are sorted below, so the map's order does not matter.
	//workflowcheck:ignore
	for _, rec := range w.done {
		resume.Done = append(resume.Done, rec)
	}
	sort.Slice(resume.Done, func(i, j int) bool {
		return recordKey(resume.Done[i]) < recordKey(resume.Done[j])
	})
	return CycleInput{CycleID: w.input.CycleID, Policy: w.input.Policy, Resume: resume}
}

// waveKey names a wave among a cycle's: its kind, step and instant, and its
// level when it reaches one level only (two levels' ladders may plan the
// same step at the same instant; each is a wave of its own).
func waveKey(kind reporting.Event, step int, at time.Time, tier int) string {
	key := fmt.Sprintf("%s/%d/%s", kind, step, at.UTC().Format(time.RFC3339Nano))
	if tier != 0 {
		key += fmt.Sprintf("/tier%d", tier)
	}
	return key
}

func momentKey(m reporting.Moment) string { return waveKey(m.Kind, m.Step, m.At, m.Tier) }

func recordKey(r WaveRecord) string { return waveKey(r.Kind, r.Step, r.At, r.Tier) }
