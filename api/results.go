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
