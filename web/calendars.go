package web

import (
	"net/http"
	"strconv"

	"rcm/api"
	"rcm/operations"
	"rcm/reporting"
)

func (s *Server) calendarRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/api/v1/calendars", Op: operations.OpReadCalendars, Handle: s.listCalendars},
		{Method: "GET", Path: "/api/v1/calendars/{year}", Op: operations.OpReadCalendars, Handle: s.getCalendar},
		{Method: "PUT", Path: "/api/v1/calendars/{year}", Op: operations.OpImportCalendar, Upload: true, Handle: s.putCalendar},
	}
}

// calendarYear reads the {year} of the path.
func calendarYear(r *http.Request) (int, error) {
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < 1000 || year > 9999 {
		return 0, errValidation("the year in the address is not a year",
			reporting.FieldError{Field: "year", Reason: "write the year with four digits, for example /api/v1/calendars/2027"})
	}
	return year, nil
}

func toCalendarJSON(c reporting.HolidayCalendar) api.Calendar {
	return api.Calendar{Year: c.Year, Source: c.Source, Days: api.CalendarDaysOf(c.Days)}
}

func (s *Server) listCalendars(w http.ResponseWriter, r *http.Request) error {
	cals, err := s.ops.HolidayCalendars(r.Context(), caller(r))
	if err != nil {
		return err
	}
	items := make([]api.CalendarSummary, len(cals))
	for i, c := range cals {
		items[i] = api.CalendarSummary{Year: c.Year, Source: c.Source, Holidays: c.Holidays, WorkingDays: c.WorkingDays, UpdatedAt: c.UpdatedAt}
	}
	writeJSON(w, http.StatusOK, api.Page[api.CalendarSummary]{Items: items})
	return nil
}

func (s *Server) getCalendar(w http.ResponseWriter, r *http.Request) error {
	year, err := calendarYear(r)
	if err != nil {
		return err
	}
	cal, err := s.ops.HolidayCalendar(r.Context(), caller(r), year)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toCalendarJSON(cal))
	return nil
}

// putCalendar replaces a year's calendar; the open cycles it concerns move
// their pending moments.
func (s *Server) putCalendar(w http.ResponseWriter, r *http.Request) error {
	year, err := calendarYear(r)
	if err != nil {
		return err
	}
	var req api.Calendar
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.Year != 0 && req.Year != year {
		return errValidation("the calendar is not of the year in the address",
			reporting.FieldError{Field: "year", Reason: "the body says " + strconv.Itoa(req.Year) + " but the address " + strconv.Itoa(year) + "; send it to /api/v1/calendars/" + strconv.Itoa(req.Year)})
	}
	cal, problems := api.ReadCalendar(year, req)
	if len(problems) > 0 {
		return errValidation("some days of the calendar are refused; correct them and send it again", problems...)
	}
	moved, err := s.ops.ImportCalendar(r.Context(), caller(r), cal)
	if err != nil {
		return operationError(r, err)
	}
	out := toCalendarJSON(cal)
	out.CyclesMoved = moved
	if out.CyclesMoved == nil {
		out.CyclesMoved = []string{}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
