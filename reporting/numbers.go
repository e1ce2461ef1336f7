package reporting

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Figures as people write them. A Vietnamese page reads "12.000" as twelve
// thousand and "8,2" as eight point two; an English page reads them the
// English way; the API and the command line take one canonical form (a '.'
// decimal point, no grouping), which is what ValidateValues checks. A misread
// is a factor of 1,000 in a national total, so a figure that could be read
// two ways is refused, never guessed: grouping must be well formed (groups of
// three after the first), and a mark that the notation does not use where it
// stands is refused with the notation's rule and examples.

// Notation is how the figures of a page or a file are written: the mark that
// groups thousands and the decimal mark. The zero Notation is
// NotationUnstated, the cautious reading.
type Notation string

const (
	// NotationUnstated is the notation of a file that does not say how its
	// figures are written: they are read in canonical notation, and a figure
	// that a Vietnamese or English reader would read otherwise ("12.000",
	// twelve thousand in Vietnamese) is refused as ambiguous.
	NotationUnstated Notation = ""
	// NotationCanonical is the form of the API and the command line: '.' as
	// the decimal point and no grouping ("1234.5", "-12"). A ',' is refused
	// with FieldDecimalComma.
	NotationCanonical Notation = "canonical"
	// NotationVI is how Vietnamese write figures: '.' groups thousands and
	// ',' is the decimal mark ("12.000" is 12000, "1.234,5" is 1234.5,
	// "8,2" is 8.2).
	NotationVI Notation = "vi"
	// NotationEN is how English write figures: ',' groups thousands and '.'
	// is the decimal point ("12,000" is 12000, "1,234.5" is 1234.5).
	NotationEN Notation = "en"
)

// FieldAmbiguousNumber is the code of a figure that cannot be read for sure
// in its notation: grouping that is not in threes, the decimal mark of
// another notation ("12.5" on a Vietnamese page), or, where the notation is
// unstated, a figure that readers of two notations read differently.
const FieldAmbiguousNumber = "ambiguous_number"

// maxNumberInput bounds the text ParseNumber looks at: a canonical figure of
// maxDecimalChars characters with its grouping marks fits.
const maxNumberInput = 2 * maxDecimalChars

// marks returns the grouping mark and the decimal mark of a notation that
// groups, and false for the canonical and unstated notations.
func (n Notation) marks() (group, decimal rune, ok bool) {
	switch n {
	case NotationVI:
		return '.', ',', true
	case NotationEN:
		return ',', '.', true
	}
	return 0, '.', false
}

// Example is a figure written in the notation, for messages: "1.234,5",
// "1,234.5" or "1234.5".
func (n Notation) Example() string {
	switch n {
	case NotationVI:
		return "1.234,5"
	case NotationEN:
		return "1,234.5"
	}
	return "1234.5"
}

// NumberError is a figure that cannot be read in a notation.
type NumberError struct {
	// Text is the figure as written, without surrounding spaces.
	Text string
	// Notation is the notation it was read in.
	Notation Notation
	// Code says what is wrong: FieldNotANumber, FieldDecimalComma,
	// FieldAmbiguousNumber or FieldTooLong.
	Code string
	// Limit is the length crossed, for FieldTooLong.
	Limit string
	// Readings are the canonical figures the text could be, for
	// FieldAmbiguousNumber in NotationUnstated ("12", "12000").
	Readings []string
	// Indicator names the indicator the figure was given for, when the
	// caller knows it; messages then start with it.
	Indicator string
}

// Error says what is wrong in a line for logs and developers
// (`number "12.000" in notation vi: ambiguous_number`); people read
// messages.NumberReason, in their language.
func (e *NumberError) Error() string {
	msg := fmt.Sprintf("number %q in notation %s: %s", e.Text, e.notationName(), e.Code)
	if e.Limit != "" {
		msg += " (limit " + e.Limit + ")"
	}
	if e.Indicator != "" {
		msg = "indicator " + e.Indicator + ": " + msg
	}
	return msg
}

// notationName names the notation in Error.
func (e *NumberError) notationName() string {
	if e.Notation == NotationUnstated {
		return "unstated"
	}
	return string(e.Notation)
}

// ParseNumber reads a figure written in notation n and returns it in the
// canonical form ValidateValues takes: no '+', no grouping, no leading zeros,
// no trailing zeros after the point ("+1.234,50" in NotationVI is "1234.5").
// Spaces around the figure are ignored, non-breaking ones included. In
// NotationVI and NotationEN a figure may be grouped by the notation's mark or
// by spaces (' ', U+00A0, U+202F, U+2009, as spreadsheet programs paste
// them), one kind per figure, in groups of three after a first group of one
// to three digits; '−' (U+2212) is a minus sign. Anything else is refused
// with a *NumberError: see FieldAmbiguousNumber for what cannot be read for
// sure.
func ParseNumber(text string, n Notation) (string, error) {
	text = strings.TrimFunc(text, unicode.IsSpace)
	fail := func(code string) (string, error) {
		e := &NumberError{Text: text, Notation: n, Code: code}
		if code == FieldTooLong {
			e.Limit = strconv.Itoa(maxDecimalChars)
		}
		return "", e
	}
	if utf8.RuneCountInString(text) > maxNumberInput {
		return fail(FieldTooLong)
	}
	var canonical, problem string
	switch n {
	case NotationCanonical, NotationUnstated:
		canonical, _, problem = parseDecimal(text)
	case NotationVI, NotationEN:
		canonical, problem = parseGrouped(text, n)
	default:
		return "", fmt.Errorf("parse number %q: unknown notation %q", text, string(n))
	}
	if problem != decimalOK {
		return fail(problem)
	}
	if len(canonical) > maxDecimalChars {
		return fail(FieldTooLong)
	}
	if n == NotationUnstated {
		for _, other := range []Notation{NotationVI, NotationEN} {
			if reading, problem := parseGrouped(text, other); problem == decimalOK && reading != canonical {
				return "", &NumberError{Text: text, Notation: n, Code: FieldAmbiguousNumber, Readings: []string{canonical, reading}}
			}
		}
	}
	return canonical, nil
}

// isNumberSpace reports whether r is a space that groups thousands: the
// ones people type and spreadsheet programs paste.
func isNumberSpace(r rune) bool {
	return r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009'
}

// parseGrouped reads text (trimmed) in a grouping notation and returns its
// canonical form, or a problem code.
func parseGrouped(text string, n Notation) (canonical, problem string) {
	group, decimal, _ := n.marks()
	sign := ""
	switch r, size := utf8.DecodeRuneInString(text); r {
	case '-', '\u2212':
		sign, text = "-", text[size:]
	case '+':
		text = text[size:]
	}
	for _, r := range text {
		if !(r >= '0' && r <= '9' || r == group || r == decimal || isNumberSpace(r)) {
			return "", decimalNotANum
		}
	}
	if strings.Count(text, string(decimal)) > 1 {
		return "", FieldAmbiguousNumber
	}
	whole, frac, _ := strings.Cut(text, string(decimal))
	if !allDigits(frac) {
		if strings.ContainsRune(frac, group) {
			return "", FieldAmbiguousNumber
		}
		return "", decimalNotANum
	}
	if !allDigits(whole) {
		var ok bool
		if whole, ok = ungroup(whole, group); !ok {
			return "", FieldAmbiguousNumber
		}
	}
	if whole == "" && frac == "" {
		return "", decimalNotANum
	}
	canonical, _, problem = parseDecimal(sign + whole + "." + frac)
	return canonical, problem
}

// ungroup removes the grouping of the whole part of a figure: one kind of
// separator (the notation's mark, or spaces), a first group of one to three
// digits not starting with 0, then groups of exactly three digits.
func ungroup(whole string, group rune) (string, bool) {
	var groups []string
	switch {
	case strings.ContainsRune(whole, group) && strings.IndexFunc(whole, isNumberSpace) >= 0:
		return "", false // two kinds of separator
	case strings.ContainsRune(whole, group):
		groups = strings.Split(whole, string(group))
	default:
		groups = splitFunc(whole, isNumberSpace)
	}
	for i, g := range groups {
		if !allDigits(g) || g == "" || i == 0 && (len(g) > 3 || g[0] == '0') || i > 0 && len(g) != 3 {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

// splitFunc splits s at every rune for which sep is true, keeping empty
// fields (unlike strings.FieldsFunc), so that doubled separators show.
func splitFunc(s string, sep func(rune) bool) []string {
	var out []string
	start := 0
	for i, r := range s {
		if sep(r) {
			out = append(out, s[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	return append(out, s[start:])
}

// FormatNumber writes a figure for display in notation n: grouped in threes
// with the notation's mark and its decimal mark ("-1234.5" is "-1.234,5" in
// NotationVI and "-1,234.5" in NotationEN); the canonical and unstated
// notations write the canonical form. Percent signs and units are the
// caller's. value is read as ValidateValues reads it (canonical notation);
// anything else is refused with a *NumberError. ParseNumber reads what
// FormatNumber writes back to the same canonical figure.
func FormatNumber(value string, n Notation) (string, error) {
	canonical, _, problem := parseDecimal(value)
	if problem != decimalOK {
		return "", &NumberError{Text: strings.TrimSpace(value), Notation: NotationCanonical, Code: problem}
	}
	group, decimal, ok := n.marks()
	if !ok {
		return canonical, nil
	}
	sign, digits := "", canonical
	if strings.HasPrefix(digits, "-") {
		sign, digits = "-", digits[1:]
	}
	whole, frac, hasFrac := strings.Cut(digits, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteRune(group)
		}
		b.WriteRune(d)
	}
	if hasFrac {
		b.WriteRune(decimal)
		b.WriteString(frac)
	}
	return b.String(), nil
}
