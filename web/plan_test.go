package web

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/api"
	"rcm/reporting"
)

// nextSaturday is a Saturday at least a week ahead, in Vietnam.
func nextSaturday(t *testing.T) reporting.Date {
	loc, err := reporting.DefaultLocation()
	require.NoError(t, err)
	d := reporting.DateOf(time.Now().Add(7*24*time.Hour), loc)
	for d.Weekday() != time.Saturday {
		d = d.AddDays(1)
	}
	return d
}

func TestPlanListsEverySendWithItsRecipientsAndFlags(t *testing.T) {
	f := newFixture(t)
	regime := f.freshRegime("HNI", "HPG", "HCM")
	sat := nextSaturday(t)
	body := map[string]any{"regime": regime, "period": pastPeriod(t), "due": sat.String(),
		"reminder_offsets": []string{"30m"}, "close_after": "5d",
		"escalations": []map[string]any{{"after": "2d", "recipients": []string{"head", "supervisor"}}}}

	resp := f.do("staff", "POST", "/api/v1/cycles/plan", body)
	require.Equal(t, http.StatusOK, resp.status, "%s", resp.body)
	var plan api.LaunchPlan
	resp.decode(t, &plan)
	require.Equal(t, regime+"-"+pastPeriod(t), plan.ID)
	require.Equal(t, 3, plan.Agencies)
	require.Len(t, plan.NoOfficerAddress, 3, "the fixture's agencies have no addresses")
	require.Equal(t, 1, plan.Supervisors, "R-DBSH's supervisor sees HNI and HPG")
	require.Equal(t, 1, plan.Unsupervised, "nobody supervises HCM")

	var kinds []string
	byKind := map[string]api.PlannedSend{}
	for _, s := range plan.Sends {
		kinds = append(kinds, s.Kind)
		byKind[s.Kind] = s
	}
	require.Equal(t, []string{"deadline_notice", "reminder", "overdue", "escalation", "close"}, kinds)
	require.Equal(t, 3, byKind["deadline_notice"].Count)
	require.Equal(t, 3, byKind["deadline_notice"].NoAddress)
	require.Equal(t, "off_day", byKind["reminder"].When, "Saturday 23:30")
	require.Equal(t, "in_hours", byKind["overdue"].When, "the overdue notice of the midnight ending Saturday waits for Monday 08:00")
	esc := byKind["escalation"]
	require.Equal(t, 3+1, esc.Count, "three heads and one supervisor's digest")
	require.Equal(t, "in_hours", esc.When, "2d after a Saturday due goes out at 08:00 on a working day")
	loc, err := reporting.DefaultLocation()
	require.NoError(t, err)
	require.Equal(t, 8, esc.At.In(loc).Hour())

	// Nothing was launched, and the launch then lays out the same timeline.
	require.Equal(t, http.StatusNotFound, f.do("staff", "GET", "/api/v1/cycles/"+plan.ID, nil).status)
	resp = f.do("staff", "POST", "/api/v1/cycles", body)
	require.Equal(t, http.StatusCreated, resp.status, "%s", resp.body)
	f.waitStatus(plan.ID, reporting.CycleOpen)
	var planned []string
	for _, s := range plan.Sends[1:] {
		planned = append(planned, s.Kind+" "+s.At.UTC().Format(time.RFC3339))
	}
	// The cycle is open once its obligations are; the workflow holds its
	// deadline groups' timelines a moment later: wait for them.
	running := func() []string {
		var tl api.Timeline
		f.do("staff", "GET", "/api/v1/cycles/"+plan.ID+"/timeline", nil).decode(t, &tl)
		var out []string
		for _, m := range tl.Moments {
			if m.Kind != string(reporting.EventDeadlineNotice) {
				out = append(out, m.Kind+" "+m.At.UTC().Format(time.RFC3339))
			}
		}
		return out
	}
	var last []string
	require.Eventually(t, func() bool { last = running(); return slices.Equal(planned, last) }, 10*time.Second, 100*time.Millisecond,
		"the plan is the workflow's timeline: planned %v, running %v", planned, last)
}

func TestPlanNamesTheRefusedFields(t *testing.T) {
	f := newFixture(t)
	regime := f.freshRegime("HNI")
	resp := f.do("staff", "POST", "/api/v1/cycles/plan", map[string]any{"regime": regime, "period": "2026-13", "reminder_offsets": []string{"soon"}})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
	require.Equal(t, "reminder_offsets[0]", resp.problem(t).Errors[0].Field)
	resp = f.do("staff", "POST", "/api/v1/cycles/plan", map[string]any{"regime": regime, "period": "2026-13"})
	require.Equal(t, http.StatusUnprocessableEntity, resp.status, "%s", resp.body)
	require.Equal(t, "period", resp.problem(t).Errors[0].Field)
}
