package web

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"rcm/api"
	"rcm/reporting"
	"rcm/store"
)

// calendar stores a small calendar of year, as office staff would.
func (f *fixture) calendar(year int) {
	f.t.Helper()
	cal := reporting.HolidayCalendar{Year: year, Source: "test", Days: []reporting.CalendarDay{
		{Date: reporting.NewDate(year, 1, 1), Kind: reporting.DayHoliday, NameVI: "Tết Dương lịch"}}}
	_, err := f.store.ReplaceHolidayCalendar(context.Background(), cal, store.Actor{Email: "test"},
		func(string) (store.OutboxMessage, error) { return store.OutboxMessage{}, nil })
	require.NoError(f.t, err)
}

func TestCalendarIsStoredReadAndAudited(t *testing.T) {
	f := newFixture(t)
	body := map[string]any{"source": "Thông báo 2026 của Bộ Nội vụ", "days": []map[string]string{
		{"date": "2027-02-05", "kind": "holiday", "name_vi": "Tết Nguyên đán"},
		{"date": "2027-02-20", "kind": "Working", "name_vi": "Làm bù"},
	}}
	resp := f.do("staff", "PUT", "/api/v1/calendars/2027", body)
	require.Equal(t, 200, resp.status, "%s", resp.body)

	var got api.Calendar
	f.do("staff", "GET", "/api/v1/calendars/2027", nil).decode(t, &got)
	require.Equal(t, 2027, got.Year)
	require.Equal(t, []api.CalendarDay{
		{Date: "2027-02-05", Kind: "holiday", NameVI: "Tết Nguyên đán"},
		{Date: "2027-02-20", Kind: "working", NameVI: "Làm bù"},
	}, got.Days)
	var page api.Page[api.CalendarSummary]
	f.do("staff", "GET", "/api/v1/calendars", nil).decode(t, &page)
	require.Len(t, page.Items, 1)
	require.Equal(t, 1, page.Items[0].Holidays)
	require.Equal(t, 1, page.Items[0].WorkingDays)

	var audited int
	require.NoError(t, f.store.Pool().QueryRow(context.Background(),
		`SELECT count(*) FROM audit_log WHERE action = 'calendar.import' AND object = 'calendar/2027'`).Scan(&audited))
	require.Equal(t, 1, audited)
	require.Equal(t, 404, f.do("staff", "GET", "/api/v1/calendars/2030", nil).status)
}

func TestCalendarRefusesBadInputNamingTheFieldAndChangesNothing(t *testing.T) {
	f := newFixture(t)
	f.calendar(2027)
	day := func(date, kind string) map[string]string { return map[string]string{"date": date, "kind": kind} }
	tests := []struct {
		name   string
		path   string
		days   []map[string]string
		year   int
		fields []string
	}{
		{"a date outside the year", "/api/v1/calendars/2027", []map[string]string{day("2026-12-31", "holiday")}, 0, []string{"days[0].date"}},
		{"a date listed twice", "/api/v1/calendars/2027", []map[string]string{day("2027-01-01", "holiday"), day("2027-01-01", "holiday")}, 0, []string{"days[1].date"}},
		{"an unknown kind", "/api/v1/calendars/2027", []map[string]string{day("2027-01-01", "bridge")}, 0, []string{"days[0].kind"}},
		{"a make-up day on a weekday", "/api/v1/calendars/2027", []map[string]string{day("2027-02-17", "working")}, 0, []string{"days[0].kind"}},
		{"a date that does not exist", "/api/v1/calendars/2027", []map[string]string{day("2027-02-30", "holiday")}, 0, []string{"days[0].date"}},
		{"a body of another year", "/api/v1/calendars/2027", nil, 2028, []string{"year"}},
		{"a year that is not one", "/api/v1/calendars/27", nil, 0, []string{"year"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{"days": tc.days}
			if tc.days == nil {
				body["days"] = []map[string]string{}
			}
			if tc.year != 0 {
				body["year"] = tc.year
			}
			resp := f.do("staff", "PUT", tc.path, body)
			require.Equal(t, 422, resp.status, "%s", resp.body)
			var fields []string
			for _, fe := range resp.problem(t).Errors {
				fields = append(fields, fe.Field)
				require.NotEmpty(t, fe.Reason)
			}
			require.Equal(t, tc.fields, fields)
			cal, err := f.store.HolidayCalendar(context.Background(), 2027)
			require.NoError(t, err)
			require.Equal(t, "test", cal.Source, "nothing changed")
			require.Len(t, cal.Days, 1)
		})
	}
}
