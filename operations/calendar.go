package operations

import (
	"context"
	"fmt"

	"rcm/reporting"
	"rcm/store"
	"rcm/workflows"
)

// ImportCalendar replaces the shared holiday calendar of a year, with an
// audit record, and tells every open cycle whose pending moments may fall in
// that year: its workflow reloads its timeline and moves its reminders and
// escalations to the new working days (due and close do not move). It
// returns the IDs of the cycles told.
func (e *Engine) ImportCalendar(ctx context.Context, c Caller, cal reporting.HolidayCalendar) ([]string, error) {
	if err := e.Authorize(c, OpImportCalendar); err != nil {
		return nil, err
	}
	told, err := e.store.ReplaceHolidayCalendar(ctx, cal, c.actor(), func(cycleID string) (store.OutboxMessage, error) {
		return store.NewOutboxMessage(workflows.CycleWorkflowID(cycleID), workflows.SignalDeadlinesChanged,
			workflows.DeadlinesChangedSignal{CalendarYear: cal.Year}, "", nil)
	})
	if err != nil {
		return nil, err
	}
	for _, id := range told {
		e.handOff(ctx, workflows.CycleWorkflowID(id))
	}
	return told, nil
}

// HolidayCalendars lists the shared holiday calendars, a summary per year.
func (e *Engine) HolidayCalendars(ctx context.Context, c Caller) ([]store.CalendarSummary, error) {
	if err := e.Authorize(c, OpReadCalendars); err != nil {
		return nil, err
	}
	return e.store.ListHolidayCalendars(ctx)
}

// HolidayCalendar returns the shared holiday calendar of a year.
func (e *Engine) HolidayCalendar(ctx context.Context, c Caller, year int) (reporting.HolidayCalendar, error) {
	if err := e.Authorize(c, OpReadCalendars); err != nil {
		return reporting.HolidayCalendar{}, err
	}
	return e.store.HolidayCalendar(ctx, year)
}

// SeedHolidayCalendar stores a year's calendar where no cycle is open that it
// would concern (the demo seed, which cannot tell workflows that may not
// run yet); with such a cycle open it is refused, saying to import it.
func (e *Engine) SeedHolidayCalendar(ctx context.Context, c Caller, cal reporting.HolidayCalendar) ([]string, error) {
	if err := e.Authorize(c, OpSeedCalendar); err != nil {
		return nil, err
	}
	return e.store.ReplaceHolidayCalendar(ctx, cal, c.actor(), func(string) (store.OutboxMessage, error) {
		return store.OutboxMessage{}, fmt.Errorf("cycles are open; import the calendar with `rcm calendar import %d --file FILE` instead", cal.Year)
	})
}
