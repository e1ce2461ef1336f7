package api

import "rcm/reporting"

// Regime is a reporting regime (GET and POST /api/v1/regimes, GET
// /api/v1/regimes/{code}): what agencies report, how often, by when, and
// the reminders and escalations. Offsets in the policy are written as
// reporting.ParseOffset reads them ("3d", "36h", "90s"); DeadlineRule is
// day:N, days:N, workdays:N, date:MM-DD or date:+1y:MM-DD. Windows is
// decree09 (the default) or calendar; SendTime (HH:MM, default 08:00) is
// when reminders and escalations counted in days go out, on working days;
// Estimates lets the due date come before the cut-off, the reports saying
// their figures are estimates. Holidays are the regime's own days off on top
// of the shared holiday calendar (/api/v1/calendars).
type Regime struct {
	Code         string `json:"code"`
	NameVI       string `json:"name_vi"`
	NameEN       string `json:"name_en,omitempty"`
	Template     string `json:"template"`
	Cadence      string `json:"cadence"`
	Windows      string `json:"windows,omitempty"`
	DeadlineRule string `json:"deadline_rule"`
	Estimates    bool   `json:"estimates,omitempty"`
	// Timeliness judges on time: accepted_version (the default for a new
	// regime) or first_version.
	Timeliness string `json:"timeliness,omitempty"`
	// SoftCheckFactor flags a figure that moves more than this many times
	// from the agency's previous accepted period (2 or more; default 10).
	SoftCheckFactor int `json:"soft_check_factor,omitempty"`
	// LateFilingDays is how many days after an obligation's close an agency
	// whose report was missing or not accepted may still file late (0: no
	// late filing; left out: 30).
	LateFilingDays *int                `json:"late_filing_days,omitempty"`
	TimeZone       string              `json:"time_zone,omitempty"`
	SendTime       string              `json:"send_time,omitempty"`
	Holidays       []reporting.Date    `json:"holidays,omitempty"`
	Policy         reporting.PolicyDoc `json:"policy"`
	ReviewerID     *int64              `json:"reviewer_id,omitempty"`
	// Tiers are the regime's levels, lowest first; none for a single-tier
	// regime, whose agencies all report to the office.
	Tiers []Tier `json:"tiers,omitempty"`
	// Assignments are the agencies that report; callers other than office
	// staff see only those in their scope. PUT
	// /api/v1/regimes/{code}/assignments takes an array of them.
	Assignments []Assignment `json:"assignments"`
}

// Assignment is an agency a regime expects reports from, between the
// dates when given.
type Assignment struct {
	Agency      string          `json:"agency"`
	ActiveFrom  *reporting.Date `json:"active_from,omitempty"`
	ActiveUntil *reporting.Date `json:"active_until,omitempty"`
}

// Tier is one level of a multi-tier regime: the agencies at Depth of the
// agency tree (the root is 1, a province under a region 3, its departments
// 4), due by DeadlineRule; the top level's rule is the regime's
// (deadline_rule left out, or the same).
//
// ReminderOffsets and Escalations, when given, are the level's own
// reminders and escalation ladder, written as in the regime's policy; left
// out, the level is chased by the regime's. An empty list means none.
type Tier struct {
	Level           int                        `json:"level,omitempty"`
	NameVI          string                     `json:"name_vi"`
	NameEN          string                     `json:"name_en,omitempty"`
	Depth           int                        `json:"depth"`
	DeadlineRule    string                     `json:"deadline_rule,omitempty"`
	ReminderOffsets *[]string                  `json:"reminder_offsets,omitempty"`
	Escalations     *[]reporting.EscalationDoc `json:"escalations,omitempty"`
}
