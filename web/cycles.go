package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"rcm/api"
	"rcm/messages"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/workflows"
)

func (s *Server) cycleRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/cycles", Op: operations.OpLaunchCycle, Handle: s.launchCycle},
		{Method: "POST", Path: "/api/v1/cycles/plan", Op: operations.OpPlanLaunch, Handle: s.planLaunch},
		{Method: "GET", Path: "/api/v1/cycles", Op: operations.OpReadCycles, Handle: s.listCycles},
		{Method: "GET", Path: "/api/v1/cycles/{id}", Op: operations.OpReadCycles, Handle: s.getCycle},
		{Method: "GET", Path: "/api/v1/cycles/{id}/timeline", Op: operations.OpReadTimeline, Handle: s.cycleTimeline},
		{Method: "POST", Path: "/api/v1/cycles/{id}/extensions", Op: operations.OpExtendCycle, Handle: s.extendCycle},
		{Method: "POST", Path: "/api/v1/cycles/{id}/close", Op: operations.OpCloseCycle, Handle: s.closeCycle},
		{Method: "POST", Path: "/api/v1/cycles/{id}/cancel", Op: operations.OpCancelCycle, Handle: s.cancelCycle},
	}
}

func errUnavailable(detail string) *apiError {
	return problem(http.StatusServiceUnavailable, typeUnavailable, "A service rcm needs is unavailable", detail)
}

// caller is the request's caller as operations knows it.
func caller(r *http.Request) operations.Caller {
	return operations.Caller{Principal: principal(r), RemoteAddr: remoteAddr(r)}
}

// operationError turns an error of operations into the problem to answer
// with: each refused field and indicator named, in the caller's language;
// the message of operations, which names the cycle and says why, as the
// detail (toProblem maps the rest).
func operationError(r *http.Request, err error) error { return operationErrorIn(requestLang(r), err) }

// operationErrorIn is operationError with the language of indicator problems given.
func operationErrorIn(lang messages.Lang, err error) error {
	var inErr *reporting.InputError
	if errors.As(err, &inErr) {
		detail := messages.Text(messages.English, "problem.indicators_refused")
		if lang == messages.Vietnamese && slices.ContainsFunc(inErr.Fields, func(f reporting.FieldError) bool { return f.Indicator != "" }) {
			detail = messages.Text(lang, "problem.indicators_refused")
		}
		return errValidationIn(lang, detail, inErr.Fields...)
	}
	return err // toProblem maps forbidden, unavailable, not found and conflict
}

// requestLang is the language to answer people in: ?lang=, else the first
// of vi and en the Accept-Language header prefers, else the caller's own,
// else Vietnamese.
func requestLang(r *http.Request) messages.Lang {
	own := ""
	if p, ok := PrincipalFrom(r.Context()); ok {
		own = p.Language
	}
	return messages.Negotiate(messages.Explicit(r.URL.Query().Get("lang")),
		messages.AcceptLanguage(r.Header.Get("Accept-Language")), messages.Own(own))
}

func toCycleJSON(c reporting.Cycle) api.Cycle {
	out := api.Cycle{ID: c.ID, Regime: c.RegimeCode, Period: c.Period, Status: string(c.Status),
		WindowStart: c.WindowStart, WindowEnd: c.WindowEnd, TimeZone: c.TimeZone,
		CutOff: c.CutOff, Due: c.Due, Estimates: c.Estimates, Close: c.Close, Expected: c.Expected, Policy: reporting.DocOf(c.Policy),
		LaunchedAt: c.LaunchedAt, OpenedAt: c.OpenedAt, ClosedAt: c.ClosedAt, CancelReason: c.CancelReason}
	for _, t := range c.Tiers {
		out.Tiers = append(out.Tiers, toCycleTierJSON(t))
	}
	return out
}

func toCycleTierJSON(t reporting.CycleTier) api.CycleTier {
	return api.CycleTier{Level: t.Level, NameVI: t.NameVI, NameEN: t.NameEN, Depth: t.Depth, Due: t.Due, Close: t.Close}
}

// fieldCollector gathers the refused fields of a request, and reads the
// fields written as in a regime's policy.
type fieldCollector struct{ reporting.FieldErrors }

func (fc *fieldCollector) bad(field, format string, args ...any) { fc.Add(field, format, args...) }

// offset reads an offset field; "" is nil.
func (fc *fieldCollector) offset(field, text string) *time.Duration {
	if text == "" {
		return nil
	}
	d, err := reporting.ParseOffset(text)
	if err != nil {
		fc.bad(field, "%v", err)
		return nil
	}
	return &d
}

// escalations reads escalation steps written as in a regime's policy.
func (fc *fieldCollector) escalations(prefix string, in []reporting.EscalationDoc) []reporting.EscalationStep {
	steps, problems := reporting.ParseEscalationDocs(prefix, in)
	fc.FieldErrors = append(fc.FieldErrors, problems...)
	return steps
}

// parseInstant reads a deadline: "+2m" (that long from now), a date
// "2026-12-15" (the end of that day in loc) or an RFC 3339 instant.
func parseInstant(text string, loc *time.Location, now time.Time) (time.Time, error) {
	text = strings.TrimSpace(text)
	switch {
	case strings.HasPrefix(text, "+"):
		d, err := reporting.ParseOffset(text[1:])
		if err != nil {
			return time.Time{}, err
		}
		return now.Add(d), nil
	case len(text) == len("2006-01-02"):
		d, err := reporting.ParseDate(text)
		if err != nil {
			return time.Time{}, err
		}
		return d.End(loc), nil
	}
	t, err := time.Parse(time.RFC3339, text)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a deadline: write +2m (from now), a date such as 2026-12-15 (the end of that day), or an RFC 3339 time such as 2026-12-15T17:00:00+07:00", text)
	}
	return t, nil
}

// regimeLocation is the time zone of a regime, for dates written without one.
func (s *Server) regimeLocation(r *http.Request, regimeCode string) *time.Location {
	zone := reporting.DefaultZone
	if rg, err := s.ops.Regime(r.Context(), caller(r), regimeCode); err == nil && rg.TimeZone != "" {
		zone = rg.TimeZone
	}
	loc, err := reporting.LoadLocation(zone)
	if err != nil {
		return time.UTC
	}
	return loc
}

func (s *Server) launchCycle(w http.ResponseWriter, r *http.Request) error {
	lr, err := s.readLaunch(r)
	if err != nil {
		return err
	}
	cyc, err := s.ops.Launch(r.Context(), caller(r), lr)
	if err != nil {
		return operationError(r, err)
	}
	w.Header().Set("Location", "/api/v1/cycles/"+cyc.ID)
	writeJSON(w, http.StatusCreated, toCycleJSON(cyc))
	return nil
}

// planLaunch answers what launching the body's cycle would send, without
// launching it.
func (s *Server) planLaunch(w http.ResponseWriter, r *http.Request) error {
	lr, err := s.readLaunch(r)
	if err != nil {
		return err
	}
	plan, err := s.ops.PlanLaunch(r.Context(), caller(r), lr)
	if err != nil {
		return operationError(r, err)
	}
	writeJSON(w, http.StatusOK, toLaunchPlanJSON(plan))
	return nil
}

// readLaunch reads the JSON body of a launch or of its plan.
func (s *Server) readLaunch(r *http.Request) (operations.LaunchRequest, error) {
	var req api.Launch
	if err := decodeJSON(r, &req); err != nil {
		return operations.LaunchRequest{}, err
	}
	return s.launchRequest(r, req)
}

// launchRequest checks the fields of a launch, naming each one refused.
func (s *Server) launchRequest(r *http.Request, req api.Launch) (operations.LaunchRequest, error) {
	var fc fieldCollector
	if req.Regime == "" {
		fc.bad("regime", "required; `rcm regime list` shows the regimes")
	}
	if req.Period == "" {
		fc.bad("period", "required, such as 2026-10, 2026-Q1, 2026-H1, 2026-9M or 2026")
	}
	lr := operations.LaunchRequest{RegimeCode: req.Regime, Period: req.Period,
		ReviewTime: fc.offset("review_time", req.ReviewTime), CloseAfter: fc.offset("close_after", req.CloseAfter)}
	if req.Due != "" {
		due, err := parseInstant(req.Due, s.regimeLocation(r, req.Regime), s.now())
		if err != nil {
			fc.bad("due", "%v", err)
		}
		lr.Due = &due
	}
	for i, td := range req.TierDue {
		due, err := parseInstant(td.Due, s.regimeLocation(r, req.Regime), s.now())
		if err != nil {
			fc.bad(fmt.Sprintf("tier_due[%d].due", i), "%v", err)
			continue
		}
		if _, twice := lr.TierDue[td.Level]; twice {
			fc.bad(fmt.Sprintf("tier_due[%d].level", i), "level %d is given twice; keep one", td.Level)
		}
		if lr.TierDue == nil {
			lr.TierDue = make(map[int]time.Time)
		}
		lr.TierDue[td.Level] = due
	}
	if req.ReminderOffsets != nil {
		offsets := make([]time.Duration, 0, len(*req.ReminderOffsets))
		for i, o := range *req.ReminderOffsets {
			if d := fc.offset(fmt.Sprintf("reminder_offsets[%d]", i), o); d != nil {
				offsets = append(offsets, *d)
			}
		}
		lr.ReminderOffsets = &offsets
	}
	if req.Escalations != nil {
		steps := fc.escalations("escalations", *req.Escalations)
		lr.Escalations = &steps
	}
	if len(fc.FieldErrors) > 0 {
		return lr, errValidationIn(requestLang(r), "some fields of the launch are refused; correct them and send it again", fc.FieldErrors...)
	}
	return lr, nil
}

// toLaunchPlanJSON writes a launch plan as the API answers it.
func toLaunchPlanJSON(plan operations.LaunchPlan) api.LaunchPlan {
	c := plan.Cycle
	out := api.LaunchPlan{ID: c.ID, Regime: c.RegimeCode, Period: c.Period, WindowStart: c.WindowStart, WindowEnd: c.WindowEnd,
		TimeZone: c.TimeZone, CutOff: c.CutOff, Due: c.Due, Close: c.Close, Estimates: c.ReportsEstimates(), Policy: reporting.DocOf(c.Policy),
		SendTime: plan.SendTime.String(), Agencies: plan.Audience.Agencies,
		NoOfficerAddress: agencyRefs(plan.Audience.NoOfficer), NoHeadAddress: agencyRefs(plan.Audience.NoHead),
		Supervisors: plan.Audience.Supervisors, Unsupervised: plan.Audience.Unsupervised, Staff: plan.Audience.Staff,
		Sends: make([]api.PlannedSend, len(plan.Sends))}
	out.LabelVI, out.LabelEN = periodLabels(c.Period)
	for i, m := range plan.Sends {
		out.Sends[i] = api.PlannedSend{At: m.At, Kind: string(m.Kind), Step: m.Step, Of: m.Of, Recipients: recipientCodes(m.Recipients),
			Count: m.Count, NoAddress: m.NoAddress, When: string(m.When)}
	}
	return out
}

// periodLabels names a period in Vietnamese and English ("Tháng 11/2026",
// "November 2026"); both are empty for a period that does not parse.
func periodLabels(period string) (vi, en string) {
	p, err := reporting.ParsePeriod(period)
	if err != nil {
		return "", ""
	}
	return messages.PeriodLabel(messages.Vietnamese, p), messages.PeriodLabel(messages.English, p)
}

// recipientCodes writes recipients as the API does ("officer", "head").
func recipientCodes(rs []reporting.Recipient) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

func agencyRefs(in []reporting.Agency) []api.AgencyRef {
	out := make([]api.AgencyRef, len(in))
	for i, a := range in {
		out[i] = api.AgencyRef{Code: a.Code, NameVI: a.NameVI, NameEN: a.NameEN}
	}
	return out
}

// listCycles lists cycles, newest first (?regime=, ?status=).
func (s *Server) listCycles(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	cycles, err := s.ops.ListCycles(r.Context(), caller(r), store.CycleFilter{
		RegimeCode: q.Get("regime"), Status: reporting.CycleStatus(q.Get("status")), After: q.Get("after"), Limit: limit + 1})
	if err != nil {
		return err
	}
	items := make([]api.Cycle, len(cycles))
	for i, c := range cycles {
		items[i] = toCycleJSON(c)
	}
	writeJSON(w, http.StatusOK, makePage(items, limit, func(c api.Cycle) string { return c.ID }))
	return nil
}

// cycle returns the cycle the path's {id} names.
func (s *Server) cycle(r *http.Request) (reporting.Cycle, error) {
	return s.ops.Cycle(r.Context(), caller(r), r.PathValue("id"))
}

// getCycle answers a cycle with its obligations counted by status within
// the caller's scope.
func (s *Server) getCycle(w http.ResponseWriter, r *http.Request) error {
	c, err := s.cycle(r)
	if err != nil {
		return err
	}
	writeCycle(w, r, s, c, http.StatusOK)
	return nil
}

func writeCycle(w http.ResponseWriter, r *http.Request, s *Server, c reporting.Cycle, status int) {
	out := toCycleJSON(c)
	counts, err := s.ops.StatusCounts(r.Context(), caller(r), c.ID)
	if err != nil {
		s.log.Warn("status counts", "cycle", c.ID, "error", err)
	} else {
		n := 0
		out.Counts = make(map[string]int, len(counts))
		for status, v := range counts {
			out.Counts[string(status)] = v
			n += v
		}
		out.InScope = &n
	}
	writeJSON(w, status, out)
}

func toTimelineJSON(v workflows.TimelineView) api.Timeline {
	out := api.Timeline{Cycle: v.CycleID, Status: string(v.Status), Expected: v.Expected, Moments: []api.Moment{}}
	for _, m := range v.Moments {
		mj := api.Moment{At: m.At, Kind: string(m.Kind), Step: m.Step, Of: m.Of, Tier: m.Tier, Done: m.Done}
		if m.Result != nil {
			res := api.WaveResult(*m.Result)
			mj.Result = &res
		}
		out.Moments = append(out.Moments, mj)
	}
	return out
}

func (s *Server) cycleTimeline(w http.ResponseWriter, r *http.Request) error {
	view, err := s.ops.Timeline(r.Context(), caller(r), r.PathValue("id"))
	if errors.Is(err, operations.ErrNotFound) && !strings.Contains(err.Error(), "no longer kept") {
		return errNotFound("cycle", r.PathValue("id"))
	}
	if err != nil {
		return operationError(r, err)
	}
	writeJSON(w, http.StatusOK, toTimelineJSON(view))
	return nil
}

func (s *Server) extendCycle(w http.ResponseWriter, r *http.Request) error {
	c, err := s.cycle(r)
	if err != nil {
		return err
	}
	var req api.ExtensionRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	loc, err := reporting.LoadLocation(c.TimeZone)
	if err != nil {
		return err
	}
	var fc fieldCollector
	er := operations.ExtendRequest{CycleID: c.ID, AgencyCode: req.Agency, Reason: req.Reason}
	if req.Due == "" {
		fc.bad("due", "required: a date such as 2026-12-15 (the end of that day, %s) or an RFC 3339 time", c.TimeZone)
	} else if er.Due, err = parseInstant(req.Due, loc, s.now()); err != nil {
		fc.bad("due", "%v", err)
	}
	if req.Close != "" {
		closeAt, err := parseInstant(req.Close, loc, s.now())
		if err != nil {
			fc.bad("close", "%v", err)
		}
		er.Close = &closeAt
	}
	if len(fc.FieldErrors) > 0 {
		return errValidation("some fields of the extension are refused; correct them and send it again", fc.FieldErrors...)
	}
	ext, err := s.ops.Extend(r.Context(), caller(r), er)
	if err != nil {
		return operationError(r, err)
	}
	writeJSON(w, http.StatusCreated, api.Extension{ID: ext.ID, Cycle: ext.CycleID, Agency: ext.AgencyCode, OldDue: ext.OldDue,
		Due: ext.Due, Close: ext.Close, Reason: ext.Reason, CreatedAt: ext.CreatedAt, Affected: ext.Affected})
	return nil
}

func readReason(r *http.Request) (string, error) {
	var req api.Reason
	if err := decodeJSON(r, &req); err != nil {
		return "", err
	}
	reason := strings.TrimSpace(req.Reason)
	if reason == "" {
		return "", errValidation("say why; the reason is recorded and the agencies may be told",
			reporting.FieldError{Field: "reason", Reason: "required"})
	}
	return reason, nil
}

// closeCycle closes the cycle now: the cycle workflow classifies,
// aggregates and summarises, so the answer is 202 and the cycle shows
// closed shortly after.
func (s *Server) closeCycle(w http.ResponseWriter, r *http.Request) error {
	return s.endCycle(w, r, s.ops.Close, http.StatusAccepted)
}

// cancelCycle cancels the cycle: no more notices, no final states.
func (s *Server) cancelCycle(w http.ResponseWriter, r *http.Request) error {
	return s.endCycle(w, r, s.ops.Cancel, http.StatusOK)
}

// endCycle runs close or cancel with the body's reason and answers the cycle.
func (s *Server) endCycle(w http.ResponseWriter, r *http.Request,
	end func(ctx context.Context, c operations.Caller, cycleID, reason string) error, status int) error {
	reason, err := readReason(r)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := end(r.Context(), caller(r), id, reason); err != nil {
		return operationError(r, err)
	}
	c, err := s.ops.Cycle(r.Context(), caller(r), id)
	if err != nil {
		return err
	}
	writeCycle(w, r, s, c, status)
	return nil
}
