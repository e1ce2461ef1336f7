package web

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
	"rcm/sheets"
	"rcm/store"
)

func (s *Server) submissionRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/cycles/{id}/obligations", Op: operations.OpReadCycles, Handle: s.listObligations},
		{Method: "GET", Path: "/api/v1/cycles/{id}/agencies/{code}", Op: operations.OpReadCycles, Scope: s.agencyInScope("code"), Handle: s.getObligation},
		{Method: "POST", Path: "/api/v1/cycles/{id}/agencies/{code}/submissions", Op: operations.OpSubmit, Scope: s.agencyInScope("code"),
			Upload: true, Handle: s.submit},
		{Method: "GET", Path: "/api/v1/submissions/{id}", Op: operations.OpReadCycles, Scope: s.submissionInScope, Handle: s.getSubmission},
		{Method: "POST", Path: "/api/v1/receipts/{number}/verify", Op: operations.OpReadCycles, Scope: s.receiptInScope,
			Upload: true, Handle: s.verifyReceipt},
	}
}

// Content types of the files an agency submits.
const (
	contentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	contentTypeCSV  = "text/csv"
)

// cycleMetrics count submissions and reviews, on the server's registry.
type cycleMetrics struct {
	submissions *prometheus.CounterVec
	reviews     *prometheus.CounterVec
}

func newCycleMetrics(reg *prometheus.Registry) *cycleMetrics {
	return &cycleMetrics{
		submissions: registerCounter(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rcm_submissions_total",
			Help: "Submissions received through the API and the pages, by source (json, csv, xlsx, form) and result (stored, replayed, refused).",
		}, []string{"source", "result"})),
		reviews: registerCounter(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rcm_reviews_total",
			Help: "Review decisions recorded, by decision (accepted, returned).",
		}, []string{"decision"})),
	}
}

// registerCounter registers c, or returns the one registered already under
// its name (two servers may share one registry).
func registerCounter(reg *prometheus.Registry, c *prometheus.CounterVec) *prometheus.CounterVec {
	if err := reg.Register(c); err != nil {
		var already prometheus.AlreadyRegisteredError
		if errors.As(err, &already) {
			if existing, ok := already.ExistingCollector.(*prometheus.CounterVec); ok {
				return existing
			}
		}
		panic(fmt.Sprintf("register metric: %v", err))
	}
	return c
}

func (m *cycleMetrics) submission(source string, receipt operations.Receipt, err error) {
	result := "stored"
	switch {
	case err != nil:
		result = "refused"
	case receipt.Replayed:
		result = "replayed"
	}
	m.submissions.WithLabelValues(source, result).Inc()
}

// toObligationJSON writes an obligation as it stands at now: overdue says
// that its due passed with nothing submitted by then.
func toObligationJSON(o reporting.Obligation, now time.Time) api.Obligation {
	return api.Obligation{Cycle: o.CycleID, Agency: o.AgencyCode, NameVI: o.AgencyNameVI, NameEN: o.AgencyNameEN, Path: o.AgencyPath,
		Due: o.Due, Close: o.Close, Status: string(o.Status), Final: o.FinalizedAt != nil, Overdue: o.MissedDue(now), NotifiedAt: o.NotifiedAt,
		FirstSubmittedAt: o.FirstSubmittedAt, LastSubmittedAt: o.LastSubmittedAt, Versions: o.Versions,
		AcceptedSubmission: o.AcceptedSubmission, NilReport: o.NilReport}
}

func toReviewJSON(rv reporting.Review) api.Review {
	return api.Review{ID: rv.ID, SubmissionID: rv.SubmissionID, Decision: string(rv.Decision), Reason: rv.Reason,
		Reviewer: rv.ReviewerEmail, DecidedAt: rv.DecidedAt}
}

func toSubmissionJSON(sub reporting.Submission) api.Submission {
	out := api.Submission{ID: sub.ID, Cycle: sub.CycleID, Agency: sub.AgencyCode, Version: sub.Version,
		ReceiptNumber: sub.ReceiptNumber, Values: sub.Values, Narrative: sub.Narrative, Source: sub.Source,
		ContentHash: hex.EncodeToString(sub.ContentHash), LateFiled: sub.LateFiled, MissingChildren: sub.MissingChildren,
		SubmittedBy: sub.SubmittedByEmail, SubmittedAt: sub.SubmittedAt}
	if out.Values == nil {
		out.Values = reporting.Values{}
	}
	if sub.Review != nil {
		rv := toReviewJSON(*sub.Review)
		out.Review = &rv
	}
	return out
}

// listObligations lists a cycle's obligations within the caller's scope
// (?under=CODE, ?status=).
func (s *Server) listObligations(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.cycle(r); err != nil {
		return err
	}
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	obligations, err := s.ops.Obligations(r.Context(), caller(r), r.PathValue("id"), q.Get("under"), store.ObligationFilter{
		Status: reporting.ObligationStatus(q.Get("status")), After: q.Get("after"), Limit: limit + 1})
	if err != nil {
		return err
	}
	items := make([]api.Obligation, len(obligations))
	now := s.now()
	for i, o := range obligations {
		items[i] = toObligationJSON(o, now)
	}
	writeJSON(w, http.StatusOK, makePage(items, limit, func(o api.Obligation) string { return o.Agency }))
	return nil
}

func (s *Server) getObligation(w http.ResponseWriter, r *http.Request) error {
	d, err := s.ops.Obligation(r.Context(), caller(r), r.PathValue("id"), r.PathValue("code"))
	if err != nil {
		return err
	}
	out := api.AgencyObligation{Obligation: toObligationJSON(d.Obligation, s.now()), Versions: make([]api.Submission, len(d.Versions)),
		Actions: make([]api.Action, len(d.Actions))}
	for i, sub := range d.Versions {
		out.Versions[i] = toSubmissionJSON(sub)
	}
	for i, a := range d.Actions {
		out.Actions[i] = toActionJSON(a)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// submissionInScope refuses, as not found, a submission of an agency the
// caller may not see.
func (s *Server) submissionInScope(r *http.Request) error {
	_, err := s.visibleSubmission(r)
	return err
}

// visibleSubmission returns the submission the path's {id} names, if the
// caller may see its agency.
func (s *Server) visibleSubmission(r *http.Request) (reporting.Submission, error) {
	id, err := pathID(r, "id", "submission")
	if err != nil {
		return reporting.Submission{}, err
	}
	return s.ops.Submission(r.Context(), caller(r), id)
}

func (s *Server) getSubmission(w http.ResponseWriter, r *http.Request) error {
	sub, err := s.visibleSubmission(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toSubmissionJSON(sub))
	return nil
}

// submissionBody is what an agency sends, whatever the format.
type submissionBody struct {
	Values    reporting.Values
	Narrative string
	// Source is json, csv, xlsx or form.
	Source string
	// Reason is a late filing's reason (JSON "reason", form part "reason").
	Reason string
}

// submit stores a new version of the agency's report: JSON values, a CSV or
// XLSX file as the body, or a file in a multipart form. The receipt is 201,
// or 200 with replayed true for a repeat of an Idempotency-Key.
func (s *Server) submit(w http.ResponseWriter, r *http.Request) error {
	cycleID, agency := r.PathValue("id"), r.PathValue("code")
	tmpl, err := s.ops.CycleTemplate(r.Context(), caller(r), cycleID)
	if errors.Is(err, store.ErrNotFound) {
		return errNotFound("cycle", cycleID)
	}
	if err != nil {
		return err
	}
	body, err := s.readSubmissionBody(r, tmpl)
	if err == nil {
		err = body.check()
	}
	if err == nil {
		err = checkText("Idempotency-Key", r.Header.Get("Idempotency-Key"))
	}
	if err != nil {
		s.counts.submission(body.Source, operations.Receipt{}, err)
		return err
	}
	receipt, err := s.ops.Submit(r.Context(), caller(r), operations.SubmitRequest{
		CycleID: cycleID, AgencyCode: agency, Values: body.Values, Narrative: body.Narrative,
		Source: body.Source, IdempotencyKey: strings.TrimSpace(r.Header.Get("Idempotency-Key")),
	})
	s.counts.submission(body.Source, receipt, err)
	if err != nil {
		return operationError(r, err)
	}
	status := http.StatusCreated
	if receipt.Replayed {
		status = http.StatusOK
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/submissions/%d", receipt.SubmissionID))
	writeJSON(w, status, toReceiptJSON(receipt))
	return nil
}

func toReceiptJSON(r operations.Receipt) api.Receipt {
	return api.Receipt{Number: r.Number, SubmissionID: r.SubmissionID, CycleID: r.CycleID, AgencyCode: r.AgencyCode,
		Version: r.Version, SubmittedAt: r.SubmittedAt, Estimates: r.Estimates, ContentHash: hex.EncodeToString(r.ContentHash), Replayed: r.Replayed}
}

// receiptInScope refuses, as not found, a receipt of an agency the caller
// may not see.
func (s *Server) receiptInScope(r *http.Request) error {
	if err := checkText("number", r.PathValue("number")); err != nil {
		return err
	}
	_, err := s.ops.ReceiptSubmission(r.Context(), caller(r), r.PathValue("number"))
	return err
}

// verifyReceipt checks the file that was submitted (a body as for a
// submission: JSON, CSV, XLSX or a multipart form) against the version the
// receipt names.
func (s *Server) verifyReceipt(w http.ResponseWriter, r *http.Request) error {
	number := r.PathValue("number")
	sub, err := s.ops.ReceiptSubmission(r.Context(), caller(r), number)
	if err != nil {
		return err
	}
	tmpl, err := s.ops.CycleTemplate(r.Context(), caller(r), sub.CycleID)
	if err != nil {
		return err
	}
	body, err := s.readSubmissionBody(r, tmpl)
	if err == nil {
		err = body.check()
	}
	if err != nil {
		return err
	}
	check, err := s.ops.VerifyReceipt(r.Context(), caller(r), number, body.Values, body.Narrative)
	if err != nil {
		return operationError(r, err)
	}
	out := api.ReceiptCheck{Receipt: toReceiptJSON(operations.Receipt{Number: sub.ReceiptNumber, SubmissionID: sub.ID,
		CycleID: sub.CycleID, AgencyCode: sub.AgencyCode, Version: sub.Version, SubmittedAt: sub.SubmittedAt, ContentHash: sub.ContentHash}),
		FileHash: hex.EncodeToString(check.FileHash), Match: check.Match, Differences: []api.Difference{}}
	for _, d := range check.Differences {
		out.Differences = append(out.Differences, api.Difference(d))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// readSubmissionBody reads the values in the format the Content-Type names.
// A file is read against the template, line by line.
func (s *Server) readSubmissionBody(r *http.Request, tmpl reporting.Template) (submissionBody, error) {
	ct := r.Header.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ct)
	if ct == "" {
		mt, err = contentTypeJSON, nil
	}
	if err != nil {
		return submissionBody{Source: "json"}, unsupportedSubmission(ct)
	}
	switch {
	case mt == contentTypeJSON || strings.HasSuffix(mt, "+json"):
		return readJSONSubmission(r, false)
	case mt == contentTypeCSV || mt == contentTypeXLSX:
		format := "csv"
		if mt == contentTypeXLSX {
			format = "xlsx"
		}
		data, err := io.ReadAll(r.Body)
		if err != nil {
			return submissionBody{Source: format}, err // *http.MaxBytesError: 413
		}
		values, err := s.readSheet(r.Context(), format, data, tmpl)
		return submissionBody{Values: values, Source: format}, err
	case mt == "multipart/form-data":
		return s.readMultipartSubmission(r, params["boundary"], tmpl)
	}
	return submissionBody{Source: "json"}, unsupportedSubmission(ct)
}

func unsupportedSubmission(ct string) error {
	return problem(http.StatusUnsupportedMediaType, typeMediaType, "Unsupported media type",
		fmt.Sprintf("the body is %q; send JSON (application/json), the CSV (text/csv), the spreadsheet (%s) or a multipart form with a file", ct, contentTypeXLSX))
}

// readSheet reads a CSV or XLSX file of the template; an empty file is
// refused before it is parsed, and files are parsed a few at a time.
func (s *Server) readSheet(ctx context.Context, format string, data []byte, tmpl reporting.Template) (reporting.Values, error) {
	if len(data) == 0 {
		return nil, errBadRequest(fmt.Sprintf("the %s file is empty; send the template filled in (rcm template export %s)", format, tmpl.Code))
	}
	release, err := s.sheetReads.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if format == "xlsx" {
		return sheets.Read(bytes.NewReader(data), tmpl)
	}
	return sheets.ReadCSV(bytes.NewReader(data), tmpl)
}

// readJSONSubmission reads a JSON submission, or with late a late filing
// (api.LateFilingRequest, which adds the reason).
func readJSONSubmission(r *http.Request, late bool) (submissionBody, error) {
	out := submissionBody{Source: "json"}
	var req api.SubmissionRequest
	if late {
		var lr api.LateFilingRequest
		if err := decodeJSON(r, &lr); err != nil {
			return out, err
		}
		req, out.Reason = api.SubmissionRequest{Values: lr.Values, Narrative: lr.Narrative}, lr.Reason
	} else if err := decodeJSON(r, &req); err != nil {
		return out, err
	}
	out.Narrative = req.Narrative
	out.Values = make(reporting.Values, len(req.Values))
	var bad []reporting.FieldError
	for code, raw := range req.Values {
		raw = bytes.TrimSpace(raw)
		switch {
		case len(raw) == 0 || string(raw) == "null":
			out.Values[code] = ""
		case raw[0] == '"':
			var text string
			if err := json.Unmarshal(raw, &text); err != nil {
				bad = append(bad, reporting.FieldError{Field: "values." + code, Reason: "not a valid JSON string"})
				continue
			}
			out.Values[code] = text
		case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
			out.Values[code] = string(raw)
		default:
			bad = append(bad, reporting.FieldError{Field: "values." + code, Reason: "write the value as a number (123.5) or a string (\"123.5\")"})
		}
	}
	if len(bad) > 0 {
		return out, errBadRequest("some values are neither numbers nor strings", bad...)
	}
	return out, nil
}

// maxFormFields bounds the parts of a multipart submission.
const maxFormFields = 1000

// readMultipartSubmission reads a form with a file (part "file", CSV or
// XLSX by its name or type) and an optional "narrative".
func (s *Server) readMultipartSubmission(r *http.Request, boundary string, tmpl reporting.Template) (submissionBody, error) {
	out := submissionBody{Source: "csv"}
	if boundary == "" {
		return out, errBadRequest("the multipart body has no boundary; let your HTTP client build the form")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return out, errBadRequest(fmt.Sprintf("cannot read the multipart form: %v", err))
	}
	var file []byte
	var format string
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out, multipartError(err)
		}
		if n >= maxFormFields {
			return out, errBadRequest("the form has too many parts")
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return out, multipartError(err)
		}
		switch part.FormName() {
		case "file":
			file, format = data, fileFormat(part.FileName(), part.Header.Get("Content-Type"), data)
		case "narrative":
			out.Narrative = string(data)
		case "reason":
			out.Reason = string(data)
		}
	}
	if file == nil {
		return out, errValidation("the form has no file; attach the filled-in template as the field \"file\"",
			reporting.FieldError{Field: "file", Reason: "required"})
	}
	out.Source = format
	out.Values, err = s.readSheet(r.Context(), format, file, tmpl)
	return out, err
}

func multipartError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return err
	}
	return errBadRequest(fmt.Sprintf("cannot read the multipart form: %v", err))
}

// fileFormat tells an uploaded spreadsheet from a CSV file: by its name,
// then its declared type, then its first bytes (an XLSX file is a zip).
func fileFormat(name, contentType string, data []byte) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx":
		return "xlsx"
	case ".csv":
		return "csv"
	}
	if mt, _, _ := mime.ParseMediaType(contentType); mt == contentTypeXLSX {
		return "xlsx"
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return "xlsx"
	}
	return "csv"
}
