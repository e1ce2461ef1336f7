package operations

import (
	"context"

	"rcm/reporting"
	"rcm/store"
)

// PreviousFigures returns what the soft checks compare an agency's figures
// in a cycle with: the figures accepted from it in the regime's previous
// cycle, and the regime's factor (see reporting.Jumps). Whoever may read the
// agency's obligation may read them.
func (e *Engine) PreviousFigures(ctx context.Context, c Caller, cycleID, agencyCode string) (store.PreviousFigures, error) {
	if err := e.Authorize(c, OpReadCycles); err != nil {
		return store.PreviousFigures{}, err
	}
	if _, err := e.visibleAgency(ctx, c, agencyCode); err != nil {
		return store.PreviousFigures{}, err
	}
	return e.store.PreviousFigures(ctx, cycleID, agencyCode)
}

// Jumps returns the figures of values that move more than the regime's
// factor from the agency's previous accepted period (none when it has none).
func (e *Engine) Jumps(ctx context.Context, c Caller, cycleID, agencyCode string, tmpl reporting.Template, values reporting.Values) ([]reporting.Jump, store.PreviousFigures, error) {
	prev, err := e.PreviousFigures(ctx, c, cycleID, agencyCode)
	if err != nil {
		return nil, prev, err
	}
	return reporting.Jumps(tmpl, values, prev.Values, prev.Factor), prev, nil
}
