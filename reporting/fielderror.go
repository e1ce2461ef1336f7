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
	// Reason says what is wrong and what to do, for a person, in English
	// only. It is empty where the reason is in the messages catalogue: for a
	// problem with a submitted value (Indicator set), a figure that does not
	// read (Number set) or a reason with a Key, messages.FieldReason writes
	// it in the reader's language.
	Reason string
	// Key is the messages catalogue's key of the reason
	// ("reason.refusal_needs_reason"), formatted with Args; see Keyed.
	Key string
	// Args are the arguments of the text of Key, the same in every language.
	Args []any
	// Number is the figure that did not read in its notation, where that is
	// the problem; messages.NumberReason says it.
	Number *NumberError
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
// as an error. A reason in the catalogue is not written here: Error names a
// value problem's code and limit (`values.GRDP: below_min (limit 0)`), a
// figure's NumberError, or the Key and its Args (`due: reason.due_passed
// [01/12/2026]`); people read messages.FieldReason, in their language.
func (e FieldError) Error() string {
	reason := e.Reason
	switch {
	case reason != "":
	case e.Number != nil:
		reason = e.Number.Error()
	case e.Key != "":
		reason = e.Key
		if len(e.Args) > 0 {
			reason += " " + fmt.Sprint(e.Args)
		}
	case e.Indicator != "":
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

// Keyed is a FieldError whose reason is the messages catalogue's text of
// key, formatted with args in the reader's language.
func Keyed(field, key string, args ...any) FieldError {
	return FieldError{Field: field, Key: key, Args: args}
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

// AddKey records that field is refused, the reason the messages
// catalogue's text of key formatted with args (see Keyed).
func (fe *FieldErrors) AddKey(field, key string, args ...any) {
	*fe = append(*fe, Keyed(field, key, args...))
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
