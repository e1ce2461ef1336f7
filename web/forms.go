package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"rcm/api"
	"rcm/messages"
	"rcm/reporting"
)

// The pages' forms work without JavaScript: each is a plain POST answered
// with a redirect (303) or with the page again, every refused field marked
// (aria-invalid, its message beside it, linked by aria-describedby) and an
// error summary, focused on load, linking to each field.

// fieldProblem is one refused field of a page's form.
type fieldProblem struct {
	// ID is the id of the field's input, which the summary links to.
	ID string
	// Label is what the field's label says.
	Label string
	// Message says what is wrong, in the page's language.
	Message string
}

// formErrors are the problems of a refused form, for the summary at its top
// and the messages beside its fields. The zero value has none.
type formErrors struct {
	// Title heads the summary.
	Title string
	// Fields are the refused fields, in the form's order.
	Fields []fieldProblem
	// Other are problems with no field of their own.
	Other []string
}

// Any reports whether there is a problem to show.
func (f *formErrors) Any() bool { return f != nil && (len(f.Fields) > 0 || len(f.Other) > 0) }

// For returns the message for the field with input id, or "".
func (f *formErrors) For(id string) string {
	if f == nil {
		return ""
	}
	for _, p := range f.Fields {
		if p.ID == id {
			return p.Message
		}
	}
	return ""
}

// add records a problem with the field id, or with no field when id is "".
func (f *formErrors) add(id, label, message string) {
	if id == "" {
		f.Other = append(f.Other, message)
		return
	}
	if f.For(id) != "" {
		return // the first problem of a field is the one to fix first
	}
	f.Fields = append(f.Fields, fieldProblem{ID: id, Label: label, Message: message})
}

// valueInputID is the id (and name) of the input of an indicator's value.
func valueInputID(code string) string { return "v_" + code }

// indicatorLabel is what an indicator's label says: its name in lang.
func indicatorLabel(lang messages.Lang, ind reporting.Indicator) string {
	return messages.Name(lang, ind.NameVI, ind.NameEN)
}

// formNotation is the notation of the figures of a posted form: that of the
// language the form was shown in (its "lang" field), else the page's.
func formNotation(r *http.Request, pageLanguage messages.Lang) reporting.Notation {
	lang := messages.Negotiate(messages.Explicit(r.PostFormValue("lang")), messages.Given(pageLanguage))
	return messages.Notation(lang)
}

// readFormValues reads the values an officer typed, each figure in the
// page's notation ("12.000" is twelve thousand on a Vietnamese page) and
// returned in canonical notation, the form the operations and the API take.
// typed are the values as typed, to show again on refusal. A figure that
// cannot be read is a field error naming the indicator.
func readFormValues(r *http.Request, tmpl reporting.Template, n reporting.Notation, lang messages.Lang) (values, typed reporting.Values, problems []reporting.FieldError) {
	values, typed = reporting.Values{}, reporting.Values{}
	for _, ind := range tmpl.Indicators {
		v := strings.TrimSpace(r.PostFormValue(valueInputID(ind.Code)))
		if v == "" {
			continue
		}
		typed[ind.Code] = v
		if ind.Type == reporting.TypeText {
			values[ind.Code] = v
			continue
		}
		canonical, err := reporting.ParseNumber(v, n)
		var ne *reporting.NumberError
		if errors.As(err, &ne) {
			problems = append(problems, reporting.FieldError{Field: "values." + ind.Code, Code: ne.Code, Reason: messages.NumberReason(lang, ne)})
			continue
		}
		if err != nil {
			problems = append(problems, reporting.FieldError{Field: "values." + ind.Code, Reason: err.Error()})
			continue
		}
		values[ind.Code] = canonical
	}
	if len(problems) > 0 {
		// Say at once what else is wrong with the figures that were read.
		_, more := tmpl.ValidateValues(values)
		refused := map[string]bool{}
		for _, p := range problems {
			refused[p.Field] = true
		}
		for _, p := range more {
			if !refused[p.Field] {
				problems = append(problems, p)
			}
		}
	}
	return values, typed, problems
}

// displayValues writes canonical figures as the page's language writes
// them, for a form's inputs or a page (see figure).
func displayValues(tmpl reporting.Template, values reporting.Values, lang messages.Lang) map[string]string {
	out := make(map[string]string, len(values))
	for code, v := range values {
		out[code] = v
		if ind, ok := tmpl.Indicator(code); ok {
			out[code] = figure(lang, ind, v)
		}
	}
	return out
}

// submissionErrors turns a refused submission into the form's problems: a
// problem with an indicator's value beside its input, any other in the
// summary alone. It returns nil when the failure is not the officer's to fix
// (then an error page).
func submissionErrors(lang messages.Lang, tmpl reporting.Template, err error) *formErrors {
	p := toProblem(err)
	if p.Status >= 500 || p.Status == http.StatusForbidden || p.Status == http.StatusNotFound {
		return nil
	}
	out := &formErrors{Title: translate(lang, "not_received")}
	for _, f := range p.errorsIn(lang) {
		code, isValue := strings.CutPrefix(f.Field, "values.")
		ind, known := tmpl.Indicator(code)
		switch {
		case isValue && known && f.Line == 0:
			out.add(valueInputID(code), indicatorLabel(lang, ind), f.Reason)
		default:
			out.add("", "", problemLine(lang, f))
		}
	}
	if !out.Any() {
		out.add("", "", pageMessage(lang, p.Problem))
	}
	return out
}

// problemLine writes a refused field that has no input of its own.
func problemLine(lang messages.Lang, f api.FieldProblem) string {
	switch {
	case f.Line > 0:
		return fmt.Sprintf("%s %d: %s", translate(lang, "line"), f.Line, f.Reason)
	case strings.HasPrefix(f.Field, "values."), f.Field == "":
		return f.Reason
	}
	return fieldLabel(lang, f.Field) + ": " + f.Reason
}

// fieldLabels name the fields of the pages' forms for people, by the
// request's field name.
var fieldLabels = map[string]string{"reason": "reason", "due": "due", "narrative": "narrative", "file": "file_field",
	"decision": "decision_field", "Idempotency-Key": "form_key"}

// fieldLabel names a refused field in lang: the words of a field of the
// pages' forms, else its name in the request.
func fieldLabel(lang messages.Lang, field string) string {
	if key, ok := fieldLabels[field]; ok {
		return translate(lang, key)
	}
	return field
}

// pageMessage is what a page says about a problem, in the page's language:
// rcm's English detail on an English page, and on a Vietnamese page the
// sentence for its kind (the details of the API are written in English).
func pageMessage(lang messages.Lang, p api.Problem) string {
	if lang == messages.English {
		if p.Detail != "" {
			return p.Detail
		}
		return p.Title
	}
	switch p.Status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusConflict,
		http.StatusRequestEntityTooLarge, http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return translate(lang, fmt.Sprintf("problem_%d", p.Status))
	}
	if p.Status >= 500 {
		return translate(lang, "problem_500")
	}
	return translate(lang, "problem_400")
}
