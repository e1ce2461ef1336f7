package reporting

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Values are the figures of one submission: indicator code → value as text.
type Values map[string]string

// MaxTextLength is the most characters a text indicator holds.
const MaxTextLength = 4000

// Codes of the problems of submitted values (FieldError.Code), stable for
// API clients and translations.
const (
	// FieldRequired: a required indicator is empty.
	FieldRequired = "required"
	// FieldNotANumber: a numeric indicator holds something else.
	FieldNotANumber = "not_a_number"
	// FieldDecimalComma: a number written with ',' (a decimal comma or a
	// thousands separator); rcm reads only '.' as the decimal point.
	FieldDecimalComma = "decimal_comma"
	// FieldNotAnInteger: an integer indicator holds a fraction.
	FieldNotAnInteger = "not_an_integer"
	// FieldBelowMin: the value is below the indicator's Min (in Limit).
	FieldBelowMin = "below_min"
	// FieldAboveMax: the value is above the indicator's Max (in Limit).
	FieldAboveMax = "above_max"
	// FieldUnknownIndicator: the code is not in the template.
	FieldUnknownIndicator = "unknown_indicator"
	// FieldTooLong: the value has more characters than Limit.
	FieldTooLong = "too_long"
	// FieldInvalidText: the text is not valid UTF-8 or holds a NUL character.
	FieldInvalidText = "invalid_text"
)

// valueError is the problem of one submitted value of the indicator.
func valueError(indicator, code, limit string) FieldError {
	return FieldError{Field: ValueField(indicator), Code: code, Indicator: indicator, Limit: limit}
}

// ValidateValues checks submitted values against the template and returns
// them normalised together with every problem found, sorted in template
// order (unknown codes last, by code). An empty result means the values are
// acceptable.
//
// Normalised values hold the valid, non-empty values only: surrounding spaces
// trimmed; numbers in canonical decimal text, with no '+', no leading zeros
// and no trailing zeros after the point ("+007.50" → "7.5", "5.0" → "5").
// Only '.' is a decimal point; a ',' gets its own problem code asking for
// '.'. Text holds at most MaxTextLength characters; numbers at most 64.
// Percent values are plain decimals ("7.5" for 7.5%), bounded by Min and Max
// only. An empty value counts as not given.
func (t Template) ValidateValues(v Values) (Values, []FieldError) {
	out := make(Values, len(v))
	var problems []FieldError
	report := func(ind Indicator, code, limit string) {
		problems = append(problems, valueError(ind.Code, code, limit))
	}
	known := make(map[string]bool, len(t.Indicators))
	for _, ind := range t.Indicators {
		known[ind.Code] = true
		text := strings.TrimSpace(v[ind.Code])
		if text == "" {
			if ind.Required {
				report(ind, FieldRequired, "")
			}
			continue
		}
		if ind.Type == TypeText {
			switch {
			case !utf8.ValidString(text) || strings.ContainsRune(text, 0):
				report(ind, FieldInvalidText, "")
			case utf8.RuneCountInString(text) > MaxTextLength:
				report(ind, FieldTooLong, strconv.Itoa(MaxTextLength))
			default:
				out[ind.Code] = text
			}
			continue
		}
		if len(text) > maxDecimalChars {
			report(ind, FieldTooLong, strconv.Itoa(maxDecimalChars))
			continue
		}
		canonical, value, problem := parseDecimal(text)
		if problem != decimalOK {
			report(ind, problem, "")
			continue
		}
		if ind.Type == TypeInteger && !isInteger(canonical) {
			report(ind, FieldNotAnInteger, "")
			continue
		}
		if minText, lo, _ := parseDecimal(ind.Min); ind.Min != "" && lo != nil && value.Cmp(lo) < 0 {
			report(ind, FieldBelowMin, minText)
			continue
		}
		if maxText, hi, _ := parseDecimal(ind.Max); ind.Max != "" && hi != nil && value.Cmp(hi) > 0 {
			report(ind, FieldAboveMax, maxText)
			continue
		}
		out[ind.Code] = canonical
	}
	var unknown []string
	for code := range v {
		if !known[code] {
			unknown = append(unknown, code)
		}
	}
	sort.Strings(unknown) // map order must not reach the caller
	for _, code := range unknown {
		problems = append(problems, valueError(code, FieldUnknownIndicator, ""))
	}
	return out, problems
}
