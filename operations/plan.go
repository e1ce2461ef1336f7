package operations

import (
	"context"
	"fmt"
	"sort"

	"rcm/reporting"
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
}

// PlanPeriod lays out, without launching it, the cycle of a regime for a
// period, as `rcm period show --regime` shows it. Any signed-in caller may
// ask: it says nothing of the regime's agencies.
func (e *Engine) PlanPeriod(ctx context.Context, c Caller, regimeCode, period string) (PeriodPlan, error) {
	if err := e.Authorize(c, OpPlanPeriod); err != nil {
		return PeriodPlan{}, err
	}
	regime, err := e.store.RegimeRules(ctx, regimeCode)
	if err != nil {
		return PeriodPlan{}, err
	}
	cyc, err := e.planCycle(ctx, LaunchRequest{RegimeCode: regimeCode, Period: period})
	if err != nil {
		return PeriodPlan{}, err
	}
	loc, err := reporting.LoadLocation(regime.TimeZone)
	if err != nil {
		return PeriodPlan{}, fmt.Errorf("regime %s: %w", regimeCode, err)
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
	return PeriodPlan{Regime: regime, Cycle: cyc, SendTime: hours.SendTime, Timeline: planTimeline(cyc, hours)}, nil
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
