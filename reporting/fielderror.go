package reporting

import (
	"fmt"
	"strings"
)

// FieldError is one refused field of an input: the one shape every refusal
// of what an input says takes in rcm, whoever finds it — the checks of
// templates, policies and submitted values here, the store, the operations, the
// readers of uploaded files. The HTTP API writes it as one entry of a
// problem's errors (api.FieldProblem).
type FieldError struct {
	// Field names the field in the input's own terms, the API's JSON names:
	// "reason", "policy.escalations[0].times", "[3].parent" for a record of a
	// list, "values.GRDP" for a submitted value, "file" for an uploaded file
	// as a whole.
	Field string
	// Reason says what is wrong and what to do, for a person. For a problem
	// with a submitted value (Indicator set) it is empty and
	// messages.FieldReason writes it, in the reader's language.
	Reason string
	// ReasonVI is Reason in Vietnamese, where its finder wrote one (the
	// reasons people read on the pages); Message gives it to Vietnamese readers.
	ReasonVI string
	// Code is a stable code for the reason where there is one (FieldRequired,
	// FieldBelowMin, ...).
	Code string
	// Line is the line (CSV) or row (XLSX) of an uploaded file, where it applies.
	Line int
	// Indicator is the indicator's code, on a problem with a submitted value.
	Indicator string
	// Limit is the bound a submitted value crossed (a Min, a Max or a
	// length), or "".
	Limit string
}

// Error returns the field and the reason, so that a FieldError can travel
// as an error. A problem with a submitted value has no Reason: Error names
// its code and limit (`values.GRDP: below_min (limit 0)`), and people read
// messages.FieldReason, in their language.
func (e FieldError) Error() string {
	reason := e.Reason
	if e.Indicator != "" && reason == "" {
		reason = e.Code
		if e.Limit != "" {
			reason += " (limit " + e.Limit + ")"
		}
	}
	if e.Field == "" {
		return reason
	}
	return e.Field + ": " + reason
}

// Localized is a FieldError with its reason in English and Vietnamese.
func Localized(field, vi, en string) FieldError {
	return FieldError{Field: field, Reason: en, ReasonVI: vi}
}

// InputError is an input refused for what it says, whatever the state of the
// records, with every refused field at once.
type InputError struct {
	Fields []FieldError
}

// Error names the refused fields and why, in English.
func (e *InputError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	if len(parts) == 1 {
		return "invalid input: " + parts[0]
	}
	return fmt.Sprintf("invalid input (%d problems): %s", len(parts), strings.Join(parts, "; "))
}

// FieldErrors collects the refused fields of one input, so that every
// problem is reported at once rather than the first.
type FieldErrors []FieldError

// Add records that field is refused, the reason written as by fmt.Sprintf.
func (fe *FieldErrors) Add(field, format string, args ...any) {
	*fe = append(*fe, FieldError{Field: field, Reason: fmt.Sprintf(format, args...)})
}

// AddIn records that field is refused, with the reason in Vietnamese and
// in English.
func (fe *FieldErrors) AddIn(field, vi, en string) {
	*fe = append(*fe, Localized(field, vi, en))
}

// Err returns the collected fields as an *InputError, or nil when there are
// none.
func (fe FieldErrors) Err() error {
	if len(fe) == 0 {
		return nil
	}
	return &InputError{Fields: fe}
}

// Under returns errs with prefix put before each field, for the fields of a
// part of a larger input: Under("policy.", …) turns "close_after" into
// "policy.close_after".
func Under(prefix string, errs []FieldError) []FieldError {
	out := make([]FieldError, len(errs))
	for i, e := range errs {
		e.Field = prefix + e.Field
		out[i] = e
	}
	return out
}

// ValueField is the name of a submitted indicator value as a field of an
// input ("values.GRDP").
func ValueField(indicator string) string { return "values." + indicator }
