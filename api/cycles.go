package api

import (
	"time"

	"rcm/reporting"
)

// Cycle is a reporting cycle: one period of a regime (GET and POST
// /api/v1/cycles, GET /api/v1/cycles/{id}, and the answer of close and
// cancel).
type Cycle struct {
	ID          string         `json:"id"`
	Regime      string         `json:"regime"`
	Period      string         `json:"period"`
	Status      string         `json:"status"`
	WindowStart reporting.Date `json:"window_start"`
	WindowEnd   reporting.Date `json:"window_end"`
	TimeZone    string         `json:"time_zone"`
	CutOff      time.Time      `json:"cut_off"`
	Due         time.Time      `json:"due"`
	// Estimates: the regime reports estimates (số liệu ước tính), so Due
	// may come before CutOff.
	Estimates    bool                `json:"estimates,omitempty"`
	Close        time.Time           `json:"close"`
	Expected     int                 `json:"expected"`
	Policy       reporting.PolicyDoc `json:"policy"`
	LaunchedAt   time.Time           `json:"launched_at"`
	OpenedAt     *time.Time          `json:"opened_at,omitempty"`
	ClosedAt     *time.Time          `json:"closed_at,omitempty"`
	CancelReason string              `json:"cancel_reason,omitempty"`
	// Tiers are the levels of a tiered cycle with their deadlines, lowest
	// first; the top level's are Due and Close.
	Tiers []CycleTier `json:"tiers,omitempty"`
	// Counts are the obligations by status within the caller's scope, and
	// InScope their number (one cycle only).
	Counts  map[string]int `json:"counts,omitempty"`
	InScope *int           `json:"in_scope,omitempty"`
}

// Launch asks for a cycle (POST /api/v1/cycles); the policy fields, when
// given, replace the regime's for this cycle only. Due is +2m (from now), a
// date (the end of that day in the regime's zone) or an RFC 3339 time; the
// offsets are written as reporting.ParseOffset reads them. A pointer to an
// empty list sends [] (none); nil leaves the regime's.
type Launch struct {
	Regime          string                     `json:"regime"`
	Period          string                     `json:"period"`
	Due             string                     `json:"due,omitempty"`
	ReminderOffsets *[]string                  `json:"reminder_offsets,omitempty"`
	Escalations     *[]reporting.EscalationDoc `json:"escalations,omitempty"`
	ReviewTime      string                     `json:"review_time,omitempty"`
	CloseAfter      string                     `json:"close_after,omitempty"`
	// TierDue replaces the due of lower levels of a tiered regime, written
	// as Due; Due is the top level's.
	TierDue []TierDue `json:"tier_due,omitempty"`
}

// TierDue is the due of one lower level of a tiered cycle at launch.
type TierDue struct {
	Level int    `json:"level"`
	Due   string `json:"due"`
}

// CycleTier is one level of a tiered cycle, with its deadlines.
type CycleTier struct {
	Level  int       `json:"level"`
	NameVI string    `json:"name_vi"`
	NameEN string    `json:"name_en,omitempty"`
	Depth  int       `json:"depth"`
	Due    time.Time `json:"due"`
	Close  time.Time `json:"close"`
}

// Timeline is a cycle workflow's timeline (GET /api/v1/cycles/{id}/timeline):
// the moments done and those still ahead.
type Timeline struct {
	Cycle    string   `json:"cycle"`
	Status   string   `json:"status"`
	Expected int      `json:"expected"`
	Moments  []Moment `json:"moments"`
}

// Moment is one moment of a timeline: a wave of messages, the due date, the
// close. Step and Of number the steps of a repeated kind (escalation 2 of 3).
type Moment struct {
	At   time.Time `json:"at"`
	Kind string    `json:"kind"`
	Step int       `json:"step,omitempty"`
	Of   int       `json:"of,omitempty"`
	// Tier is the level whose agencies the moment reaches, when the
	// cycle's levels have reminders and escalations of their own.
	Tier   int         `json:"tier,omitempty"`
	Done   bool        `json:"done"`
	Result *WaveResult `json:"result,omitempty"`
}

// WaveResult is what a wave of messages did.
type WaveResult struct {
	Selected  int `json:"selected"`
	Sent      int `json:"sent"`
	Failed    int `json:"failed"`
	Skipped   int `json:"skipped"`
	Remaining int `json:"remaining"`
}

// ExtensionRequest moves due (and close) for one agency, or for all when
// Agency is empty (POST /api/v1/cycles/{id}/extensions). Due and Close are a
// date (the end of that day in the cycle's zone), an RFC 3339 time or +3d
// from now; an empty Close is due plus the cycle's close-after.
type ExtensionRequest struct {
	Agency string `json:"agency"`
	Due    string `json:"due"`
	Close  string `json:"close"`
	Reason string `json:"reason"`
}

// Extension is an extension granted.
type Extension struct {
	ID        int64      `json:"id"`
	Cycle     string     `json:"cycle"`
	Agency    string     `json:"agency,omitempty"`
	OldDue    *time.Time `json:"old_due,omitempty"`
	Due       time.Time  `json:"due"`
	Close     time.Time  `json:"close"`
	Reason    string     `json:"reason"`
	CreatedAt time.Time  `json:"created_at"`
	// Affected is the number of obligations whose deadlines moved.
	Affected int `json:"affected"`
}

// Reason is the body of close and cancel (POST
// /api/v1/cycles/{id}/close, .../cancel): why, recorded and told.
type Reason struct {
	Reason string `json:"reason"`
}

// LaunchPlan is what launching a cycle would send (POST /api/v1/cycles/plan,
// the body of a launch): the cycle's dates, who it would write to, and every
// notice, reminder, overdue notice, escalation and the close, each with its
// recipients counted and flagged when outside office hours.
type LaunchPlan struct {
	// The cycle the launch would create.
	ID          string              `json:"id"`
	Regime      string              `json:"regime"`
	Period      string              `json:"period"`
	WindowStart reporting.Date      `json:"window_start"`
	WindowEnd   reporting.Date      `json:"window_end"`
	TimeZone    string              `json:"time_zone"`
	CutOff      time.Time           `json:"cut_off"`
	Due         time.Time           `json:"due"`
	Close       time.Time           `json:"close"`
	Estimates   bool                `json:"estimates"`
	Policy      reporting.PolicyDoc `json:"policy"`
	LabelVI     string              `json:"label_vi"`
	LabelEN     string              `json:"label_en"`
	SendTime    string              `json:"send_time"`
	// Agencies are those that would report (expected).
	Agencies int `json:"agencies"`
	// NoOfficerAddress and NoHeadAddress list the agencies without that address.
	NoOfficerAddress []AgencyRef   `json:"no_officer_address"`
	NoHeadAddress    []AgencyRef   `json:"no_head_address"`
	Supervisors      int           `json:"supervisors"`
	Unsupervised     int           `json:"unsupervised"`
	Staff            int           `json:"staff"`
	Sends            []PlannedSend `json:"sends"`
}

// AgencyRef names an agency.
type AgencyRef struct {
	Code   string `json:"code"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en"`
}

// PlannedSend is one moment of a launch plan: its instant, kind, step,
// recipients (officer, head, supervisor), how many people it writes to at
// most, how many agencies lack the address, and whether it goes out in
// office hours (in_hours), outside them on a working day (off_hours) or on
// a day off (off_day).
type PlannedSend struct {
	At         time.Time `json:"at"`
	Kind       string    `json:"kind"`
	Step       int       `json:"step"`
	Of         int       `json:"of"`
	Recipients []string  `json:"recipients"`
	Count      int       `json:"count"`
	NoAddress  int       `json:"no_address"`
	When       string    `json:"when"`
}
