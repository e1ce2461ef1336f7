package web

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

func (s *Server) lateFilingRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/cycles/{id}/agencies/{code}/late-filings", Op: operations.OpFileLate, Scope: s.agencyInScope("code"), Handle: s.fileLate},
		{Method: "GET", Path: "/api/v1/late-filings", Op: operations.OpReadLateFilings, Handle: s.listLateFilings},
		{Method: "POST", Path: "/api/v1/late-filings/{id}/decision", Op: operations.OpDecideLateFiling, Handle: s.decideLateFiling},
	}
}

// readLateFiling reads a late filing's body: JSON (values, narrative,
// reason) or a multipart form (file, narrative, reason). A bare CSV or XLSX
// body has no room for the reason and is refused.
func (s *Server) readLateFiling(r *http.Request, tmpl reporting.Template) (submissionBody, error) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	switch {
	case ct == "" || (err == nil && (mt == contentTypeJSON || strings.HasSuffix(mt, "+json"))):
		return readJSONSubmission(r, true)
	case err == nil && mt == "multipart/form-data":
		return s.readSubmissionBody(r, tmpl)
	}
	return submissionBody{Source: "json"}, unsupportedLateFiling(ct)
}

// readLateReport reads and checks the late filing a request carries, against
// the template of the cycle its path names.
func (s *Server) readLateReport(r *http.Request) (submissionBody, error) {
	cycleID := r.PathValue("id")
	tmpl, err := s.ops.CycleTemplate(r.Context(), caller(r), cycleID)
	if errors.Is(err, store.ErrNotFound) {
		return submissionBody{}, errNotFound("cycle", cycleID)
	}
	if err != nil {
		return submissionBody{}, err
	}
	body, err := s.readLateFiling(r, tmpl)
	if err == nil {
		err = body.check()
	}
	return body, err
}

func unsupportedLateFiling(ct string) error {
	return problem(http.StatusUnsupportedMediaType, typeMediaType, "Unsupported media type",
		fmt.Sprintf("the body is %q; a late filing needs its reason: send JSON (values, narrative, reason) or a multipart form with the file and \"reason\"", ct))
}

// fileLate stores a version filed after the obligation's close, pending the
// office's answer: 201 with the late filing and the version's receipt.
func (s *Server) fileLate(w http.ResponseWriter, r *http.Request) error {
	cycleID, agency := r.PathValue("id"), r.PathValue("code")
	body, err := s.readLateReport(r)
	if err != nil {
		return err
	}
	lf, err := s.ops.FileLate(r.Context(), caller(r), operations.LateFilingRequest{SubmitRequest: operations.SubmitRequest{
		CycleID: cycleID, AgencyCode: agency, Values: body.Values, Narrative: body.Narrative, Source: body.Source},
		Reason: body.Reason})
	if err != nil {
		return operationError(r, err)
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/submissions/%d", lf.Receipt.SubmissionID))
	writeJSON(w, http.StatusCreated, api.LateFiling{LateFiling: toActionJSON(lf.Action), Receipt: toReceiptJSON(lf.Receipt)})
	return nil
}

// listLateFilings lists late filings (?cycle=, ?status=).
func (s *Server) listLateFilings(w http.ResponseWriter, r *http.Request) error {
	return s.listActions(w, r, s.ops.LateFilings, reporting.ActionPending, reporting.ActionAdmitted, reporting.ActionRefused)
}

// decideLateFiling admits or refuses a late filing.
func (s *Server) decideLateFiling(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "late filing")
	if err != nil {
		return err
	}
	var req api.LateFilingDecision
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	a, err := s.ops.DecideLateFiling(r.Context(), caller(r), operations.LateFilingDecisionRequest{ActionID: id,
		Decision: reporting.ActionStatus(req.Decision), Reason: req.Reason})
	if err != nil {
		return operationError(r, err)
	}
	writeJSON(w, http.StatusOK, toActionJSON(a))
	return nil
}

// lateFilingForm files a late version from the agency page: the
// filled-in template and the reason, as a multipart form.
func (s *Server) lateFilingForm(w http.ResponseWriter, r *http.Request) error {
	cycleID, agency := r.PathValue("id"), r.PathValue("code")
	body, err := s.readLateReport(r)
	if err == nil {
		_, err = s.ops.FileLate(r.Context(), caller(r), operations.LateFilingRequest{SubmitRequest: operations.SubmitRequest{
			CycleID: cycleID, AgencyCode: agency, Values: body.Values, Narrative: body.Narrative, Source: "form"}, Reason: body.Reason})
	}
	return s.afterAction(w, r, err)
}

// lateDecisionForm admits or refuses a late filing from the agency page.
func (s *Server) lateDecisionForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "lf", "late filing")
	if err != nil {
		return err
	}
	if err := parseSmallForm(r); err != nil {
		return err
	}
	_, err = s.ops.DecideLateFiling(r.Context(), caller(r), operations.LateFilingDecisionRequest{ActionID: id,
		Decision: reporting.ActionStatus(r.PostFormValue("decision")), Reason: r.PostFormValue("reason")})
	return s.afterAction(w, r, err)
}
