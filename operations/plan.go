package operations

import (
	"context"
	"fmt"

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
	hours, err := e.store.OfficeHours(ctx, loc, regime, from, to)
	if err != nil {
		return PeriodPlan{}, err
	}
	return PeriodPlan{Regime: regime, Cycle: cyc, SendTime: hours.SendTime, Timeline: cyc.Policy.TimelineIn(cyc.Due, cyc.Close, hours)}, nil
}
