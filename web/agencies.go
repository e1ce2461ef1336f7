package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"

	"rcm/access"
	"rcm/api"
	"rcm/reporting"
	"rcm/store"
)

func (s *Server) agencyRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/agencies", Roles: everyRole, Handle: s.listAgencies},
		{Method: "GET", Path: "/api/v1/agencies/{code}", Roles: everyRole, Scope: s.agencyInScope("code"), Handle: s.getAgency},
		{Method: "POST", Path: "/api/v1/agencies:import", Roles: staffOnly, Upload: true, Handle: s.importAgencies},
	}
}

func toAgencyJSON(a reporting.Agency) api.Agency {
	return api.Agency{Code: a.Code, Parent: a.ParentCode, Path: a.Path, NameVI: a.NameVI, NameEN: a.NameEN,
		Kind: a.Kind, OfficerEmail: a.OfficerEmail, HeadEmail: a.HeadEmail, Language: a.Language,
		ActiveFrom: a.ActiveFrom, ActiveUntil: a.ActiveUntil}
}

func agencyToStore(a api.Agency) reporting.Agency {
	return reporting.Agency{Code: a.Code, ParentCode: a.Parent, NameVI: a.NameVI, NameEN: a.NameEN, Kind: a.Kind,
		OfficerEmail: a.OfficerEmail, HeadEmail: a.HeadEmail, Language: a.Language,
		ActiveFrom: a.ActiveFrom, ActiveUntil: a.ActiveUntil}
}

// agencyInScope refuses, as not found, an agency named by the path value
// param that does not exist or that the caller may not see.
func (s *Server) agencyInScope(param string) ScopeCheck {
	return func(r *http.Request, p access.Principal) error {
		_, err := s.visibleAgency(r, p, r.PathValue(param))
		return err
	}
}

// visibleAgency returns the agency with the code if the caller may see it,
// and the same not-found problem whether it is hidden or absent.
func (s *Server) visibleAgency(r *http.Request, p access.Principal, code string) (reporting.Agency, error) {
	a, err := s.store.Agency(r.Context(), code)
	if errors.Is(err, store.ErrNotFound) || err == nil && !p.CanSeeAgency(a.Path) {
		return reporting.Agency{}, errNotFound("agency", code)
	}
	return a, err
}

// listAgencies lists the agencies the caller sees, optionally under one
// (?under=CODE) and of one kind (?kind=K).
func (s *Server) listAgencies(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	scope := p.Scope()
	if under := q.Get("under"); under != "" {
		a, err := s.visibleAgency(r, p, under)
		if err != nil {
			return err
		}
		scope, _ = scope.Within(a.Path) // a is visible, so they overlap
	}
	if kind := q.Get("kind"); kind != "" && !slices.Contains(reporting.AgencyKinds(), kind) {
		return errBadRequest(fmt.Sprintf("kind %q is unknown", kind), reporting.FieldError{Field: "kind", Reason: "one of the agency kinds"})
	}
	agencies, err := s.store.ListAgencies(r.Context(), store.AgencyFilter{
		ScopePath: scope.Path, ScopeExact: scope.Exact, Kind: q.Get("kind"), After: q.Get("after"), Limit: limit + 1,
	})
	if err != nil {
		return err
	}
	items := make([]api.Agency, len(agencies))
	for i, a := range agencies {
		items[i] = toAgencyJSON(a)
	}
	writeJSON(w, http.StatusOK, makePage(items, limit, func(a api.Agency) string { return a.Code }))
	return nil
}

func (s *Server) getAgency(w http.ResponseWriter, r *http.Request) error {
	a, err := s.visibleAgency(r, principal(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAgencyJSON(a))
	return nil
}

// importAgencies creates and updates agencies from a JSON array, all or nothing.
func (s *Server) importAgencies(w http.ResponseWriter, r *http.Request) error {
	var in []api.Agency
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if len(in) == 0 {
		return errValidation("the array is empty; send the agencies to import", reporting.FieldError{Field: "(body)", Reason: "empty"})
	}
	agencies := make([]reporting.Agency, len(in))
	for i, a := range in {
		agencies[i] = agencyToStore(a)
	}
	entry := s.audit(r, "agency.import", "agencies", map[string]any{"received": len(in)})
	created, updated, err := s.store.UpsertAgencies(r.Context(), agencies, entry)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.ImportResult{Received: len(in), Created: created, Updated: updated, Unchanged: len(in) - created - updated})
	return nil
}
