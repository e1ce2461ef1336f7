package operations

import (
	"context"
	"errors"
	"strconv"

	"rcm/access"
	"rcm/reporting"
	"rcm/store"
)

// NotFoundError answers for a thing that does not exist or that the caller
// may not see, in the same words either way, so that the answer gives no
// hint of what lies outside the caller's scope. It is errors.Is ErrNotFound.
type NotFoundError struct {
	// What kind of thing ("agency", "user", "cycle") and its ID as named.
	What, ID string
}

func (e *NotFoundError) Error() string {
	return e.What + " " + e.ID + " does not exist or is outside what you may see"
}

// Is makes a NotFoundError match ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

func notFound(what, id string) error { return &NotFoundError{What: what, ID: id} }

func notFoundID(what string, id int64) error { return notFound(what, strconv.FormatInt(id, 10)) }

// Agency returns the agency with the code if the caller may see it.
func (e *Engine) Agency(ctx context.Context, c Caller, code string) (reporting.Agency, error) {
	if err := e.Authorize(c, OpReadAgencies); err != nil {
		return reporting.Agency{}, err
	}
	return e.visibleAgency(ctx, c, code)
}

// visibleAgency returns the agency if the caller may see it, and the same
// NotFoundError whether it is hidden or absent.
func (e *Engine) visibleAgency(ctx context.Context, c Caller, code string) (reporting.Agency, error) {
	a, err := e.store.Agency(ctx, code)
	if errors.Is(err, store.ErrNotFound) || err == nil && !c.CanSeeAgency(a.Path) {
		return reporting.Agency{}, notFound("agency", code)
	}
	return a, err
}

// Scope is the part of the agency tree the caller sees, narrowed to the
// subtree of the agency under when it is given; an agency the caller may
// not see is not found.
func (e *Engine) Scope(ctx context.Context, c Caller, under string) (access.Scope, error) {
	scope := c.Scope()
	if under == "" {
		return scope, nil
	}
	a, err := e.visibleAgency(ctx, c, under)
	if err != nil {
		return access.Scope{}, err
	}
	scope, _ = scope.Within(a.Path) // a is visible, so they overlap
	return scope, nil
}

// ListAgencies lists the agencies the caller sees, under one of them when
// under is given; the filter's scope is the caller's.
func (e *Engine) ListAgencies(ctx context.Context, c Caller, under string, f store.AgencyFilter) ([]reporting.Agency, error) {
	if err := e.Authorize(c, OpReadAgencies); err != nil {
		return nil, err
	}
	scope, err := e.Scope(ctx, c, under)
	if err != nil {
		return nil, err
	}
	f.ScopePath, f.ScopeExact = scope.Path, scope.Exact
	return e.store.ListAgencies(ctx, f)
}

// ImportAgencies creates and updates agencies, all or none, and returns how
// many were created and how many changed.
func (e *Engine) ImportAgencies(ctx context.Context, c Caller, agencies []reporting.Agency) (created, updated int, err error) {
	if err := e.Authorize(c, OpImportAgencies); err != nil {
		return 0, 0, err
	}
	entry := c.audit(OpImportAgencies, "agencies", map[string]any{"received": len(agencies)})
	return e.store.UpsertAgencies(ctx, agencies, entry)
}
