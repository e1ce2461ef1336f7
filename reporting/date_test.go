package reporting

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vn is Vietnam time, loaded once for every test of the package.
var vn = mustLocation(DefaultZone)

func mustLocation(name string) *time.Location {
	loc, err := LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func d(s string) Date { return MustParseDate(s) }

func TestParseDateReadsISODates(t *testing.T) {
	tests := []struct {
		in   string
		want Date
	}{
		{"2026-10-14", Date{2026, time.October, 14}},
		{"2025-12-15", Date{2025, time.December, 15}},
		{"2024-02-29", Date{2024, time.February, 29}}, // leap year
		{"2000-02-29", Date{2000, time.February, 29}}, // divisible by 400
		{"2026-01-01", Date{2026, time.January, 1}},
		{"2026-12-31", Date{2026, time.December, 31}},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
		assert.Equal(t, tt.in, got.String(), "String round-trips %s", tt.in)
	}
}

func TestParseDateNamesTheBadPart(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026-13-01", `date "2026-13-01": month 13 is not between 01 and 12`},
		{"2026-00-10", `date "2026-00-10": month 00 is not between 01 and 12`},
		{"2026-02-29", `date "2026-02-29": day 29 does not exist in February 2026, which has 28 days`},
		{"1900-02-29", `date "1900-02-29": day 29 does not exist in February 1900, which has 28 days`},
		{"2026-04-31", `date "2026-04-31": day 31 does not exist in April 2026, which has 30 days`},
		{"2026-04-00", `date "2026-04-00": day 00 does not exist in April 2026, which has 30 days`},
		{"14/10/2026", `date "14/10/2026": not a date; write YYYY-MM-DD, for example 2026-10-14`},
		{"2026-1-14", `date "2026-1-14": not a date; write YYYY-MM-DD, for example 2026-10-14`},
		{"", `date "": not a date; write YYYY-MM-DD, for example 2026-10-14`},
		{"2026-1a-14", `date "2026-1a-14": not a date; write YYYY-MM-DD with digits only, for example 2026-10-14`},
		{"+026-10-14", `date "+026-10-14": not a date; write YYYY-MM-DD with digits only, for example 2026-10-14`},
	}
	for _, tt := range tests {
		_, err := ParseDate(tt.in)
		assert.EqualError(t, err, tt.want, tt.in)
	}
}

func TestDateFormatIsDayMonthYearInBothLanguages(t *testing.T) {
	assert.Equal(t, "14/10/2026", d("2026-10-14").Format("vi"))
	assert.Equal(t, "14/10/2026", d("2026-10-14").Format("en"))
	assert.Equal(t, "01/02/2026", d("2026-02-01").Format("vi"))
	assert.Equal(t, "", Date{}.Format("vi"))
	assert.Equal(t, "", Date{}.String())
}

func TestAddDaysCrossesMonthAndYearBoundaries(t *testing.T) {
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2026-12-31", 1, "2027-01-01"},
		{"2027-01-01", -1, "2026-12-31"},
		{"2024-02-28", 1, "2024-02-29"},
		{"2026-02-28", 1, "2026-03-01"},
		{"2026-03-14", 2, "2026-03-16"},
		{"2026-01-31", 365, "2027-01-31"},
		{"2026-10-14", 0, "2026-10-14"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, d(tt.from).AddDays(tt.n).String(), "%s %+d", tt.from, tt.n)
		assert.Equal(t, tt.n, d(tt.want).DaysSince(d(tt.from)), "DaysSince %s %s", tt.want, tt.from)
	}
}

func TestDatesCompareByDay(t *testing.T) {
	a, b := d("2025-12-31"), d("2026-01-01")
	assert.True(t, a.Before(b))
	assert.False(t, b.Before(a))
	assert.True(t, b.After(a))
	assert.False(t, a.After(a))
	assert.False(t, a.Before(a))
	assert.Equal(t, 0, a.Compare(a))
	assert.Equal(t, -1, d("2026-01-31").Compare(d("2026-02-01")))
	assert.Equal(t, 1, d("2026-02-02").Compare(d("2026-02-01")))
}

func TestWeekdayOfKnownDates(t *testing.T) {
	assert.Equal(t, time.Saturday, d("2026-03-14").Weekday())
	assert.Equal(t, time.Monday, d("2026-03-16").Weekday())
	assert.Equal(t, time.Thursday, d("2026-01-01").Weekday())
}

func TestStartAndEndAreTheDayBoundariesInTheZone(t *testing.T) {
	day := d("2026-03-16")
	assert.Equal(t, "2026-03-16T00:00:00+07:00", day.Start(vn).Format(time.RFC3339))
	assert.Equal(t, "2026-03-17T00:00:00+07:00", day.End(vn).Format(time.RFC3339))
	assert.Equal(t, "2026-03-16T17:00:00Z", day.End(vn).UTC().Format(time.RFC3339))
	assert.Equal(t, "2027-01-01T00:00:00+07:00", d("2026-12-31").End(vn).Format(time.RFC3339), "end of the year")
	assert.Equal(t, "2026-03-17T00:00:00Z", day.End(time.UTC).Format(time.RFC3339))
}

func TestDateOfUsesTheZonesDayBoundary(t *testing.T) {
	tests := []struct {
		at   string
		want string
	}{
		{"2026-03-16T16:59:59Z", "2026-03-16"}, // 23:59:59 in Vietnam
		{"2026-03-16T17:00:00Z", "2026-03-17"}, // midnight in Vietnam
		{"2026-03-16T23:59:59+07:00", "2026-03-16"},
		{"2026-03-17T00:00:01+07:00", "2026-03-17"},
		{"2026-12-31T17:00:00Z", "2027-01-01"}, // new year in Vietnam, not yet in UTC
		{"2026-03-16T12:30:00-05:00", "2026-03-17"},
	}
	for _, tt := range tests {
		at, err := time.Parse(time.RFC3339, tt.at)
		require.NoError(t, err)
		assert.Equal(t, tt.want, DateOf(at, vn).String(), tt.at)
	}
}

func TestDateTravelsInJSONAsText(t *testing.T) {
	type doc struct {
		Due  Date `json:"due"`
		None Date `json:"none"`
	}
	b, err := json.Marshal(doc{Due: d("2026-03-16")})
	require.NoError(t, err)
	assert.JSONEq(t, `{"due":"2026-03-16","none":""}`, string(b))

	var back doc
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, doc{Due: d("2026-03-16")}, back)

	err = json.Unmarshal([]byte(`{"due":"2026-02-30"}`), &back)
	assert.ErrorContains(t, err, "day 30 does not exist in February 2026")
}

func TestNewDateNormalises(t *testing.T) {
	assert.Equal(t, d("2026-03-02"), NewDate(2026, time.February, 30))
	assert.Equal(t, d("2025-12-15"), NewDate(2026, 0, 15))
	assert.True(t, d("2024-02-29").IsValid())
	assert.False(t, Date{2026, time.February, 29}.IsValid())
	assert.False(t, Date{}.IsValid())
}

func TestLoadLocationRefusesMachineDependentAndUnknownZones(t *testing.T) {
	loc, err := DefaultLocation()
	require.NoError(t, err)
	assert.Equal(t, "Asia/Ho_Chi_Minh", loc.String())
	_, offset := time.Date(2026, 7, 1, 0, 0, 0, 0, loc).Zone()
	assert.Equal(t, 7*3600, offset, "UTC+7 in summer: no daylight saving")

	_, err = LoadLocation("")
	assert.EqualError(t, err, "time zone is empty; name an IANA zone such as Asia/Ho_Chi_Minh")
	_, err = LoadLocation("Local")
	assert.EqualError(t, err, `time zone "Local" depends on the machine; name an IANA zone such as Asia/Ho_Chi_Minh`)
	_, err = LoadLocation("Asia/Hanoi")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `time zone "Asia/Hanoi" is unknown`)
	assert.Contains(t, err.Error(), "name an IANA zone such as Asia/Ho_Chi_Minh")
}
