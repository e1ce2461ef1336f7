package reporting

import "time"

// Cycle is one reporting cycle: a regime × a period, with its dates frozen at
// launch. Due and Close are the cycle-wide deadlines; single obligations may
// have been extended beyond them.
type Cycle struct {
	ID          string
	RegimeCode  string
	Period      string
	WindowStart Date
	WindowEnd   Date
	TimeZone    string
	CutOff      time.Time
	Due         time.Time
	Close       time.Time
	Policy      Policy
	// Estimates: the regime reports estimates, so Due may come before CutOff.
	Estimates bool
	// Tiers are the levels of a tiered cycle, lowest first, each with its
	// own due and close; the top one's are Due and Close. None in a
	// single-tier cycle.
	Tiers        []CycleTier
	Status       CycleStatus
	Expected     int
	LaunchedBy   *int64
	LaunchedAt   time.Time
	OpenedAt     *time.Time
	ClosedAt     *time.Time
	CancelReason string
}

// ReportsEstimates says the cycle's figures are estimates (số liệu ước
// tính): its regime reports estimates and the cycle is due before its data
// cut-off, so the figures for the rest of the window are estimated. The
// deadline notice, the reminders, the receipts and the agency's page say
// so; a cycle of such a regime due after its cut-off reports actual
// figures and says nothing of estimates.
func (c Cycle) ReportsEstimates() bool { return c.Estimates && c.Due.Before(c.CutOff) }

// CycleStatus is where a cycle is in its life.
type CycleStatus string

// The cycle statuses.
const (
	// CycleLaunching: recorded, its obligations not opened yet.
	CycleLaunching CycleStatus = "launching"
	// CycleOpen: its obligations are open; agencies submit.
	CycleOpen CycleStatus = "open"
	// CycleClosing: its workflow is classifying and aggregating.
	CycleClosing CycleStatus = "closing"
	// CycleClosed: every obligation has its final state and the results are stored.
	CycleClosed CycleStatus = "closed"
	// CycleCancelled: stopped by office staff; no final states.
	CycleCancelled CycleStatus = "cancelled"
)

// cycleFrom is the life of a cycle: each status and the statuses it may
// follow. Closing a cycle again (closed from closed) recomputes its results.
var cycleFrom = life[CycleStatus]{
	CycleLaunching: nil,
	CycleOpen:      {CycleLaunching},
	CycleClosing:   {CycleOpen},
	CycleClosed:    {CycleOpen, CycleClosing, CycleClosed},
	CycleCancelled: {CycleLaunching, CycleOpen},
}

// CycleStatuses lists every cycle status, in the order of a cycle's life.
func CycleStatuses() []CycleStatus {
	return []CycleStatus{CycleLaunching, CycleOpen, CycleClosing, CycleClosed, CycleCancelled}
}

// IsValid reports whether s is one of the cycle statuses.
func (s CycleStatus) IsValid() bool { return cycleFrom.valid(s) }

// From returns the statuses a cycle may be in to become s.
func (s CycleStatus) From() []CycleStatus { return cycleFrom.from(s) }

// Follows reports whether a cycle in status prev may become s.
func (s CycleStatus) Follows(prev CycleStatus) bool { return cycleFrom.follows(s, prev) }

// Extension is a recorded deadline change: due and close moved for one
// agency (AgencyCode set) or for every obligation of the cycle not final yet.
type Extension struct {
	ID         int64
	CycleID    string
	AgencyCode string
	OldDue     *time.Time
	Due        time.Time
	Close      time.Time
	Reason     string
	CreatedBy  *int64
	CreatedAt  time.Time
	// Affected is how many obligations moved.
	Affected int
}
