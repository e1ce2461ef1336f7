package api

import (
	"encoding/json"
	"time"

	"rcm/reporting"
)

// Obligation is one agency's obligation in a cycle (GET
// /api/v1/cycles/{id}/obligations).
type Obligation struct {
	Cycle              string     `json:"cycle"`
	Agency             string     `json:"agency"`
	NameVI             string     `json:"name_vi"`
	NameEN             string     `json:"name_en,omitempty"`
	Path               string     `json:"path"`
	Due                time.Time  `json:"due"`
	Close              time.Time  `json:"close"`
	Status             string     `json:"status"`
	Final              bool       `json:"final"`
	Overdue            bool       `json:"overdue"`
	NotifiedAt         *time.Time `json:"notified_at,omitempty"`
	FirstSubmittedAt   *time.Time `json:"first_submitted_at,omitempty"`
	LastSubmittedAt    *time.Time `json:"last_submitted_at,omitempty"`
	Versions           int        `json:"versions"`
	AcceptedSubmission *int64     `json:"accepted_submission,omitempty"`
	// NilReport: the agency declared it has nothing to report (counted as
	// submitted; Status is accepted while the cycle runs).
	NilReport bool `json:"nil_report"`
}

// AgencyObligation is an agency's obligation in a cycle with every version
// it submitted, newest first (GET /api/v1/cycles/{id}/agencies/{code}).
type AgencyObligation struct {
	Obligation Obligation   `json:"obligation"`
	Versions   []Submission `json:"versions"`
	// Actions are the reopens, nil reports, extension requests and late
	// filings of the obligation, newest first.
	Actions []Action `json:"actions"`
}

// Submission is one stored version of an agency's report, with its review
// if there is one (GET /api/v1/submissions/{id}, GET /api/v1/reviews).
type Submission struct {
	ID            int64            `json:"id"`
	Cycle         string           `json:"cycle"`
	Agency        string           `json:"agency"`
	Version       int              `json:"version"`
	ReceiptNumber string           `json:"receipt_number"`
	Values        reporting.Values `json:"values"`
	Narrative     string           `json:"narrative,omitempty"`
	Source        string           `json:"source"`
	SubmittedBy   string           `json:"submitted_by"`
	SubmittedAt   time.Time        `json:"submitted_at"`
	// ContentHash is the SHA-256 (hex) of the stored report, the one its
	// receipt shows and rcm receipt verify recomputes.
	ContentHash string `json:"content_hash"`
	// LateFiled marks a version filed after close (a late filing).
	LateFiled bool `json:"late_filed,omitempty"`
	// MissingChildren are, for a version of an upper level's report in a
	// tiered cycle, the agencies of the level below it was sent without.
	MissingChildren []string `json:"missing_children,omitempty"`
	Review          *Review  `json:"review,omitempty"`
}

// SubmissionRequest is the JSON body of a submission (POST
// /api/v1/cycles/{id}/agencies/{code}/submissions). Each value may be a JSON
// number (123.50) or a string ("123.5"); held raw, a number keeps every
// digit written.
type SubmissionRequest struct {
	Values    map[string]json.RawMessage `json:"values"`
	Narrative string                     `json:"narrative"`
}

// LateFilingRequest is the JSON body of a late filing (POST
// /api/v1/cycles/{id}/agencies/{code}/late-filings): the values and
// narrative as for a submission, and the reason it comes after close. A
// multipart form carries the file, "narrative" and "reason".
type LateFilingRequest struct {
	Values    map[string]json.RawMessage `json:"values"`
	Narrative string                     `json:"narrative"`
	Reason    string                     `json:"reason"`
}

// LateFiling is the answer to a late filing: the late filing (pending the
// office's answer) and the receipt of its version.
type LateFiling struct {
	LateFiling Action  `json:"late_filing"`
	Receipt    Receipt `json:"receipt"`
}

// LateFilingDecision is office staff's answer to a late filing (POST
// /api/v1/late-filings/{id}/decision): admitted, or refused with a reason.
type LateFilingDecision struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason,omitempty"`
}

// Receipt is the answer to a submission: 201 for a version stored, 200 with
// Replayed for a repeat of an Idempotency-Key.
type Receipt struct {
	Number       string    `json:"receipt_number"`
	SubmissionID int64     `json:"submission_id"`
	CycleID      string    `json:"cycle_id"`
	AgencyCode   string    `json:"agency_code"`
	Version      int       `json:"version"`
	SubmittedAt  time.Time `json:"submitted_at"`
	// Estimates says the figures are estimates (số liệu ước tính): the
	// cycle's regime reports them before the data cut-off.
	Estimates bool `json:"estimates"`
	// ContentHash is the SHA-256 (hex) of the stored report: normalised
	// values in indicator order, then the narrative.
	ContentHash string `json:"content_hash"`
	// Replayed is true when an earlier request with the same idempotency key
	// stored this version.
	Replayed bool `json:"replayed"`
}

// ReceiptCheck is the answer to a receipt's verification (POST
// /api/v1/receipts/{number}/verify with the file that was submitted).
type ReceiptCheck struct {
	Receipt Receipt `json:"receipt"`
	// FileHash is the content hash of the report in the file.
	FileHash string `json:"file_hash"`
	// Match is true when the file holds the report the receipt proves.
	Match       bool         `json:"match"`
	Differences []Difference `json:"differences"`
}

// Difference is a value that differs between the stored version and the
// file; "" is a value not given.
type Difference struct {
	// Field is the indicator's code, or "narrative".
	Field     string `json:"field"`
	Stored    string `json:"stored"`
	Submitted string `json:"submitted"`
}

// Review is a decision on a version.
type Review struct {
	ID           int64     `json:"id"`
	SubmissionID int64     `json:"submission_id"`
	Decision     string    `json:"decision"`
	Reason       string    `json:"reason,omitempty"`
	Reviewer     string    `json:"reviewer"`
	DecidedAt    time.Time `json:"decided_at"`
}

// ReviewRequest is office staff's decision on a version (POST
// /api/v1/submissions/{id}/review): Decision is "accepted" or "returned",
// and a return needs a Reason, which the agency is told.
type ReviewRequest struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
	// Reopen names agencies of the level below whose accepted reports a
	// return of a consolidated report reopens with it, in one transaction
	// (office staff; a multi-tier cycle).
	Reopen []string `json:"reopen,omitempty"`
}
