package messages

import (
	"strconv"
	"strings"
	"time"

	"rcm/reporting"
)

// Layouts of dates and times as rcm shows them in both languages: dd/mm/yyyy
// (Decree 30/2020's form), which English output keeps so that figures
// copied between the two cannot be misread.
const (
	DateLayout     = "02/01/2006"
	DateTimeLayout = "02/01/2006 15:04"
)

// EndOfDay writes a deadline that falls at midnight as the day that ends
// there: "hết ngày 15/10/2026", "end of 15/10/2026"; day is already written
// (DateLayout).
func EndOfDay(lang Lang, day string) string { return Text(lang, "mail.end_of_day", day) }

// Deadline shows a deadline instant in loc: one at midnight is the end of
// the day before (EndOfDay), any other one its date and time.
func Deadline(lang Lang, t time.Time, loc *time.Location) string {
	if day, ok := DayEndingAt(t, loc); ok {
		return EndOfDay(lang, day)
	}
	return t.In(loc).Format(DateTimeLayout)
}

// DayEndingAt returns the day (DateLayout) that ends at t when t is a
// midnight in loc.
func DayEndingAt(t time.Time, loc *time.Location) (string, bool) {
	local := t.In(loc)
	if local.Hour() != 0 || local.Minute() != 0 || local.Second() != 0 || local.Nanosecond() != 0 {
		return "", false
	}
	return local.Add(-time.Nanosecond).Format(DateLayout), true
}

// Integer writes a whole number with the language's thousands separator:
// "10.000" in Vietnamese, "10,000" in English.
func Integer(lang Lang, n int) string {
	sep := lang.pick(".", ",")
	digits := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return sign + b.String()
}

// Percent writes a percentage with one decimal and the language's decimal
// mark: "87,5%" in Vietnamese, "87.5%" in English.
func Percent(lang Lang, f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if lang != English {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s + "%"
}

// Notation is how a page or a file in lang writes figures:
// reporting.NotationEN in English, reporting.NotationVI in Vietnamese.
func Notation(lang Lang) reporting.Notation {
	if lang == English {
		return reporting.NotationEN
	}
	return reporting.NotationVI
}
