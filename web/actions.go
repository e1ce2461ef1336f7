package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

func (s *Server) actionRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/cycles/{id}/agencies/{code}/reopen", Op: operations.OpReopen, Scope: s.agencyInScope("code"), Handle: s.reopen},
		{Method: "POST", Path: "/api/v1/cycles/{id}/agencies/{code}/nil-report", Op: operations.OpDeclareNil, Scope: s.agencyInScope("code"), Handle: s.declareNil},
		{Method: "POST", Path: "/api/v1/cycles/{id}/agencies/{code}/extension-requests", Op: operations.OpRequestExtension, Scope: s.agencyInScope("code"), Handle: s.requestExtension},
		{Method: "GET", Path: "/api/v1/extension-requests", Op: operations.OpReadRequests, Handle: s.listExtensionRequests},
		{Method: "POST", Path: "/api/v1/extension-requests/{id}/decision", Op: operations.OpDecideRequest, Handle: s.decideExtensionRequest},
	}
}

func toActionJSON(a reporting.Action) api.Action {
	out := api.Action{ID: a.ID, Cycle: a.CycleID, Agency: a.AgencyCode, Kind: string(a.Kind), Status: string(a.Status),
		Reason: a.Reason, Version: a.Version, CreatedBy: a.CreatedBy, CreatedAt: a.CreatedAt, DecidedBy: a.DecidedBy,
		DecidedAt: a.DecidedAt, DecisionReason: a.DecisionReason, Extension: a.ExtensionID}
	if a.RequestedDue != nil {
		out.RequestedDue = a.RequestedDue.String()
	}
	return out
}

// actionOn reads an action's body and runs it through operations (run is
// one of Reopen, DeclareNil, RequestExtension) on the obligation the path
// names.
func (s *Server) actionOn(w http.ResponseWriter, r *http.Request,
	run func(context.Context, operations.Caller, operations.ActionRequest) (reporting.Action, error)) error {
	var req api.ActionRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	a, err := run(r.Context(), caller(r), operations.ActionRequest{CycleID: r.PathValue("id"), AgencyCode: r.PathValue("code"),
		Reason: req.Reason, RequestedDue: req.Due})
	if err != nil {
		return operationError(r, err)
	}
	writeJSON(w, http.StatusCreated, toActionJSON(a))
	return nil
}

// reopen reopens an agency's accepted report with a reason (office staff).
func (s *Server) reopen(w http.ResponseWriter, r *http.Request) error {
	return s.actionOn(w, r, s.ops.Reopen)
}

// declareNil records the agency's nil report (its reporting officer).
func (s *Server) declareNil(w http.ResponseWriter, r *http.Request) error {
	return s.actionOn(w, r, s.ops.DeclareNil)
}

// requestExtension records the agency's request for a later due date.
func (s *Server) requestExtension(w http.ResponseWriter, r *http.Request) error {
	return s.actionOn(w, r, s.ops.RequestExtension)
}

// listExtensionRequests lists extension requests (?cycle=, ?status=).
func (s *Server) listExtensionRequests(w http.ResponseWriter, r *http.Request) error {
	return s.listActions(w, r, s.ops.ExtensionRequests, reporting.ActionPending, reporting.ActionGranted, reporting.ActionRefused)
}

// listActions lists actions of one kind through list (?cycle=, ?status=,
// the status one of statuses).
func (s *Server) listActions(w http.ResponseWriter, r *http.Request,
	list func(context.Context, operations.Caller, store.ActionFilter) ([]reporting.Action, error), statuses ...reporting.ActionStatus) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	status := reporting.ActionStatus(q.Get("status"))
	if status != "" && !slices.Contains(statuses, status) {
		names := make([]string, len(statuses))
		for i, st := range statuses {
			names[i] = string(st)
		}
		return errBadRequest(fmt.Sprintf("status %q is unknown", status), reporting.FieldError{Field: "status", Reason: strings.Join(names, ", ")})
	}
	found, err := list(r.Context(), caller(r), store.ActionFilter{CycleID: q.Get("cycle"), Status: status, Limit: limit})
	if err != nil {
		return operationError(r, err)
	}
	items := make([]api.Action, len(found))
	for i, a := range found {
		items[i] = toActionJSON(a)
	}
	writeJSON(w, http.StatusOK, api.Page[api.Action]{Items: items})
	return nil
}

// decideExtensionRequest grants or refuses an extension request.
func (s *Server) decideExtensionRequest(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "extension request")
	if err != nil {
		return err
	}
	var req api.RequestDecision
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	a, err := s.ops.DecideRequest(r.Context(), caller(r), operations.RequestDecision{ActionID: id,
		Decision: reporting.ActionStatus(req.Decision), Reason: req.Reason, Due: req.Due})
	if err != nil {
		return operationError(r, err)
	}
	writeJSON(w, http.StatusOK, toActionJSON(a))
	return nil
}
