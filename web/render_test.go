package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/access"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

// renderPage renders a page from data alone, without a request.
func renderPage(t *testing.T, name string, data any) string {
	t.Helper()
	s := NewServer(Config{}, Deps{})
	w := httptest.NewRecorder()
	require.NoError(t, s.render(w, http.StatusOK, name, data))
	return w.Body.String()
}

func TestLaunchPageShowsThePlanAndTheLaunchButton(t *testing.T) {
	vn, err := reporting.DefaultLocation()
	require.NoError(t, err)
	due := reporting.MustParseDate("2026-11-21").End(vn) // a Saturday: overdue at Sunday's midnight
	hours := reporting.OfficeHours{Calendar: reporting.Calendar{Location: vn}, SendTime: reporting.DefaultSendTime}
	cyc := reporting.Cycle{ID: "KTXH-2026-10", RegimeCode: "KTXH", Period: "2026-10", Due: due, Close: due.Add(10 * 24 * time.Hour), CutOff: due}
	plan := operations.LaunchPlan{PeriodPlan: operations.PeriodPlan{Cycle: cyc, SendTime: hours.SendTime, Hours: hours},
		Audience: store.Audience{Agencies: 3, NoOfficer: []reporting.Agency{{Code: "HCM", NameVI: "Thành phố Hồ Chí Minh"}}, Staff: 1}}
	for _, m := range []reporting.Moment{
		{At: time.Date(2026, 11, 20, 8, 0, 0, 0, vn), Kind: reporting.EventReminder, Step: 1, Of: 1, Recipients: []reporting.Recipient{reporting.RecipientOfficer}},
		{At: due, Kind: reporting.EventOverdue, Step: 1, Of: 1},
		{At: cyc.Close, Kind: reporting.EventClose, Step: 1, Of: 1},
	} {
		plan.Sends = append(plan.Sends, operations.PlannedSend{Moment: m, Count: 3, NoAddress: 1, When: hours.When(m.At)})
	}
	data := launchPage{pageBase: pageBase{Lang: "vi", User: access.Principal{Role: access.Staff}},
		Form: launchForm{Regime: "KTXH", Period: "2026-10", Reminders: "1d"}}
	s := NewServer(Config{}, Deps{})
	s.showPlan(&data, plan)
	html := renderPage(t, "launch", data)
	require.Contains(t, html, "Báo cáo tháng 10/2026")
	require.Contains(t, html, "20/11/2026 08:00")
	require.Contains(t, html, `data-kind="overdue" data-when="off_day"`)
	require.Contains(t, html, "⚠ ngày nghỉ")
	require.Contains(t, html, "Thành phố Hồ Chí Minh (HCM)")
	require.Contains(t, html, `<input type="hidden" name="reminders" value="1d">`)
	require.Contains(t, html, `id="launch"`)
	require.Equal(t, 2, data.Flagged, "Sunday's midnight and the close are off the office day")

	refused := launchPage{pageBase: pageBase{Lang: "vi"}, Form: launchForm{Regime: "KTXH", Period: "2026-13"},
		Errors: launchErrors("vi", errValidation("refused", reporting.FieldError{Field: "period", Reason: "period 2026-13 is not a month"}))}
	html = renderPage(t, "launch", refused)
	require.Contains(t, html, `id="period" name="period" value="2026-13"`)
	require.Contains(t, html, `aria-invalid="true"`)
	require.Contains(t, html, translate("vi", "launch_period_help"))
	require.NotContains(t, html, "is not a month", "a Vietnamese page says it in Vietnamese")
}

func TestAgencyPageShowsTheReturnReasonAndEveryVersionsFigures(t *testing.T) {
	tmpl := testTemplate("KTXH")
	v1 := reporting.Submission{Version: 1, Values: reporting.Values{"GRDP": "12000", "NOTE": "a"}, Source: "form",
		Review: &reporting.Review{Decision: reporting.DecisionReturned, Reason: "GRDP sai đơn vị"}}
	v2 := reporting.Submission{Version: 2, Values: reporting.Values{"GRDP": "12500", "NOTE": "a"}, Source: "csv",
		Review: &reporting.Review{Decision: reporting.DecisionReturned, Reason: "thiếu thuyết minh"}}
	versions := []reporting.Submission{v2, v1}
	o := reporting.Obligation{Status: reporting.ObligationReturned}
	req := httptest.NewRequest("GET", "/cycles/X/agencies/HNI?from=1&to=2", nil)
	views, cmp := agencyVersions(req, "vi", tmpl, versions, reporting.Values{"GRDP": "11000"})
	data := agencyPage{pageBase: pageBase{Lang: "vi"}, Template: tmpl, Versions: versions, Obligation: o,
		Report: "Báo cáo tháng 10/2026", ReturnReason: returnReason(o, versions, nil), VersionViews: views, Compare: cmp,
		PreviousPeriod: "2026-09", State: string(reporting.LiveReturned)}
	html := renderPage(t, "agency", data)
	require.Contains(t, html, `id="return-reason"`)
	require.Contains(t, html, "thiếu thuyết minh", "the latest return's reason")
	require.Contains(t, html, "12.500", "figures in the page's notation")
	require.Contains(t, html, `id="version-1"`)
	require.Contains(t, html, "tệp CSV")
	require.Equal(t, 1, cmp.Changes)
	require.True(t, cmp.Rows[0].Changed)
	require.Equal(t, "12.000", cmp.Rows[0].PreviousVersion)
	require.Equal(t, "11.000", cmp.Rows[0].Previous)
	require.False(t, cmp.Rows[1].Changed)
}
