package engine

import (
	"context"

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
	if err := requireStaff(c, "change the holiday calendar"); err != nil {
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
