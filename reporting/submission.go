package reporting

import (
	"crypto/rand"
	"encoding/base32"
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
	// LateFiled marks a version filed after its obligation's close (a late
	// filing), which counts only once the office admits it.
	LateFiled bool
	// MissingChildren are, for a version of an upper level's report in a
	// tiered cycle, the agencies of the level below it was sent without
	// (not accepted, no nil report, not closed out), in code order.
	MissingChildren []string
	// Review is the decision on this version, nil while there is none.
	Review *Review
}

// ReceiptNumber is the number an agency keeps as proof of a stored version:
// the cycle, the agency and the version, which a person reads, then a code
// from NewReceiptCode, so that no one can name another agency's receipt by
// counting. Receipts stored before the code was added have none and stay
// valid.
func ReceiptNumber(cycleID, agencyCode string, version int, code string) string {
	return fmt.Sprintf("%s-%s-v%d-%s", cycleID, agencyCode, version, code)
}

// receiptCodeLength is the length of a receipt's code: 10 base32 characters
// are 50 random bits.
const receiptCodeLength = 10

// NewReceiptCode returns a random code for a receipt number: upper-case
// letters and digits 2-7, safe in a URL and read aloud without ambiguity
// between 0/O and 1/I.
func NewReceiptCode() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("receipt code: %w", err)
	}
	return base32.StdEncoding.EncodeToString(b)[:receiptCodeLength], nil
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
