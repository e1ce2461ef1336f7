package api

import "rcm/reporting"

// Compliance is the compliance of every node of the agency tree the caller
// sees, in a cycle (GET /api/v1/cycles/{id}/compliance).
type Compliance struct {
	Cycle  string `json:"cycle"`
	Status string `json:"status"`
	// Final is true once the cycle has closed: the figures are the final
	// states stored at close. Before, they are live: each obligation counted
	// with its live state (not yet due, awaiting review, returned, overdue,
	// accepted, nil report; never missing or not accepted), and the on-time
	// rate is over what was submitted so far (on_time_rate_basis).
	Final bool            `json:"final"`
	Items []ComplianceRow `json:"items"`
}

// ComplianceRow is the compliance of one node's subtree.
type ComplianceRow struct {
	Agency string `json:"agency"`
	NameVI string `json:"name_vi"`
	NameEN string `json:"name_en,omitempty"`
	Path   string `json:"path"`
	reporting.Rates
}

// Aggregates is the figures of every node the caller sees, in a cycle (GET
// /api/v1/cycles/{id}/aggregates).
type Aggregates struct {
	Cycle  string `json:"cycle"`
	Status string `json:"status"`
	// Final: as in Compliance; before close, the figures roll up the
	// versions accepted so far.
	Final      bool           `json:"final"`
	Indicators []Indicator    `json:"indicators"`
	Items      []AggregateRow `json:"items"`
}

// AggregateRow is one indicator rolled up over one node's subtree; Value is
// decimal text.
type AggregateRow struct {
	Agency       string `json:"agency"`
	NameVI       string `json:"name_vi"`
	NameEN       string `json:"name_en,omitempty"`
	Path         string `json:"path"`
	Indicator    string `json:"indicator"`
	Value        string `json:"value"`
	Contributors int    `json:"contributors"`
	// Expected is the number of agencies of the subtree expected to report:
	// the figure covers Contributors of Expected. 0 for figures stored
	// before coverage was kept.
	Expected int `json:"expected"`
}

// Matrix is the agency × period compliance of a cycle's regime: the
// cycle's period and up to eleven before it, for a page of agencies (GET
// /api/v1/cycles/{id}/matrix).
type Matrix struct {
	Cycle string `json:"cycle"`
	// Periods are the matrix's columns, oldest first.
	Periods []MatrixPeriod `json:"periods"`
	Items   []MatrixRow    `json:"items"`
	// Next is the cursor of the next page of agencies; absent on the last.
	Next string `json:"next,omitempty"`
	// Latecomers are the agencies of the whole scope late, missing or not
	// accepted in every one of their final periods (at least three).
	Latecomers []Latecomer `json:"latecomers"`
}

// MatrixPeriod is one column of the matrix.
type MatrixPeriod struct {
	Cycle  string `json:"cycle"`
	Period string `json:"period"`
	Status string `json:"status"`
}

// MatrixRow is one agency's line: a cell per period, null where it owed
// nothing.
type MatrixRow struct {
	Agency string        `json:"agency"`
	NameVI string        `json:"name_vi"`
	NameEN string        `json:"name_en,omitempty"`
	Path   string        `json:"path"`
	Cells  []*MatrixCell `json:"cells"`
}

// MatrixCell is one obligation of the matrix: its final state once final,
// else its live state.
type MatrixCell struct {
	State    string `json:"state"`
	Final    bool   `json:"final"`
	DaysLate int    `json:"days_late,omitempty"`
	Extended bool   `json:"extended"`
	Versions int    `json:"versions"`
}

// Latecomer is a chronic latecomer of the matrix.
type Latecomer struct {
	Agency    string `json:"agency"`
	NameVI    string `json:"name_vi"`
	NameEN    string `json:"name_en,omitempty"`
	Finals    int    `json:"finals"`
	NotOnTime int    `json:"not_on_time"`
}
