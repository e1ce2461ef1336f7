package web

import (
	"net/http"
	"strings"

	"rcm/api"
	"rcm/operations"
)

func (s *Server) scheduleRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/regimes/{code}/schedule", Op: operations.OpManageSchedule, Handle: s.createSchedule},
		{Method: "GET", Path: "/api/v1/regimes/{code}/schedule", Op: operations.OpReadSchedules, Handle: s.getSchedule},
		{Method: "POST", Path: "/api/v1/regimes/{code}/schedule/pause", Op: operations.OpManageSchedule, Handle: s.pauseSchedule},
		{Method: "POST", Path: "/api/v1/regimes/{code}/schedule/resume", Op: operations.OpManageSchedule, Handle: s.resumeSchedule},
		{Method: "DELETE", Path: "/api/v1/regimes/{code}/schedule", Op: operations.OpManageSchedule, Handle: s.deleteSchedule},
		{Method: "GET", Path: "/api/v1/schedules", Op: operations.OpReadSchedules, Handle: s.listSchedules},
	}
}

func (s *Server) createSchedule(w http.ResponseWriter, r *http.Request) error {
	var req api.ScheduleRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	sch, err := s.ops.ScheduleRegime(r.Context(), caller(r), r.PathValue("code"), operations.ScheduleOptions{Hour: req.Hour, Minute: req.Minute})
	if err != nil {
		return operationError(r, err)
	}
	w.Header().Set("Location", "/api/v1/regimes/"+r.PathValue("code")+"/schedule")
	writeJSON(w, http.StatusCreated, toScheduleJSON(sch))
	return nil
}

func (s *Server) getSchedule(w http.ResponseWriter, r *http.Request) error {
	return s.answerSchedule(w, r, http.StatusOK)
}

func (s *Server) answerSchedule(w http.ResponseWriter, r *http.Request, status int) error {
	sch, err := s.ops.DescribeSchedule(r.Context(), caller(r), r.PathValue("code"))
	if err != nil {
		return operationError(r, err)
	}
	writeJSON(w, status, toScheduleJSON(sch))
	return nil
}

// readNote reads the optional {"note": "..."} of pause and resume.
func readNote(r *http.Request) (string, error) {
	if r.ContentLength == 0 {
		return "", nil
	}
	var req api.Note
	if err := decodeJSON(r, &req); err != nil {
		return "", err
	}
	return strings.TrimSpace(req.Note), nil
}

func (s *Server) pauseSchedule(w http.ResponseWriter, r *http.Request) error {
	note, err := readNote(r)
	if err != nil {
		return err
	}
	if note == "" {
		note = "paused by " + principal(r).Email
	}
	if err := s.ops.PauseSchedule(r.Context(), caller(r), r.PathValue("code"), note); err != nil {
		return operationError(r, err)
	}
	return s.answerSchedule(w, r, http.StatusOK)
}

func (s *Server) resumeSchedule(w http.ResponseWriter, r *http.Request) error {
	note, err := readNote(r)
	if err != nil {
		return err
	}
	if note == "" {
		note = "resumed by " + principal(r).Email
	}
	if err := s.ops.ResumeSchedule(r.Context(), caller(r), r.PathValue("code"), note); err != nil {
		return operationError(r, err)
	}
	return s.answerSchedule(w, r, http.StatusOK)
}

func (s *Server) deleteSchedule(w http.ResponseWriter, r *http.Request) error {
	if err := s.ops.DeleteSchedule(r.Context(), caller(r), r.PathValue("code")); err != nil {
		return operationError(r, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) listSchedules(w http.ResponseWriter, r *http.Request) error {
	list, err := s.ops.ListSchedules(r.Context(), caller(r))
	if err != nil {
		return operationError(r, err)
	}
	items := make([]api.Schedule, len(list))
	for i, sch := range list {
		items[i] = toScheduleJSON(sch)
	}
	writeJSON(w, http.StatusOK, api.Page[api.Schedule]{Items: items})
	return nil
}

// toScheduleJSON is a schedule in the API, next_runs [] rather than null.
func toScheduleJSON(s operations.Schedule) api.Schedule {
	out := api.Schedule{Regime: s.RegimeCode, ScheduleID: s.ScheduleID, Paused: s.Paused, Note: s.Note, NextRuns: s.NextRuns}
	if out.NextRuns == nil {
		out.NextRuns = []string{}
	}
	return out
}
