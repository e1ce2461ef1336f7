package operations

import (
	"context"
	"fmt"
	"sort"

	"rcm/reporting"
	"rcm/store"
)

// PeriodPlan is the cycle a regime would have for a period, launched with
// its own rules: window, cut-off, due and close by its deadline rule, and
// the timeline of its policy under its office hours — reminders and
// escalations counted in days at its send time on working days of the
// shared holiday calendar.
type PeriodPlan struct {
	// Regime holds the regime's rules (not its assignments).
	Regime   reporting.Regime
	Cycle    reporting.Cycle
	SendTime reporting.ClockTime
	Timeline []reporting.Moment
	// Hours are the office hours the timeline was laid out under.
	Hours reporting.OfficeHours
}

// PlanPeriod lays out, without launching it, the cycle of a regime for a
// period, as `rcm period show --regime` shows it. Any signed-in caller may
// ask: it says nothing of the regime's agencies.
func (e *Engine) PlanPeriod(ctx context.Context, c Caller, regimeCode, period string) (PeriodPlan, error) {
	if err := e.Authorize(c, OpPlanPeriod); err != nil {
		return PeriodPlan{}, err
	}
	if _, err := e.store.RegimeRules(ctx, regimeCode); err != nil {
		return PeriodPlan{}, err // a regime that does not exist is not found here, not a refused field
	}
	return e.plan(ctx, LaunchRequest{RegimeCode: regimeCode, Period: period})
}

// plan computes the cycle a launch request would create and lays its
// timeline out as the cycle's activities will once it is open: the
// policy's TimelineIn under the regime's office hours (store.OfficeHours)
// for the years the timeline reaches.
func (e *Engine) plan(ctx context.Context, req LaunchRequest) (PeriodPlan, error) {
	cyc, err := e.planCycle(ctx, req)
	if err != nil {
		return PeriodPlan{}, err
	}
	regime, err := e.store.RegimeRules(ctx, req.RegimeCode)
	if err != nil {
		return PeriodPlan{}, err
	}
	loc, err := reporting.LoadLocation(regime.TimeZone)
	if err != nil {
		return PeriodPlan{}, fmt.Errorf("regime %s: %w", req.RegimeCode, err)
	}
	from, to := cyc.Policy.CalendarYears(cyc.Due, cyc.Close, loc)
	for _, t := range cyc.Tiers {
		f, l := cyc.Policy.CalendarYears(t.Due, t.Close, loc)
		from, to = min(from, f), max(to, l)
	}
	hours, err := e.store.OfficeHours(ctx, loc, regime, from, to)
	if err != nil {
		return PeriodPlan{}, err
	}
	return PeriodPlan{Regime: regime, Cycle: cyc, SendTime: hours.SendTime, Hours: hours,
		Timeline: planTimeline(cyc, hours)}, nil
}

// LaunchPlan is what launching a cycle would send, before it is launched:
// the deadline notice at launch, then every moment of its timeline, each
// with how many people it writes to.
type LaunchPlan struct {
	PeriodPlan
	// Audience is who the cycle would write to.
	Audience store.Audience
	// Sends are the deadline notice (at the time of planning) and the
	// moments of the timeline, in time order.
	Sends []PlannedSend
}

// PlannedSend is one moment of a launch plan with its recipients counted.
// Reminders, overdue notices and escalations go only to agencies still
// owing the report then: the counts are the most it can be, as if nobody
// had submitted.
type PlannedSend struct {
	reporting.Moment
	// Count is how many people it writes to: officers and heads of the
	// agencies, supervisors (one digest each), office staff (the close's summary).
	Count int
	// NoAddress counts the agencies whose recipient for this moment has no
	// address (skipped when sent), and agencies no supervisor sees for a
	// supervisors' step.
	NoAddress int
	// When says whether the moment falls in office hours.
	When reporting.SendWhen
}

// PlanLaunch lays out what launching the request would send, without
// launching it (the preview of `rcm cycle plan` and the launch page):
// the same computation as Launch, and the same timeline as the cycle's
// workflow, with each moment's recipients counted and the moments outside
// office hours flagged. Office staff only.
func (e *Engine) PlanLaunch(ctx context.Context, c Caller, req LaunchRequest) (LaunchPlan, error) {
	if err := e.Authorize(c, OpPlanLaunch); err != nil {
		return LaunchPlan{}, err
	}
	pp, err := e.plan(ctx, req)
	if err != nil {
		return LaunchPlan{}, err
	}
	aud, err := e.store.PlanAudience(ctx, pp.Regime.Code, pp.Cycle.WindowStart, pp.Cycle.WindowEnd)
	if err != nil {
		return LaunchPlan{}, err
	}
	out := LaunchPlan{PeriodPlan: pp, Audience: aud}
	notice := reporting.Moment{At: e.now(), Kind: reporting.EventDeadlineNotice, Step: 1, Of: 1,
		Offset: e.now().Sub(pp.Cycle.Due), Recipients: []reporting.Recipient{reporting.RecipientOfficer}}
	for _, m := range append([]reporting.Moment{notice}, pp.Timeline...) {
		if m.Kind == reporting.EventOverdue {
			m.Recipients = []reporting.Recipient{reporting.RecipientOfficer} // the overdue notice
		}
		s := PlannedSend{Moment: m, When: pp.Hours.When(m.At)}
		switch m.Kind {
		case reporting.EventClose:
			s.Count = aud.Staff + aud.Supervisors // the cycle's summary
		case reporting.EventDeadlineNotice, reporting.EventReminder, reporting.EventOverdue:
			s.Count, s.NoAddress = aud.Agencies, len(aud.NoOfficer)
		case reporting.EventEscalation:
			for _, r := range m.Recipients {
				switch r {
				case reporting.RecipientOfficer:
					s.Count += aud.Agencies
					s.NoAddress = max(s.NoAddress, len(aud.NoOfficer))
				case reporting.RecipientHead:
					s.Count += aud.Agencies
					s.NoAddress = max(s.NoAddress, len(aud.NoHead))
				case reporting.RecipientSupervisor:
					s.Count += aud.Supervisors
					s.NoAddress = max(s.NoAddress, aud.Unsupervised)
				}
			}
		}
		out.Sends = append(out.Sends, s)
	}
	return out, nil
}

// planTimeline is the timeline of a planned cycle: its policy's from its
// due, or in a tiered cycle each level's from the level's due by the
// level's own reminders and ladder (or the regime's), each moment naming
// its level, in time order.
func planTimeline(cyc reporting.Cycle, hours reporting.OfficeHours) []reporting.Moment {
	if len(cyc.Tiers) == 0 {
		return cyc.Policy.TimelineIn(cyc.Due, cyc.Close, hours)
	}
	var out []reporting.Moment
	for _, t := range cyc.Tiers {
		for _, m := range t.PolicyUnder(cyc.Policy).TimelineIn(t.Due, t.Close, hours) {
			m.Tier = t.Level
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].At.Equal(out[j].At) {
			return out[i].At.Before(out[j].At)
		}
		return out[i].Tier < out[j].Tier
	})
	return out
}
