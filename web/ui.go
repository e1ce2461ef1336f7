package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"rcm/access"
	"rcm/api"
	"rcm/messages"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

// pageTable lists the server-rendered pages for agencies, supervisors and
// office staff. They use the Route type of the API so that the operations
// authorized and the scope lookups are the same ones, run by the same
// authorize.
func (s *Server) pageTable() []Route {
	return append([]Route{
		{Method: "GET", Path: "/{$}", Op: operations.OpReadCycles, Handle: s.homePage},
		{Method: "GET", Path: "/signin", Op: public, Handle: s.signInPage},
		{Method: "POST", Path: "/signin", Op: public, Handle: s.signInForm},
		{Method: "POST", Path: "/signout", Op: operations.OpDeleteSession, Handle: s.signOutForm},
		{Method: "GET", Path: "/static/{file}", Op: public, Handle: s.staticFile},
		{Method: "GET", Path: "/cycles/{id}", Op: operations.OpReadCycles, Handle: s.dashboardPage},
		{Method: "GET", Path: "/cycles/{id}/export/{table}", Op: operations.OpReadResults, Handle: s.exportPage},
		{Method: "GET", Path: "/cycles/{id}/agencies/{code}", Op: operations.OpReadCycles, Scope: s.agencyInScope("code"), Handle: s.agencyPage},
		{Method: "POST", Path: "/cycles/{id}/agencies/{code}", Op: operations.OpSubmit, Scope: s.agencyInScope("code"), Upload: true,
			Handle: s.submitForm},
		{Method: "POST", Path: "/cycles/{id}/agencies/{code}/reopen", Op: operations.OpReopen, Scope: s.agencyInScope("code"),
			Handle: s.actionForm(s.ops.Reopen)},
		{Method: "POST", Path: "/cycles/{id}/agencies/{code}/nil-report", Op: operations.OpDeclareNil, Scope: s.agencyInScope("code"),
			Handle: s.actionForm(s.ops.DeclareNil)},
		{Method: "POST", Path: "/cycles/{id}/agencies/{code}/extension-requests", Op: operations.OpRequestExtension, Scope: s.agencyInScope("code"),
			Handle: s.actionForm(s.ops.RequestExtension)},
		{Method: "POST", Path: "/cycles/{id}/agencies/{code}/extension-requests/{req}", Op: operations.OpDecideRequest, Scope: s.agencyInScope("code"),
			Handle: s.decisionForm},
		{Method: "POST", Path: "/cycles/{id}/agencies/{code}/late-filings", Op: operations.OpFileLate, Scope: s.agencyInScope("code"), Upload: true,
			Handle: s.lateFilingForm},
		{Method: "POST", Path: "/cycles/{id}/agencies/{code}/late-filings/{lf}", Op: operations.OpDecideLateFiling, Scope: s.agencyInScope("code"),
			Handle: s.lateDecisionForm},
		{Method: "POST", Path: "/cycles/{id}/close", Op: operations.OpCloseCycle, Handle: s.closeForm},
		{Method: "GET", Path: "/launch", Op: operations.OpPlanLaunch, Handle: s.launchPage},
		{Method: "POST", Path: "/launch", Op: operations.OpLaunchCycle, Handle: s.launchFormPost},
		{Method: "GET", Path: "/review/{id}", Op: operations.OpReadReviews, Handle: s.reviewPage},
		{Method: "POST", Path: "/review/{id}", Op: operations.OpReview, Handle: s.reviewForm},
	}, s.accountPages()...)
}

// Pages returns a copy of the page table.
func (s *Server) Pages() []Route { return append([]Route(nil), s.pages...) }

// wrapPage runs a page as wrap runs a route, but answers errors with a page:
// a caller who is not signed in is sent to the sign-in page, and back after.
func (s *Server) wrapPage(rt Route) http.Handler {
	pattern := "page " + rt.Pattern()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec, r, err := s.run(rt, w, r)
		if err != nil && rec.status == 0 {
			s.pageError(rec, r, err)
		}
		if rec.status == 0 {
			rec.WriteHeader(http.StatusNoContent)
		}
		s.metrics.observe(pattern, rec.status, time.Since(start))
	})
}

type errorPage struct {
	pageBase
	Message string
	Fields  []string
}

// pageError answers a failed page: to the sign-in page when not signed in,
// else an error page saying what went wrong and what to do.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	p := toProblem(err)
	if p.Status == http.StatusUnauthorized {
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if p.Status >= 500 {
		s.log.Error("page failed", "path", r.URL.Path, "error", err)
	}
	lang := pageLang(r)
	data := errorPage{pageBase: pageBase{Lang: lang, Title: translate(lang, "error"), User: principal(r)},
		Message: pageMessage(lang, p.Problem), Fields: problemLines(lang, p.errorsIn(lang))}
	if rerr := s.render(w, p.Status, "error", data); rerr != nil {
		s.log.Error("render error page", "error", rerr)
		writeProblem(w, r, p.Problem)
	}
}

// problemLines writes each refused field of a problem for a person.
func problemLines(lang messages.Lang, errs []api.FieldProblem) []string {
	out := make([]string, 0, len(errs))
	for _, f := range errs {
		out = append(out, problemLine(lang, f))
	}
	return out
}

// userMessages are the lines to show a person whose form was refused, or
// nil when the failure is not theirs to fix (it then becomes an error page).
func userMessages(lang messages.Lang, err error) []string {
	p := toProblem(err)
	if p.Status >= 500 || p.Status == http.StatusForbidden || p.Status == http.StatusNotFound {
		return nil
	}
	lines := problemLines(lang, p.errorsIn(lang))
	if len(lines) == 0 {
		lines = []string{pageMessage(lang, p.Problem)}
	}
	return lines
}

type homeCycle struct {
	Cycle reporting.Cycle
	Link  string
}

type homePage struct {
	pageBase
	Cycles []homeCycle
	// Owed is what the officer's agency still owes, soonest due first.
	Owed []obligationRow
	// Queue is the review queue, filtered by QueueCycle and QueueUnder.
	Queue      []operations.QueueEntry
	QueueCycle string
	QueueUnder string
	// LateFilings are the late filings awaiting office staff's decision.
	LateFilings []reporting.Action
	// Titles name the cycles of Owed and Queue for people, by cycle ID.
	Titles map[string]string
}

// homePage lists what the officer's agency owes, soonest first, the latest
// cycles, each linking to the caller's page of it, and for office staff the
// submissions waiting for review (?cycle= and ?under= filter them).
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	lang := pageLang(r)
	ctx, who := r.Context(), caller(r)
	cycles, err := s.ops.ListCycles(ctx, who, store.CycleFilter{Limit: 50})
	if err != nil {
		return err
	}
	data := homePage{pageBase: pageBase{Lang: lang, Title: translate(lang, "cycles"), User: p, Self: r.URL.RequestURI()},
		QueueCycle: r.URL.Query().Get("cycle"), QueueUnder: r.URL.Query().Get("under")}
	for _, c := range cycles {
		link := "/cycles/" + c.ID
		if p.Role == access.Officer {
			link += "/agencies/" + p.AgencyCode
		}
		data.Cycles = append(data.Cycles, homeCycle{Cycle: c, Link: link})
	}
	owed, err := s.ops.Owed(ctx, who)
	if err != nil {
		return err
	}
	now := s.now()
	for _, o := range owed {
		data.Owed = append(data.Owed, toObligationRow(o, now))
	}
	if p.Reviews() {
		if data.Queue, err = s.ops.ReviewQueueEntries(ctx, who, data.QueueCycle, data.QueueUnder, 100); err != nil {
			return err
		}
	}
	if p.IsStaff() { // late filings are decided by office staff only
		if data.LateFilings, err = s.ops.LateFilings(ctx, who, store.ActionFilter{CycleID: data.QueueCycle, Status: reporting.ActionPending, Limit: 100}); err != nil {
			return err
		}
	}
	data.Titles = map[string]string{}
	for _, c := range cycles {
		data.Titles[c.ID] = periodTitle(lang, c)
	}
	ids := make([]string, 0, len(data.Owed)+len(data.Queue))
	for _, o := range data.Owed {
		ids = append(ids, o.CycleID)
	}
	for _, q := range data.Queue {
		ids = append(ids, q.CycleID)
	}
	for _, id := range ids {
		if _, ok := data.Titles[id]; !ok {
			c, err := s.ops.Cycle(ctx, who, id)
			if err != nil {
				return err
			}
			data.Titles[id] = periodTitle(lang, c)
		}
	}
	return s.render(w, http.StatusOK, "home", data)
}

// obligationRow is an obligation as a page shows it at a moment.
type obligationRow struct {
	reporting.Obligation
	// Class colours its state (see obligationClass).
	Class string
	// Overdue marks an open obligation whose due passed with nothing
	// submitted by then.
	Overdue bool
	// State is its classification at the moment: the live state while
	// open, the final state once final.
	State string
}

func toObligationRow(o reporting.Obligation, now time.Time) obligationRow {
	row := obligationRow{Obligation: o, Class: obligationClass(o, now), Overdue: o.FinalizedAt == nil && o.MissedDue(now)}
	if c := o.Classify(now); c.Final {
		row.State = string(c.State)
	} else {
		row.State = string(c.Live)
	}
	return row
}

// obligationClass is the colour of an obligation on the pages, from its
// final state once final, else from its live state at now: ok for accepted
// and on time (and nil reports); bad for returned, missing and not accepted;
// warn for overdue, late, never reviewed (the office's backlog), and a
// version awaiting review that came after due.
func obligationClass(o reporting.Obligation, now time.Time) string {
	live, open := o.LiveState(now)
	switch {
	case !open && (o.Status == reporting.ObligationOnTime || o.Status == reporting.ObligationNilReport),
		live == reporting.LiveAccepted, live == reporting.LiveNilReport:
		return "ok"
	case !open && (o.Status == reporting.ObligationLate || o.Status == reporting.ObligationNotReviewed), live == reporting.LiveOverdue:
		return "warn"
	case !open, live == reporting.LiveReturned:
		return "bad"
	case live == reporting.LiveAwaitingReview && o.MissedDue(now):
		return "warn"
	}
	return ""
}

type agencyPage struct {
	pageBase
	Cycle      reporting.Cycle
	Agency     reporting.Agency
	Obligation reporting.Obligation
	// Overdue says that the obligation's due passed with nothing submitted by then.
	Overdue  bool
	Template reporting.Template
	Versions []reporting.Submission
	// Consolidated is set when the form is pre-filled from the accepted
	// reports of the level below (an upper level of a tiered cycle that
	// has sent nothing yet).
	Consolidated   *operations.Consolidation
	CanSubmit      bool
	FormAction     string
	IdempotencyKey string
	Receipt        *reporting.Submission
	// ReceiptValues are the receipt's figures as the page writes them.
	ReceiptValues map[string]string
	Errors        *formErrors
	// Checks are the figures to confirm before sending (soft checks).
	Checks *softChecks
	// FromFile names the format of the file whose figures the inputs show
	// for confirmation (csv, xlsx), "" for typed ones.
	FromFile string
	// Values are the inputs' values: as typed after a refusal, else the
	// latest version's figures in the page's notation.
	Values    map[string]string
	Narrative string
	// Actions are the obligation's reopens, nil reports and extension
	// requests; the Can* flags say which of them the caller may make now,
	// Pending is the request office staff may answer.
	Actions             []reporting.Action
	CanReopen           bool
	CanDeclareNil       bool
	CanRequestExtension bool
	Pending             *reporting.Action
	// Closed says the obligation has closed (khóa sổ): the page explains
	// what that means and, within LateFilingEnd, offers late filing
	// (CanFileLate) to an agency whose report was missing or not
	// accepted; PendingLate is the late filing office staff may answer.
	Closed         bool
	LateFilingDays int
	LateFilingEnd  time.Time
	CanFileLate    bool
	PendingLate    *reporting.Action
	// ActionErrors are why the last action was refused.
	ActionErrors []string
	// Report names the cycle for people ("Báo cáo tháng 11/2026").
	Report string
	// State is the obligation's classification now: its live state while
	// open, its final state once closed; NothingSent says no version and no
	// nil report came yet ("chưa nộp").
	State       string
	NothingSent bool
	// ReturnReason is why a returned report waits for a new version.
	ReturnReason string
	// VersionViews are every version's figures; Compare the difference
	// between two of them.
	VersionViews []versionView
	Compare      *versionComparison
	// PreviousPeriod names the period whose accepted figures the versions
	// are compared with.
	PreviousPeriod string
}

// agencyPage is an agency's page of a cycle, where the links of the
// notices lead: the deadlines and status, the form to submit (for the
// agency's officer), the receipt after submitting, and every version with
// its review.
func (s *Server) agencyPage(w http.ResponseWriter, r *http.Request) error {
	data, err := s.agencyPageData(r)
	if err != nil {
		return err
	}
	if number := r.URL.Query().Get("receipt"); number != "" {
		for i := range data.Versions {
			if data.Versions[i].ReceiptNumber == number {
				data.Receipt = &data.Versions[i]
				data.ReceiptValues = displayValues(data.Template, data.Receipt.Values, data.Lang)
			}
		}
	}
	return s.render(w, http.StatusOK, "agency", data)
}

func (s *Server) agencyPageData(r *http.Request) (agencyPage, error) {
	p := principal(r)
	lang := pageLang(r)
	d, err := s.ops.Obligation(r.Context(), caller(r), r.PathValue("id"), r.PathValue("code"))
	if err != nil {
		return agencyPage{}, err
	}
	c, a, o, versions, tmpl := d.Cycle, d.Agency, d.Obligation, d.Versions, d.Template
	data := agencyPage{pageBase: pageBase{Lang: lang, Title: a.NameVI + " · " + c.ID, User: p},
		Cycle: c, Agency: a, Obligation: o, Template: tmpl, Versions: versions,
		FormAction: "/cycles/" + c.ID + "/agencies/" + a.Code, IdempotencyKey: newFormKey(), Values: map[string]string{}}
	now := s.now()
	data.Overdue = o.MissedDue(now)
	data.CanSubmit = p.CanSubmitFor(a.Code) && o.MaySubmit(c.Status, now) == nil
	data.Actions = d.Actions
	for i := range d.Actions {
		if d.Actions[i].Status != reporting.ActionPending {
			continue
		}
		if d.Actions[i].Kind == reporting.ActionLateFiling {
			data.PendingLate = &d.Actions[i]
		} else {
			data.Pending = &d.Actions[i]
		}
	}
	data.Closed = o.Status.IsFinal()
	data.LateFilingDays = d.LateFilingDays
	data.LateFilingEnd = reporting.LateFilingEnd(o.Close, d.LateFilingDays)
	data.CanFileLate = p.CanSubmitFor(a.Code) && data.PendingLate == nil && o.MayFileLate(c.Status, now, d.LateFilingDays) == nil
	data.CanReopen = p.IsStaff() && o.MayReopen(c.Status, now) == nil
	data.CanDeclareNil = p.CanSubmitFor(a.Code) && o.MayDeclareNil(c.Status, now) == nil
	data.CanRequestExtension = p.CanSubmitFor(a.Code) && data.Pending == nil && o.MayRequestExtension(c.Status, now) == nil
	if !p.IsStaff() {
		data.Pending, data.PendingLate = nil, nil
	}
	if len(versions) > 0 {
		data.Values = displayValues(tmpl, versions[0].Values, lang)
		data.Narrative = versions[0].Narrative
	} else if data.CanSubmit && len(c.Tiers) > 0 {
		s.prefillConsolidation(r, &data)
	}
	data.Report = periodTitle(lang, c)
	data.Title = data.Report + " · " + messages.Name(lang, a.NameVI, a.NameEN)
	row := toObligationRow(o, now)
	data.State, data.NothingSent = row.State, len(versions) == 0 && !o.NilReport
	data.ReturnReason = returnReason(o, versions, d.Actions)
	prev, err := s.ops.PreviousFigures(r.Context(), caller(r), c.ID, a.Code)
	if err != nil {
		return agencyPage{}, err
	}
	data.PreviousPeriod = prev.Period
	data.VersionViews, data.Compare = agencyVersions(r, lang, tmpl, versions, prev.Values)
	return data, nil
}

// prefillConsolidation fills the form of an upper-level agency of a tiered
// cycle with its report consolidated from the level below, and a narrative
// that states the reports still missing; an agency of the lowest level has
// nothing to consolidate and keeps an empty form.
func (s *Server) prefillConsolidation(r *http.Request, data *agencyPage) {
	cons, err := s.ops.Consolidation(r.Context(), caller(r), data.Cycle.ID, data.Agency.Code)
	if err != nil {
		return
	}
	values := reporting.Values{}
	for code, v := range cons.Values {
		values[code] = v.Value
	}
	data.Consolidated = &cons
	data.Values = displayValues(data.Template, values, data.Lang)
	in := len(cons.Children) - len(cons.WaitingFor)
	data.Narrative = fmt.Sprintf(translate(data.Lang, "consolidated_from"), in, len(cons.Children))
	if len(cons.WaitingFor) > 0 {
		data.Narrative += " " + translate(data.Lang, "missing_below") + " " + strings.Join(cons.WaitingFor, ", ") + "."
	}
}

// actionForm runs a reopen, nil report or extension request from the
// agency page's forms, then shows the page again: with the problems when
// refused, with the action in its list when done.
func (s *Server) actionForm(run func(context.Context, operations.Caller, operations.ActionRequest) (reporting.Action, error)) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := parseSmallForm(r); err != nil {
			return err
		}
		_, err := run(r.Context(), caller(r), operations.ActionRequest{CycleID: r.PathValue("id"), AgencyCode: r.PathValue("code"),
			Reason: r.PostFormValue("reason"), RequestedDue: r.PostFormValue("due")})
		return s.afterAction(w, r, err)
	}
}

// decisionForm grants or refuses an extension request from the agency page.
func (s *Server) decisionForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "req", "extension request")
	if err != nil {
		return err
	}
	if err := parseSmallForm(r); err != nil {
		return err
	}
	_, err = s.ops.DecideRequest(r.Context(), caller(r), operations.RequestDecision{ActionID: id,
		Decision: reporting.ActionStatus(r.PostFormValue("decision")), Reason: r.PostFormValue("reason"), Due: r.PostFormValue("due")})
	return s.afterAction(w, r, err)
}

// afterAction shows the agency page again after a form's action: the
// problems of a refusal the caller can act on, else back to the page.
func (s *Server) afterAction(w http.ResponseWriter, r *http.Request, err error) error {
	if err != nil {
		data, derr := s.agencyPageData(r)
		if derr != nil {
			return derr
		}
		data.ActionErrors = userMessages(data.Lang, operationErrorIn(data.Lang, err))
		if data.ActionErrors == nil {
			return err
		}
		return s.render(w, toProblem(operationErrorIn(data.Lang, err)).Status, "agency", data)
	}
	http.Redirect(w, r, langLink(pageLang(r), "/cycles/"+r.PathValue("id")+"/agencies/"+r.PathValue("code")), http.StatusSeeOther)
	return nil
}

func parseSmallForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return errBadRequest(fmt.Sprintf("cannot read the form: %v", err))
	}
	return nil
}

// newFormKey is the idempotency key of one rendering of a form: sending the
// same form twice stores one version.
func newFormKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "form-" + hex.EncodeToString(b)
}

// submitForm stores what an officer typed or attached on the agency page,
// then shows the receipt; a refused report shows the page again with every
// problem and the values as typed.
func (s *Server) submitForm(w http.ResponseWriter, r *http.Request) error {
	data, err := s.agencyPageData(r)
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(64 << 10); errors.Is(err, http.ErrNotMultipart) {
		err = r.ParseForm()
		if err != nil {
			return errBadRequest(fmt.Sprintf("cannot read the form: %v", err))
		}
	} else if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return errBadRequest(fmt.Sprintf("cannot read the form: %v", err))
	}
	if r.MultipartForm != nil {
		defer func() { _ = r.MultipartForm.RemoveAll() }()
	}
	if err := checkForm(r); err != nil {
		return err
	}
	values, typed, problems := readFormValues(r, data.Template, formNotation(r, data.Lang), data.Lang)
	body := submissionBody{Source: "form", Narrative: r.FormValue("narrative"), Values: values}
	if from := r.FormValue("from_file"); from == "csv" || from == "xlsx" {
		// The figures of a file, shown in the inputs to be confirmed.
		body.Source = from
	}
	data.Values, data.Narrative = typed, body.Narrative
	var readErr error
	if len(problems) > 0 {
		readErr = &reporting.InputError{Fields: problems}
	}
	if file, header, err := r.FormFile("file"); err == nil {
		content, err := io.ReadAll(file)
		_ = file.Close()
		if err != nil {
			return err
		}
		if len(content) > 0 {
			readErr = nil // the file's figures are used, not the inputs'
			body.Source = fileFormat(header.Filename, header.Header.Get("Content-Type"), content)
			body.Values, readErr = s.readSheet(r.Context(), body.Source, content, data.Template)
		}
	}
	var receipt operations.Receipt
	err = operationErrorIn(data.Lang, readErr)
	if err == nil {
		err = body.check()
	}
	if err == nil {
		// The soft checks apply to a file's figures as to the typed ones:
		// a file's flagged figures come back in the inputs, to be
		// confirmed (or corrected) with the same button.
		if data.Checks, err = s.formSoftChecks(r, data, body.Values); err != nil {
			return err
		}
		if data.Checks != nil {
			if body.Source != "form" {
				data.Values, data.FromFile = displayValues(data.Template, body.Values, data.Lang), body.Source
			}
			return s.render(w, http.StatusOK, "agency", data)
		}
	}
	if err == nil {
		receipt, err = s.ops.Submit(r.Context(), caller(r), operations.SubmitRequest{CycleID: data.Cycle.ID, AgencyCode: data.Agency.Code,
			Values: body.Values, Narrative: body.Narrative, Source: body.Source, IdempotencyKey: r.FormValue("idempotency_key")})
		err = operationErrorIn(data.Lang, err)
	}
	s.counts.submission(body.Source, receipt, err)
	if err != nil {
		data.Errors = submissionErrors(data.Lang, data.Template, err)
		if data.Errors == nil {
			return err
		}
		return s.render(w, toProblem(err).Status, "agency", data)
	}
	target := fmt.Sprintf("/cycles/%s/agencies/%s?receipt=%s", data.Cycle.ID, data.Agency.Code, url.QueryEscape(receipt.Number))
	http.Redirect(w, r, langLink(data.Lang, target), http.StatusSeeOther)
	return nil
}

type reviewPage struct {
	pageBase
	Submission reporting.Submission
	Agency     reporting.Agency
	Obligation reporting.Obligation
	Template   reporting.Template
	Latest     bool
	// Rows compare each figure with the previous period's and version's.
	Rows               []figureRow
	PreviousPeriod     string
	HasPreviousVersion bool
	FormAction         string
	Errors             []string
	Reason             string
}

// reviewPage shows office staff a version with its figures, and the form to
// accept it or return it with a reason.
func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) error {
	data, err := s.reviewPageData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "review", data)
}

func (s *Server) reviewPageData(r *http.Request) (reviewPage, error) {
	lang := pageLang(r)
	id, err := pathID(r, "id", "submission")
	if err != nil {
		return reviewPage{}, err
	}
	rc, err := s.ops.ReviewCase(r.Context(), caller(r), id)
	if err != nil {
		return reviewPage{}, err
	}
	sub, a, o, tmpl := rc.Submission, rc.Agency, rc.Obligation, rc.Template
	data := reviewPage{pageBase: pageBase{Lang: lang, Title: translate(lang, "review") + " " + sub.ReceiptNumber, User: principal(r)},
		Submission: sub, Agency: a, Obligation: o, Template: tmpl, Latest: sub.Version == o.Versions,
		HasPreviousVersion: sub.Version > 1, FormAction: fmt.Sprintf("/review/%d", sub.ID)}
	data.Rows, data.PreviousPeriod, err = s.reviewRows(r, data)
	return data, err
}

// reviewForm records the decision of the review page.
func (s *Server) reviewForm(w http.ResponseWriter, r *http.Request) error {
	data, err := s.reviewPageData(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return err
		}
		return errBadRequest(fmt.Sprintf("cannot read the form: %v", err))
	}
	if err := checkForm(r); err != nil {
		return err
	}
	req := api.ReviewRequest{Decision: r.PostFormValue("decision"), Reason: r.PostFormValue("reason")}
	if _, err := s.decide(r, data.Submission.ID, req); err != nil {
		data.Errors, data.Reason = userMessages(data.Lang, err), req.Reason
		if data.Errors == nil {
			return err
		}
		return s.render(w, toProblem(err).Status, "review", data)
	}
	http.Redirect(w, r, langLink(data.Lang, data.FormAction), http.StatusSeeOther)
	return nil
}
