package web

import (
	"fmt"
	"net/http"
	"slices"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

func (s *Server) agencyRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/agencies", Op: operations.OpReadAgencies, Handle: s.listAgencies},
		{Method: "GET", Path: "/api/v1/agencies/{code}", Op: operations.OpReadAgencies, Scope: s.agencyInScope("code"), Handle: s.getAgency},
		{Method: "POST", Path: "/api/v1/agencies:import", Op: operations.OpImportAgencies, Upload: true, Handle: s.importAgencies},
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
	return func(r *http.Request) error {
		_, err := s.ops.Agency(r.Context(), caller(r), r.PathValue(param))
		return err
	}
}

// listAgencies lists the agencies the caller sees, optionally under one
// (?under=CODE) and of one kind (?kind=K).
func (s *Server) listAgencies(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if under := q.Get("under"); under != "" {
		if _, err := s.ops.Agency(r.Context(), caller(r), under); err != nil {
			return err
		}
	}
	if kind := q.Get("kind"); kind != "" && !slices.Contains(reporting.AgencyKinds(), kind) {
		return errBadRequest(fmt.Sprintf("kind %q is unknown", kind), reporting.FieldError{Field: "kind", Reason: "one of the agency kinds"})
	}
	agencies, err := s.ops.ListAgencies(r.Context(), caller(r), q.Get("under"), store.AgencyFilter{
		Kind: q.Get("kind"), After: q.Get("after"), Limit: limit + 1,
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
	a, err := s.ops.Agency(r.Context(), caller(r), r.PathValue("code"))
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
	created, updated, err := s.ops.ImportAgencies(r.Context(), caller(r), agencies)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.ImportResult{Received: len(in), Created: created, Updated: updated, Unchanged: len(in) - created - updated})
	return nil
}
