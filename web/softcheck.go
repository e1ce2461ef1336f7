package web

import (
	"fmt"
	"net/http"
	"strings"

	"rcm/messages"
	"rcm/reporting"
)

// The soft checks of the pages (reporting.Jumps): the agency's form asks the
// officer to confirm a figure that moves more than the regime's factor from
// the previous accepted period before sending it (a second POST with the
// confirm button, no script), and the review page flags it beside the
// previous period's figure and the previous version's.

// softCheck is one flagged figure, as a page shows it.
type softCheck struct {
	// ID is the id of the figure's input, which the warning links to.
	ID      string
	Label   string
	Message string
}

// softChecks are the flagged figures of a form about to be sent.
type softChecks struct {
	Items []softCheck
	// Token is the confirm button's value: it confirms these figures only,
	// so that a figure changed after the warning is checked again.
	Token string
}

// For returns the warning about the field with input id, or "".
func (c *softChecks) For(id string) string {
	if c == nil {
		return ""
	}
	for _, it := range c.Items {
		if it.ID == id {
			return it.Message
		}
	}
	return ""
}

// jumpToken is the confirmation of exactly these jumps.
func jumpToken(jumps []reporting.Jump) string {
	parts := make([]string, len(jumps))
	for i, j := range jumps {
		parts[i] = j.Indicator + "=" + j.Current
	}
	return strings.Join(parts, ";")
}

// jumpMessage says how far a figure moved, in lang, its figures written as
// the page writes them.
func jumpMessage(lang messages.Lang, ind reporting.Indicator, j reporting.Jump, period string) string {
	prev, cur := figure(lang, ind, j.Previous), figure(lang, ind, j.Current)
	times := figure(lang, reporting.Indicator{Type: reporting.TypeInteger}, fmt.Sprint(j.Times))
	if j.Larger {
		return messages.Text(lang, "result.jump_larger", cur, times, prev, period)
	}
	return messages.Text(lang, "result.jump_smaller", cur, times, prev, period)
}

// formSoftChecks returns the figures of a form to confirm before sending,
// or nil when there are none or the officer confirmed exactly these.
func (s *Server) formSoftChecks(r *http.Request, data agencyPage, values reporting.Values) (*softChecks, error) {
	jumps, prev, err := s.ops.Jumps(r.Context(), caller(r), data.Cycle.ID, data.Agency.Code, data.Template, values)
	if err != nil || len(jumps) == 0 {
		return nil, err
	}
	token := jumpToken(jumps)
	if r.PostFormValue("confirm") == token {
		return nil, nil
	}
	out := &softChecks{Token: token}
	for _, j := range jumps {
		ind, _ := data.Template.Indicator(j.Indicator)
		out.Items = append(out.Items, softCheck{ID: valueInputID(j.Indicator), Label: indicatorLabel(data.Lang, ind),
			Message: jumpMessage(data.Lang, ind, j, prev.Period)})
	}
	return out, nil
}

// reviewRows compares the version under review with the agency's previous
// accepted period and its previous version.
func (s *Server) reviewRows(r *http.Request, data reviewPage) ([]figureRow, string, error) {
	sub := data.Submission
	jumps, prev, err := s.ops.Jumps(r.Context(), caller(r), sub.CycleID, sub.AgencyCode, data.Template, sub.Values)
	if err != nil {
		return nil, "", err
	}
	var before reporting.Values
	if sub.Version > 1 {
		d, err := s.ops.Obligation(r.Context(), caller(r), sub.CycleID, sub.AgencyCode)
		if err != nil {
			return nil, "", err
		}
		for _, v := range d.Versions {
			if v.Version == sub.Version-1 {
				before = v.Values
			}
		}
	}
	flags := map[string]string{}
	for _, j := range jumps {
		ind, _ := data.Template.Indicator(j.Indicator)
		flags[j.Indicator] = jumpMessage(data.Lang, ind, j, prev.Period)
	}
	rows := figureRows(data.Lang, data.Template, sub.Values, before, prev.Values, flags)
	return rows, prev.Period, nil
}
