package reporting

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Offsets place the moments of a cycle relative to its due instant: reminders
// before it, escalation steps after it, close after it. They are written as a
// number and a unit, several in a row: "3d", "36h", "90s", "2d12h", "1w".
// A week is 7 days and a day is a 24-hour span (Vietnam has no daylight
// saving). Go durations ("1h30m", "500ms") are accepted too, and a leading
// sign.

const (
	day  = 24 * time.Hour
	week = 7 * day
)

// offsetUnits lists the units ParseOffset knows, longer names first so "ms"
// is not read as "m".
var offsetUnits = []struct {
	name string
	size time.Duration
}{
	{"ms", time.Millisecond},
	{"us", time.Microsecond},
	{"µs", time.Microsecond},
	{"ns", time.Nanosecond},
	{"w", week},
	{"d", day},
	{"h", time.Hour},
	{"m", time.Minute},
	{"s", time.Second},
}

const offsetForms = "write a number and a unit (w, d, h, m or s), for example 3d, 36h, 90s, 2d12h or 1w"

// ParseOffset parses an offset such as "3d", "36h", "90s", "2d12h", "1w" or a
// Go duration such as "1h30m". Numbers may carry a decimal fraction ("1.5d"
// is 36h). "0" alone is zero.
func ParseOffset(s string) (time.Duration, error) {
	text := strings.TrimSpace(s)
	fail := func(format string, args ...any) (time.Duration, error) {
		return 0, fmt.Errorf("offset %q: %s", s, fmt.Sprintf(format, args...))
	}
	neg := false
	if text != "" && (text[0] == '-' || text[0] == '+') {
		neg = text[0] == '-'
		text = text[1:]
	}
	switch text {
	case "":
		return fail("empty; %s", offsetForms)
	case "0":
		return 0, nil
	}
	var total time.Duration
	for text != "" {
		// The number: digits with an optional fraction.
		i := 0
		for i < len(text) && (text[i] >= '0' && text[i] <= '9' || text[i] == '.') {
			i++
		}
		number := text[:i]
		if number == "" || number == "." || strings.Count(number, ".") > 1 {
			return fail("expected a number at %q; %s", text, offsetForms)
		}
		text = text[i:]
		// The unit: the longest known name the text starts with.
		unit := -1
		for u, cand := range offsetUnits {
			if strings.HasPrefix(text, cand.name) {
				unit = u
				break
			}
		}
		if unit < 0 {
			if text == "" {
				return fail("%s has no unit; %s", number, offsetForms)
			}
			j := 0
			for j < len(text) && !(text[j] >= '0' && text[j] <= '9') {
				j++
			}
			return fail("unknown unit %q; %s", text[:j], offsetForms)
		}
		text = text[len(offsetUnits[unit].name):]
		part, ok := scaleDecimal(number, offsetUnits[unit].size)
		if !ok || total > math.MaxInt64-part {
			return fail("too long; offsets go up to about 290 years")
		}
		total += part
	}
	if neg {
		total = -total
	}
	return total, nil
}

// scaleDecimal returns number × size exactly, to the nanosecond (rounded
// down), reporting false on overflow. number is digits with at most one '.'.
func scaleDecimal(number string, size time.Duration) (time.Duration, bool) {
	whole, frac, _ := strings.Cut(number, ".")
	var w int64
	if whole != "" {
		var err error
		if w, err = strconv.ParseInt(whole, 10, 64); err != nil {
			return 0, false
		}
	}
	if w > math.MaxInt64/int64(size) {
		return 0, false
	}
	result := time.Duration(w) * size
	// The fraction, digit by digit: size/10, size/100, ... (exact for every
	// unit of a second or longer, to the nanosecond for the others).
	scale := size
	for _, c := range frac {
		scale /= 10
		if scale == 0 {
			break
		}
		result += time.Duration(c-'0') * scale
	}
	return result, result >= 0
}

// FormatOffset writes an offset the way ParseOffset reads it, in days, hours,
// minutes and seconds, largest first and without zero parts: 72h is "3d",
// 36h is "1d12h", 90s is "1m30s", 1.5s is "1.5s", zero is "0s". Weeks are
// written as days ("14d").
func FormatOffset(d time.Duration) string {
	if d == 0 {
		return "0s"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		if d == math.MinInt64 { // cannot be negated; 1ns off is fine at 290 years
			d = math.MaxInt64
		} else {
			d = -d
		}
	}
	for _, u := range []struct {
		name string
		size time.Duration
	}{{"d", day}, {"h", time.Hour}, {"m", time.Minute}} {
		if n := d / u.size; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10))
			b.WriteString(u.name)
			d -= n * u.size
		}
	}
	if d > 0 {
		secs := strconv.FormatInt(int64(d/time.Second), 10)
		if ns := d % time.Second; ns > 0 {
			secs += strings.TrimRight(fmt.Sprintf(".%09d", int64(ns)), "0")
		}
		b.WriteString(secs)
		b.WriteByte('s')
	}
	return b.String()
}
