package api

import "rcm/reporting"

// Agency is an agency of the tree that reports (GET /api/v1/agencies,
// GET /api/v1/agencies/{code}); POST /api/v1/agencies:import takes an array
// of them, Path left out.
type Agency struct {
	Code         string          `json:"code"`
	Parent       string          `json:"parent,omitempty"`
	Path         string          `json:"path,omitempty"`
	NameVI       string          `json:"name_vi"`
	NameEN       string          `json:"name_en,omitempty"`
	Kind         string          `json:"kind"`
	OfficerEmail string          `json:"officer_email,omitempty"`
	HeadEmail    string          `json:"head_email,omitempty"`
	Language     string          `json:"language,omitempty"`
	ActiveFrom   *reporting.Date `json:"active_from,omitempty"`
	ActiveUntil  *reporting.Date `json:"active_until,omitempty"`
}

// ImportResult counts what an import of agencies changed.
type ImportResult struct {
	Received  int `json:"received"`
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}
