package web

import (
	"fmt"
	"net/http"
	"time"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
)

func (s *Server) regimeRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/regimes", Op: operations.OpCreateRegime, Handle: s.createRegime},
		{Method: "GET", Path: "/api/v1/regimes", Op: operations.OpReadRegimes, Handle: s.listRegimes},
		{Method: "GET", Path: "/api/v1/regimes/{code}", Op: operations.OpReadRegimes, Handle: s.getRegime},
		{Method: "PUT", Path: "/api/v1/regimes/{code}/assignments", Op: operations.OpAssignRegime, Upload: true, Handle: s.setAssignments},
	}
}

// Policy defaults when a regime leaves them out, as in the schema.
const (
	defaultReviewTime = 3 * 24 * time.Hour
	defaultCloseAfter = 10 * 24 * time.Hour
)

func toRegimeJSON(r reporting.Regime) api.Regime {
	out := api.Regime{Code: r.Code, NameVI: r.NameVI, NameEN: r.NameEN, Template: r.TemplateCode,
		Cadence: string(r.Cadence), Windows: string(r.Windows), DeadlineRule: r.DeadlineRule.String(), Estimates: r.Estimates,
		Timeliness: string(r.Timeliness), SoftCheckFactor: r.SoftCheckFactor, LateFilingDays: r.LateFilingDays, TimeZone: r.TimeZone, SendTime: r.SendTime.String(),
		Holidays:   r.Holidays,
		ReviewerID: r.ReviewerID, Assignments: toAssignmentsJSON(r.Assignments), Policy: reporting.DocOf(r.Policy)}
	for i, t := range r.Tiers {
		tj := api.Tier{Level: i + 1, NameVI: t.NameVI, NameEN: t.NameEN, Depth: t.Depth, DeadlineRule: t.DeadlineRule.String()}
		if t.Chase != nil {
			doc := reporting.DocOf(*t.Chase)
			tj.ReminderOffsets, tj.Escalations = &doc.ReminderOffsets, &doc.Escalations
		}
		out.Tiers = append(out.Tiers, tj)
	}
	return out
}

func toAssignmentsJSON(as []reporting.Assignment) []api.Assignment {
	out := make([]api.Assignment, len(as))
	for i, a := range as {
		out[i] = api.Assignment{Agency: a.AgencyCode, ActiveFrom: a.ActiveFrom, ActiveUntil: a.ActiveUntil}
	}
	return out
}

func toAssignments(in []api.Assignment) []reporting.Assignment {
	out := make([]reporting.Assignment, len(in))
	for i, a := range in {
		out[i] = reporting.Assignment{AgencyCode: a.Agency, ActiveFrom: a.ActiveFrom, ActiveUntil: a.ActiveUntil}
	}
	return out
}

// regimeToStore reads the regime, naming each field that does not parse.
func regimeToStore(rj api.Regime) (reporting.Regime, error) {
	var fields reporting.FieldErrors
	bad := fields.Add
	r := reporting.Regime{Code: rj.Code, NameVI: rj.NameVI, NameEN: rj.NameEN, TemplateCode: rj.Template,
		TimeZone: rj.TimeZone, Holidays: rj.Holidays, SoftCheckFactor: rj.SoftCheckFactor, LateFilingDays: rj.LateFilingDays, ReviewerID: rj.ReviewerID, Assignments: toAssignments(rj.Assignments)}
	cadence, err := reporting.ParseCadence(rj.Cadence)
	if err != nil {
		bad("cadence", "%v", err)
	}
	r.Cadence = cadence
	if r.Timeliness = reporting.Timeliness(rj.Timeliness); rj.Timeliness != "" && !r.Timeliness.IsValid() {
		bad("timeliness", "%q is unknown; use accepted_version (on time when the version finally accepted came before due) or first_version (when the first version did)", rj.Timeliness)
	}
	if r.DeadlineRule, err = reporting.ParseDeadlineRule(rj.DeadlineRule); err != nil {
		bad("deadline_rule", "%v", err)
	}
	if r.Windows, err = reporting.ParseWindows(rj.Windows); err != nil {
		bad("windows", "%v", err)
	}
	r.Estimates, r.SendTime = rj.Estimates, reporting.DefaultSendTime
	if rj.SendTime != "" {
		if r.SendTime, err = reporting.ParseClockTime(rj.SendTime); err != nil {
			bad("send_time", "%v", err)
		} else if r.SendTime == 0 {
			bad("send_time", "00:00 is the midnight mail a send time avoids; choose an office hour such as 08:00")
		}
	}
	for i, tj := range rj.Tiers {
		t := reporting.Tier{Level: i + 1, NameVI: tj.NameVI, NameEN: tj.NameEN, Depth: tj.Depth}
		if tj.Level != 0 && tj.Level != i+1 {
			bad(fmt.Sprintf("tiers[%d].level", i), "levels are numbered by their order, lowest first: this is level %d, not %d (or leave level out)", i+1, tj.Level)
		}
		if tj.DeadlineRule != "" {
			if t.DeadlineRule, err = reporting.ParseDeadlineRule(tj.DeadlineRule); err != nil {
				bad(fmt.Sprintf("tiers[%d].deadline_rule", i), "%v", err)
			}
		}
		r.Tiers = append(r.Tiers, t)
	}
	policy, problems := rj.Policy.Parse(defaultReviewTime, defaultCloseAfter)
	fields = append(fields, reporting.Under("policy.", problems)...)
	r.Policy = policy
	for i, tj := range rj.Tiers {
		chase, problems := tierChase(tj, policy)
		fields = append(fields, reporting.Under(fmt.Sprintf("tiers[%d].", i), problems)...)
		r.Tiers[i].Chase = chase
	}
	if len(fields) > 0 {
		return reporting.Regime{}, errValidation("some fields of the regime are refused; correct them and send it again", fields...)
	}
	return r, nil
}

// tierChase reads a level's own reminders and escalation ladder; what the
// level leaves out is the regime's policy's, and a level that gives neither
// is chased by the regime's (nil).
func tierChase(tj api.Tier, regime reporting.Policy) (*reporting.Policy, []reporting.FieldError) {
	if tj.ReminderOffsets == nil && tj.Escalations == nil {
		return nil, nil
	}
	doc := reporting.DocOf(regime)
	if tj.ReminderOffsets != nil {
		doc.ReminderOffsets = *tj.ReminderOffsets
	}
	if tj.Escalations != nil {
		doc.Escalations = *tj.Escalations
	}
	p, problems := doc.Parse(0, 0)
	return &reporting.Policy{ReminderOffsets: p.ReminderOffsets, Escalations: p.Escalations}, problems
}

func (s *Server) createRegime(w http.ResponseWriter, r *http.Request) error {
	var req api.Regime
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	regime, err := regimeToStore(req)
	if err != nil {
		return err
	}
	created, err := s.ops.CreateRegime(r.Context(), caller(r), regime)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/regimes/"+regime.Code)
	writeJSON(w, http.StatusCreated, toRegimeJSON(created))
	return nil
}

func (s *Server) listRegimes(w http.ResponseWriter, r *http.Request) error {
	regimes, err := s.ops.ListRegimes(r.Context(), caller(r))
	if err != nil {
		return err
	}
	items := make([]api.Regime, len(regimes))
	for i, rg := range regimes {
		items[i] = toRegimeJSON(rg)
	}
	writeJSON(w, http.StatusOK, api.Page[api.Regime]{Items: items})
	return nil
}

func (s *Server) getRegime(w http.ResponseWriter, r *http.Request) error {
	regime, err := s.ops.Regime(r.Context(), caller(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toRegimeJSON(regime))
	return nil
}

// setAssignments replaces the agencies a regime expects reports from.
func (s *Server) setAssignments(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	var req []api.Assignment
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	regime, err := s.ops.SetAssignments(r.Context(), caller(r), code, toAssignments(req))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toRegimeJSON(regime))
	return nil
}
