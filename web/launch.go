package web

import (
	"net/http"
	"net/url"
	"rcm/messages"
	"strings"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
)

// launchForm is the launch page's form as typed: the regime and period,
// and the optional overrides of `rcm cycle launch` (empty keeps the
// regime's own).
type launchForm struct {
	Regime, Period, Due, Reminders, Escalations, ReviewTime, CloseAfter string
}

// values are the form's fields, to carry from the preview to the launch.
func (lf launchForm) values() url.Values {
	v := url.Values{"regime": {lf.Regime}, "period": {lf.Period}}
	for k, s := range map[string]string{"due": lf.Due, "reminders": lf.Reminders, "escalations": lf.Escalations,
		"review_time": lf.ReviewTime, "close_after": lf.CloseAfter} {
		if s != "" {
			v.Set(k, s)
		}
	}
	return v
}

// readLaunchForm reads the form from the query (the preview) or the posted
// form (the launch).
func readLaunchForm(get func(string) string) launchForm {
	f := func(k string) string { return strings.TrimSpace(get(k)) }
	return launchForm{Regime: f("regime"), Period: f("period"), Due: f("due"), Reminders: f("reminders"),
		Escalations: f("escalations"), ReviewTime: f("review_time"), CloseAfter: f("close_after")}
}

// body is the form as the API's launch reads it; a step that does not
// read is a refused field.
func (lf launchForm) body() (api.Launch, reporting.FieldErrors) {
	body := api.Launch{Regime: lf.Regime, Period: lf.Period, Due: lf.Due, ReviewTime: lf.ReviewTime, CloseAfter: lf.CloseAfter}
	var problems reporting.FieldErrors
	if lf.Reminders != "" {
		offsets := []string{}
		for _, o := range strings.Split(lf.Reminders, ",") {
			if o = strings.TrimSpace(o); o != "" {
				offsets = append(offsets, o)
			}
		}
		body.ReminderOffsets = &offsets
	}
	if lf.Escalations != "" {
		steps := []reporting.EscalationDoc{}
		for _, s := range strings.Split(lf.Escalations, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			e, err := reporting.ParseEscalationText(s)
			if err != nil {
				problems.Add("escalations", "%v", err)
				continue
			}
			steps = append(steps, e)
		}
		body.Escalations = &steps
	}
	return body, problems
}

// sendRow is a planned send as the page shows it.
type sendRow struct {
	operations.PlannedSend
	// Recipients name who receives it, in the page's language.
	Recipients string
}

type launchPage struct {
	pageBase
	Regimes []reporting.Regime
	Form    launchForm
	Errors  *formErrors
	Plan    *operations.LaunchPlan
	Report  string
	Sends   []sendRow
	// Flagged counts the sends outside office hours.
	Flagged int
	// Hidden are the form's fields the launch button sends again.
	Hidden url.Values
}

// launchPage shows office staff the launch form and, once a regime and a
// period are given, the preview of everything the cycle would send, with
// the button that launches it (no script: a GET form, then a POST form).
func (s *Server) launchPage(w http.ResponseWriter, r *http.Request) error {
	data, err := s.launchPageData(r, readLaunchForm(r.URL.Query().Get))
	if err != nil {
		return err
	}
	if data.Form.Regime != "" || data.Form.Period != "" {
		plan, err := s.plan(r, data.Form)
		if err != nil {
			if data.Errors = launchErrors(data.Lang, err); data.Errors == nil {
				return err
			}
			return s.render(w, toProblem(err).Status, "launch", data)
		}
		s.showPlan(&data, plan)
	}
	return s.render(w, http.StatusOK, "launch", data)
}

// launchFormPost launches the cycle of the preview, then goes to its dashboard;
// a refusal shows the page again with the reasons.
func (s *Server) launchFormPost(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(r); err != nil {
		return err
	}
	if err := checkForm(r); err != nil {
		return err
	}
	data, err := s.launchPageData(r, readLaunchForm(r.PostFormValue))
	if err != nil {
		return err
	}
	lr, err := s.formLaunchRequest(r, data.Form)
	var cyc reporting.Cycle
	if err == nil {
		cyc, err = s.ops.Launch(r.Context(), caller(r), lr)
		err = operationErrorIn(data.Lang, err)
	}
	if err != nil {
		if data.Errors = launchErrors(data.Lang, err); data.Errors == nil {
			return err
		}
		if plan, perr := s.plan(r, data.Form); perr == nil {
			s.showPlan(&data, plan)
		}
		return s.render(w, toProblem(err).Status, "launch", data)
	}
	http.Redirect(w, r, langLink(data.Lang, "/cycles/"+cyc.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) launchPageData(r *http.Request, form launchForm) (launchPage, error) {
	lang := pageLang(r)
	regimes, err := s.ops.ListRegimes(r.Context(), caller(r))
	if err != nil {
		return launchPage{}, err
	}
	return launchPage{pageBase: pageBase{Lang: lang, Title: translate(lang, "launch_title"), User: principal(r)},
		Regimes: regimes, Form: form}, nil
}

// formLaunchRequest checks the form's fields as the API's launch does.
func (s *Server) formLaunchRequest(r *http.Request, form launchForm) (operations.LaunchRequest, error) {
	body, problems := form.body()
	if len(problems) > 0 {
		return operations.LaunchRequest{}, errValidationIn(pageLang(r), "some fields of the launch are refused", problems...)
	}
	return s.launchRequest(r, body)
}

// plan asks operations for the preview of the form's cycle.
func (s *Server) plan(r *http.Request, form launchForm) (operations.LaunchPlan, error) {
	lr, err := s.formLaunchRequest(r, form)
	if err != nil {
		return operations.LaunchPlan{}, err
	}
	plan, err := s.ops.PlanLaunch(r.Context(), caller(r), lr)
	return plan, operationErrorIn(pageLang(r), err)
}

// showPlan puts the plan on the page.
func (s *Server) showPlan(data *launchPage, plan operations.LaunchPlan) {
	data.Plan = &plan
	data.Report = periodTitle(data.Lang, plan.Cycle)
	data.Hidden = data.Form.values()
	for _, send := range plan.Sends {
		names := make([]string, len(send.Recipients))
		for i, rc := range send.Recipients {
			names[i] = messages.EventName(data.Lang, string(rc))
		}
		if send.Kind == reporting.EventClose {
			names = []string{translate(data.Lang, "staff_and_supervisors")}
		}
		data.Sends = append(data.Sends, sendRow{PlannedSend: send, Recipients: strings.Join(names, " + ")})
		if send.When != reporting.SendInHours {
			data.Flagged++
		}
	}
}

// launchInputs are the launch form's inputs, by the fields of a launch.
var launchInputs = []struct{ prefix, id, key string }{
	{"regime", "regime", "launch_regime"},
	{"period", "period", "launch_period"},
	{"due", "due", "launch_due"},
	{"reminder_offsets", "reminders", "launch_reminders"},
	{"escalations", "escalations", "launch_escalations"},
	{"review_time", "review_time", "launch_review_time"},
	{"close_after", "close_after", "launch_close_after"},
	{"policy", "", ""},
}

// launchErrors are the launch form's problems: each beside its input, in
// the page's language (a Vietnamese page says what each field takes;
// rcm's reasons are written in English).
func launchErrors(lang messages.Lang, err error) *formErrors {
	p := toProblem(err)
	if p.Status >= 500 || p.Status == http.StatusForbidden || p.Status == http.StatusNotFound && len(p.Errors) == 0 {
		return nil
	}
	out := &formErrors{Title: translate(lang, "launch_refused")}
	for _, f := range p.errorsIn(lang) {
		placed := false
		for _, in := range launchInputs {
			if f.Field != in.prefix && !strings.HasPrefix(f.Field, in.prefix+"[") && !strings.HasPrefix(f.Field, in.prefix+".") {
				continue
			}
			msg := f.Reason
			switch {
			case lang == messages.English:
			case in.key == "":
				msg = translate(lang, "launch_policy_help")
			default:
				msg = translate(lang, in.key+"_help")
			}
			if in.id == "" {
				out.add("", "", msg)
			} else {
				out.add(in.id, translate(lang, in.key), msg)
			}
			placed = true
			break
		}
		if !placed {
			out.add("", "", problemLine(lang, f))
		}
	}
	if !out.Any() {
		out.add("", "", pageMessage(lang, p.Problem))
	}
	return out
}

// launchInput is what the "launchinput" template needs for one input.
type launchInput struct {
	Lang               messages.Lang
	ID, Value, Example string
	Errors             *formErrors
}

// newLaunchInput is the input id of the launch page, with its typed value.
func newLaunchInput(p launchPage, id, example string) launchInput {
	values := map[string]string{"period": p.Form.Period, "due": p.Form.Due, "reminders": p.Form.Reminders,
		"escalations": p.Form.Escalations, "review_time": p.Form.ReviewTime, "close_after": p.Form.CloseAfter}
	return launchInput{Lang: p.Lang, ID: id, Value: values[id], Example: example, Errors: p.Errors}
}

// closeForm closes the cycle now, from its dashboard, with the reason typed
// (Engine.Close), then shows the dashboard again; a refusal is an error page
// saying why.
func (s *Server) closeForm(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(r); err != nil {
		return err
	}
	if err := checkForm(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		return errValidationIn(pageLang(r), "say why the cycle closes now",
			reporting.Keyed("reason", "reason.close_needs_reason"))
	}
	if err := s.ops.Close(r.Context(), caller(r), id, reason); err != nil {
		return operationErrorIn(pageLang(r), err)
	}
	http.Redirect(w, r, langLink(pageLang(r), "/cycles/"+id), http.StatusSeeOther)
	return nil
}
