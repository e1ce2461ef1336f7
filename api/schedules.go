package api

// ScheduleRequest says at what time, in the regime's zone, its cycles
// launch on the day their data window opens (POST
// /api/v1/regimes/{code}/schedule).
type ScheduleRequest struct {
	Hour   int `json:"hour"`
	Minute int `json:"minute"`
}

// Note is the optional body of pausing and resuming a schedule.
type Note struct {
	Note string `json:"note"`
}

// Schedule is a regime's Temporal Schedule (GET
// /api/v1/regimes/{code}/schedule, GET /api/v1/schedules). NextRuns are
// the next launches, written dd/mm/yyyy hh:mm ±hh:mm; [] when none.
type Schedule struct {
	Regime     string   `json:"regime"`
	ScheduleID string   `json:"schedule_id"`
	Paused     bool     `json:"paused"`
	Note       string   `json:"note,omitempty"`
	NextRuns   []string `json:"next_runs"`
}
