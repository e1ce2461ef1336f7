package operations

import (
	"context"

	"rcm/reporting"
)

// CreateRegime stores a regime with its policy and assignments and returns
// it as stored.
func (e *Engine) CreateRegime(ctx context.Context, c Caller, r reporting.Regime) (reporting.Regime, error) {
	if err := e.Authorize(c, OpCreateRegime); err != nil {
		return reporting.Regime{}, err
	}
	entry := c.audit(OpCreateRegime, "regime/"+r.Code, map[string]any{
		"template": r.TemplateCode, "cadence": string(r.Cadence), "assignments": len(r.Assignments)})
	if err := e.store.CreateRegime(ctx, r, entry); err != nil {
		return reporting.Regime{}, err
	}
	return e.store.Regime(ctx, r.Code)
}

// SetAssignments replaces the agencies a regime expects reports from and
// returns the regime as stored.
func (e *Engine) SetAssignments(ctx context.Context, c Caller, code string, as []reporting.Assignment) (reporting.Regime, error) {
	if err := e.Authorize(c, OpAssignRegime); err != nil {
		return reporting.Regime{}, err
	}
	entry := c.audit(OpAssignRegime, "regime/"+code, map[string]any{"assignments": len(as)})
	if err := e.store.SetAssignments(ctx, code, as, entry); err != nil {
		return reporting.Regime{}, err
	}
	return e.store.Regime(ctx, code)
}

// Regime returns a regime; callers other than office staff see only the
// assignments of agencies in their scope.
func (e *Engine) Regime(ctx context.Context, c Caller, code string) (reporting.Regime, error) {
	if err := e.Authorize(c, OpReadRegimes); err != nil {
		return reporting.Regime{}, err
	}
	regime, err := e.store.Regime(ctx, code)
	if err != nil {
		return reporting.Regime{}, err
	}
	regimes := []reporting.Regime{regime}
	if err := e.scopeAssignments(ctx, c, regimes); err != nil {
		return reporting.Regime{}, err
	}
	return regimes[0], nil
}

// ListRegimes lists every regime, scoped as Regime.
func (e *Engine) ListRegimes(ctx context.Context, c Caller) ([]reporting.Regime, error) {
	if err := e.Authorize(c, OpReadRegimes); err != nil {
		return nil, err
	}
	regimes, err := e.store.ListRegimes(ctx)
	if err != nil {
		return nil, err
	}
	if err := e.scopeAssignments(ctx, c, regimes); err != nil {
		return nil, err
	}
	return regimes, nil
}

// scopeAssignments keeps, for callers other than staff, only the
// assignments of agencies they see.
func (e *Engine) scopeAssignments(ctx context.Context, c Caller, regimes []reporting.Regime) error {
	if c.IsStaff() {
		return nil
	}
	var codes []string
	for _, rg := range regimes {
		for _, a := range rg.Assignments {
			codes = append(codes, a.AgencyCode)
		}
	}
	paths, err := e.store.AgencyPaths(ctx, codes)
	if err != nil {
		return err
	}
	for i := range regimes {
		var kept []reporting.Assignment
		for _, a := range regimes[i].Assignments {
			if c.CanSeeAgency(paths[a.AgencyCode]) {
				kept = append(kept, a)
			}
		}
		regimes[i].Assignments = kept
	}
	return nil
}
