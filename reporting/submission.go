package reporting

import (
	"fmt"
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
