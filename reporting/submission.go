package reporting

import (
	"fmt"
	"slices"
	"time"
)

// Submission is one stored version of an agency's report in a cycle.
type Submission struct {
	ID         int64
	CycleID    string
	AgencyCode string
	// Version numbers the agency's versions in the cycle from 1.
	Version int
	// Values are as validated and normalised by Template.ValidateValues.
	Values    Values
	Narrative string
	// Source says how it came: json, csv, xlsx, form, cli.
	Source           string
	SubmittedBy      int64
	SubmittedByEmail string
	SubmittedAt      time.Time
	ContentHash      []byte
	IdempotencyKey   string
	ReceiptNumber    string
	// Review is the decision on this version, nil while there is none.
	Review *Review
}

// ReceiptNumber is the number an agency keeps as proof of a stored version.
func ReceiptNumber(cycleID, agencyCode string, version int) string {
	return fmt.Sprintf("%s-%s-v%d", cycleID, agencyCode, version)
}

// Review is the office's decision on one submission version.
type Review struct {
	ID            int64
	SubmissionID  int64
	Decision      Decision
	Reason        string
	ReviewerID    int64
	ReviewerEmail string
	DecidedAt     time.Time
}

// Decision is what a reviewer decides on a version.
type Decision string

// The decisions.
const (
	// DecisionAccepted: the version is the agency's report.
	DecisionAccepted Decision = "accepted"
	// DecisionReturned: the version goes back to the agency with a reason.
	DecisionReturned Decision = "returned"
)

// Decisions lists the decisions.
func Decisions() []Decision { return []Decision{DecisionAccepted, DecisionReturned} }

// IsValid reports whether d is one of the decisions.
func (d Decision) IsValid() bool { return slices.Contains(Decisions(), d) }

// ObligationStatus is the state the decision puts the obligation in.
func (d Decision) ObligationStatus() ObligationStatus {
	if d == DecisionAccepted {
		return ObligationAccepted
	}
	return ObligationReturned
}
