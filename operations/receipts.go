package operations

import (
	"bytes"
	"context"
	"errors"
	"sort"
	"strings"

	"rcm/reporting"
	"rcm/store"
)

// ReceiptCheck is what VerifyReceipt found: the stored version a receipt
// names, and whether a submitted file holds the same report.
type ReceiptCheck struct {
	Submission reporting.Submission
	// FileHash is the content hash of the file's report, computed as at
	// submission (normalised values in code order, then the narrative).
	FileHash []byte
	// Match is true when the hashes are equal: the file is the report the
	// receipt proves.
	Match bool
	// Differences name each value (or the narrative) that differs, in
	// indicator order; empty when Match.
	Differences []Difference
}

// Difference is one value of a report that differs between what is stored
// and a submitted file; "" stands for a value not given.
type Difference struct {
	// Field is the indicator's code, or "narrative".
	Field     string
	Stored    string
	Submitted string
}

// ReceiptSubmission returns the version a receipt number names, if the
// caller may see its agency (otherwise it does not exist for them).
func (e *Engine) ReceiptSubmission(ctx context.Context, c Caller, number string) (reporting.Submission, error) {
	if err := e.Authorize(c, OpReadCycles); err != nil {
		return reporting.Submission{}, err
	}
	sub, err := e.store.SubmissionByReceipt(ctx, number)
	if errors.Is(err, store.ErrNotFound) {
		return reporting.Submission{}, notFound("receipt", number)
	}
	if err != nil {
		return reporting.Submission{}, err
	}
	if err := e.requireVisible(ctx, c, sub.AgencyCode); err != nil {
		return reporting.Submission{}, notFound("receipt", number)
	}
	return sub, nil
}

// VerifyReceipt checks a report, as read from the file that was submitted
// (CSV, XLSX or JSON), against the version its receipt names: the values
// are normalised by the cycle's template as at submission, and a value the
// template refuses is compared as written.
func (e *Engine) VerifyReceipt(ctx context.Context, c Caller, number string, values reporting.Values, narrative string) (ReceiptCheck, error) {
	sub, err := e.ReceiptSubmission(ctx, c, number)
	if err != nil {
		return ReceiptCheck{}, err
	}
	tmpl, err := e.store.CycleTemplate(ctx, sub.CycleID)
	if err != nil {
		return ReceiptCheck{}, err
	}
	normalised, _ := tmpl.ValidateValues(values)
	if normalised == nil {
		normalised = reporting.Values{}
	}
	for code, raw := range values {
		if _, ok := normalised[code]; !ok && strings.TrimSpace(raw) != "" {
			normalised[code] = raw
		}
	}
	check := ReceiptCheck{Submission: sub, FileHash: contentHash(normalised, narrative)}
	check.Match = bytes.Equal(check.FileHash, sub.ContentHash)
	codes := make([]string, 0, len(sub.Values)+len(normalised))
	for code := range sub.Values {
		codes = append(codes, code)
	}
	for code := range normalised {
		if _, ok := sub.Values[code]; !ok {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	for _, code := range codes {
		if sub.Values[code] != normalised[code] {
			check.Differences = append(check.Differences, Difference{Field: code, Stored: sub.Values[code], Submitted: normalised[code]})
		}
	}
	if sub.Narrative != narrative {
		check.Differences = append(check.Differences, Difference{Field: "narrative", Stored: sub.Narrative, Submitted: narrative})
	}
	return check, nil
}
