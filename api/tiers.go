package api

import "rcm/reporting"

// TierProgress is how a tiered cycle stands level by level within the
// caller's scope (GET /api/v1/cycles/{id}/tiers): each level's compliance
// and states, and each agency of an upper level with the agencies below it
// that it is waiting for. A single-tier cycle has no levels.
type TierProgress struct {
	Cycle   string       `json:"cycle"`
	Status  string       `json:"status"`
	Levels  []TierLevel  `json:"levels"`
	Parents []TierParent `json:"parents"`
}

// TierLevel is one level of a tiered cycle: its deadlines, its
// obligations by live (or final) state, and its compliance.
type TierLevel struct {
	CycleTier
	ByState map[string]int  `json:"by_state"`
	Rates   reporting.Rates `json:"rates"`
	// Figures are the level's own accepted figures rolled up to the top of
	// the scope: for the top level the aggregate built from its
	// consolidated reports, for a lower level the raw figures to compare
	// it with.
	Figures []ConsolidatedValue `json:"figures"`
}

// TierParent is an agency of an upper level: its own state, and how many
// agencies of the level below it are settled (accepted, nil report or
// closed out) of how many, naming those it is waiting for.
type TierParent struct {
	Agency     string   `json:"agency"`
	NameVI     string   `json:"name_vi"`
	NameEN     string   `json:"name_en,omitempty"`
	Level      int      `json:"level"`
	State      string   `json:"state"`
	Children   int      `json:"children"`
	Settled    int      `json:"settled"`
	WaitingFor []string `json:"waiting_for"`
}

// Consolidation is an upper-level agency's report pre-filled from the
// accepted reports of the agencies of the level below (GET
// /api/v1/cycles/{id}/agencies/{code}/consolidation): each indicator by its
// aggregation method, with its coverage, and each child with its state.
// The agency's officer adjusts the figures, explains the differences in the
// narrative and submits them as the agency's report; a report submitted
// before every child is settled states WaitingFor as missing.
type Consolidation struct {
	Cycle      string              `json:"cycle"`
	Agency     string              `json:"agency"`
	NameVI     string              `json:"name_vi"`
	NameEN     string              `json:"name_en,omitempty"`
	Level      int                 `json:"level"`
	Values     []ConsolidatedValue `json:"values"`
	Children   []ConsolidatedChild `json:"children"`
	WaitingFor []string            `json:"waiting_for"`
	// LatestVersion is the latest version of the agency's own report (0
	// while none), and SentWithout the children it was sent without.
	LatestVersion int      `json:"latest_version,omitempty"`
	SentWithout   []string `json:"sent_without,omitempty"`
}

// ConsolidatedValue is one pre-filled figure: Value (decimal text) from
// Contributors of the Expected children.
type ConsolidatedValue struct {
	Indicator    string `json:"indicator"`
	Aggregation  string `json:"aggregation"`
	Value        string `json:"value"`
	Contributors int    `json:"contributors"`
	Expected     int    `json:"expected"`
}

// ConsolidatedChild is one agency of the level below in a consolidation.
type ConsolidatedChild struct {
	Agency  string `json:"agency"`
	NameVI  string `json:"name_vi"`
	NameEN  string `json:"name_en,omitempty"`
	State   string `json:"state"`
	Settled bool   `json:"settled"`
}
