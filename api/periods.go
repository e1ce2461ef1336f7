package api

import (
	"time"

	"rcm/reporting"
)

// PeriodPlan is the cycle a regime would have for a period, launched with
// its own rules (GET /api/v1/regimes/{code}/periods/{period}): the window,
// cut-off, due and close its deadline rule gives, and the timeline of its
// policy at the real instants — reminders and escalations counted in days
// at its send time on working days of the shared holiday calendar.
// Estimates says the figures would be estimates (due before the cut-off).
type PeriodPlan struct {
	Regime       string         `json:"regime"`
	Period       string         `json:"period"`
	Cadence      string         `json:"cadence"`
	Windows      string         `json:"windows"`
	LabelVI      string         `json:"label_vi"`
	LabelEN      string         `json:"label_en"`
	WindowStart  reporting.Date `json:"window_start"`
	WindowEnd    reporting.Date `json:"window_end"`
	TimeZone     string         `json:"time_zone"`
	CutOff       time.Time      `json:"cut_off"`
	DeadlineRule string         `json:"deadline_rule"`
	Due          time.Time      `json:"due"`
	Close        time.Time      `json:"close"`
	SendTime     string         `json:"send_time"`
	Estimates    bool           `json:"estimates"`
	// Tiers are the levels of a tiered regime's cycle with their dates,
	// lowest first; none for a single-tier regime.
	Tiers    []CycleTier     `json:"tiers,omitempty"`
	Timeline []PlannedMoment `json:"timeline"`
}

// PlannedMoment is one moment of a planned timeline: a reminder, the due
// date (overdue), an escalation step or the close, with who is written to.
// Step and Of number the moments of a kind (reminder 2 of 3).
type PlannedMoment struct {
	At         time.Time `json:"at"`
	Kind       string    `json:"kind"`
	Step       int       `json:"step"`
	Of         int       `json:"of"`
	Recipients []string  `json:"recipients"`
	// Tier is the level whose agencies the moment reaches, in a tiered
	// regime's cycle.
	Tier int `json:"tier,omitempty"`
}
