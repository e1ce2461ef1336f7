package reporting

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCadenceListsTheValidOnes(t *testing.T) {
	for _, c := range Cadences() {
		got, err := ParseCadence(string(c))
		require.NoError(t, err)
		assert.Equal(t, c, got)
	}
	got, err := ParseCadence(" Quarterly ")
	require.NoError(t, err)
	assert.Equal(t, Quarterly, got)

	_, err = ParseCadence("weekly")
	assert.EqualError(t, err, `cadence "weekly" is unknown; use monthly, quarterly, six-monthly, nine-monthly, annual or custom`)
	_, err = ParseCadence("")
	assert.EqualError(t, err, `cadence "" is unknown; use monthly, quarterly, six-monthly, nine-monthly, annual or custom`)
}

// The examples DOMAIN.md gives, and one per cadence.
func TestWindowMatchesDecree09Examples(t *testing.T) {
	tests := []struct{ period, start, end string }{
		{"2026-10", "2026-09-15", "2026-10-14"},
		{"2026-Q1", "2025-12-15", "2026-03-14"},
		{"2027-01", "2026-12-15", "2027-01-14"},
		{"2026-H1", "2025-12-15", "2026-06-14"},
		{"2026-H2", "2026-06-15", "2026-12-14"},
		{"2026-9M", "2025-12-15", "2026-09-14"},
		{"2026", "2025-12-15", "2026-12-14"},
		{"2026-11-01..2026-11-20", "2026-11-01", "2026-11-20"},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.period)
		require.NoError(t, err, tt.period)
		start, end := p.Window()
		assert.Equal(t, tt.start, start.String(), "%s start", tt.period)
		assert.Equal(t, tt.end, end.String(), "%s end", tt.period)
	}
}

func TestMonthlyWindowsOfTwoYearsAreExact(t *testing.T) {
	// Written out by hand from the Decree's rule, not computed.
	want := []string{
		"2025-12-15..2026-01-14", "2026-01-15..2026-02-14", "2026-02-15..2026-03-14",
		"2026-03-15..2026-04-14", "2026-04-15..2026-05-14", "2026-05-15..2026-06-14",
		"2026-06-15..2026-07-14", "2026-07-15..2026-08-14", "2026-08-15..2026-09-14",
		"2026-09-15..2026-10-14", "2026-10-15..2026-11-14", "2026-11-15..2026-12-14",
		"2026-12-15..2027-01-14", "2027-01-15..2027-02-14", "2027-02-15..2027-03-14",
		"2027-03-15..2027-04-14", "2027-04-15..2027-05-14", "2027-05-15..2027-06-14",
		"2027-06-15..2027-07-14", "2027-07-15..2027-08-14", "2027-08-15..2027-09-14",
		"2027-09-15..2027-10-14", "2027-10-15..2027-11-14", "2027-11-15..2027-12-14",
	}
	for i, w := range want {
		year, month := 2026+i/12, i%12+1
		id := fmt.Sprintf("%d-%02d", year, month)
		p, err := ParsePeriod(id)
		require.NoError(t, err)
		assert.Equal(t, id, p.ID)
		assert.Equal(t, Period{ID: id, Cadence: Monthly, Year: year, Index: month}, p)
		start, end := p.Window()
		assert.Equal(t, w, start.String()+".."+end.String(), id)
	}
}

func TestQuarterlySixAndNineMonthlyAndAnnualWindowsOfTwoYears(t *testing.T) {
	want := map[string]string{
		"2026-Q1": "2025-12-15..2026-03-14", "2026-Q2": "2026-03-15..2026-06-14",
		"2026-Q3": "2026-06-15..2026-09-14", "2026-Q4": "2026-09-15..2026-12-14",
		"2027-Q1": "2026-12-15..2027-03-14", "2027-Q2": "2027-03-15..2027-06-14",
		"2027-Q3": "2027-06-15..2027-09-14", "2027-Q4": "2027-09-15..2027-12-14",
		"2026-H1": "2025-12-15..2026-06-14", "2026-H2": "2026-06-15..2026-12-14",
		"2027-H1": "2026-12-15..2027-06-14", "2027-H2": "2027-06-15..2027-12-14",
		"2026-9M": "2025-12-15..2026-09-14", "2027-9M": "2026-12-15..2027-09-14",
		"2026": "2025-12-15..2026-12-14", "2027": "2026-12-15..2027-12-14",
	}
	for id, w := range want {
		p, err := ParsePeriod(id)
		require.NoError(t, err, id)
		assert.Equal(t, id, p.ID)
		start, end := p.Window()
		assert.Equal(t, w, start.String()+".."+end.String(), id)
	}
}

func TestContiguousCadencesCoverEveryDayOnce(t *testing.T) {
	for _, c := range []Cadence{Monthly, Quarterly, SixMonthly, Annual} {
		p, err := NewPeriod(c, 2026, firstIndex(c))
		require.NoError(t, err)
		for range 30 {
			_, end := p.Window()
			next := p.Next()
			nextStart, _ := next.Window()
			assert.Equal(t, end.AddDays(1), nextStart, "%s then %s", p, next)
			p = next
		}
	}
}

func firstIndex(c Cadence) int {
	switch c {
	case Monthly, Quarterly, SixMonthly:
		return 1
	}
	return 0
}

func TestParsePeriodAcceptsLooseSpellings(t *testing.T) {
	tests := []struct{ in, id string }{
		{"2026-q4", "2026-Q4"},
		{"2026-h2", "2026-H2"},
		{"2026-9m", "2026-9M"},
		{"2026-1", "2026-01"},
		{" 2026-10 ", "2026-10"},
		{"2026-11-01 .. 2026-11-20", "2026-11-01..2026-11-20"},
		{"2026-11-01..2026-11-01", "2026-11-01..2026-11-01"},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.id, p.ID, tt.in)
	}
}

func TestParsePeriodNamesTheBadPart(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2026-13", `period "2026-13": month 13 is not between 01 and 12`},
		{"2026-00", `period "2026-00": month 00 is not between 01 and 12`},
		{"2026-Q5", `period "2026-Q5": quarter 5 is not between 1 and 4`},
		{"2026-Q0", `period "2026-Q0": quarter 0 is not between 1 and 4`},
		{"2026-Qx", `period "2026-Qx": quarter "Qx" is not a number; write Q1, Q2, Q3 or Q4`},
		{"2026-H3", `period "2026-H3": half 3 is not 1 or 2`},
		{"2026-8M", `period "2026-8M": "8M" is not a month, quarter or half; ` + periodForms},
		{"26-10", `period "26-10": year "26" is not four digits; ` + periodForms},
		{"0999-10", `period "0999-10": year 0999 is before 1000`},
		{"", `period "": empty; ` + periodForms},
		{"2026-10-01", `period "2026-10-01": a single date is not a period; for a custom window write START..END, for example 2026-10-01..2026-10-01`},
		{"2026-11-20..2026-11-01", `period "2026-11-20..2026-11-01": custom window starts 20/11/2026, after its end 01/11/2026; write START..END with START on or before END`},
		{"2026-11-01..2026-11-31", `period "2026-11-01..2026-11-31": end of the custom window: date "2026-11-31": day 31 does not exist in November 2026, which has 30 days`},
		{"2026-11..2026-12", `period "2026-11..2026-12": start of the custom window: date "2026-11": not a date; write YYYY-MM-DD, for example 2026-10-14`},
	}
	for _, tt := range tests {
		_, err := ParsePeriod(tt.in)
		assert.EqualError(t, err, tt.want, tt.in)
	}
}

func TestNewPeriodChecksTheIndex(t *testing.T) {
	_, err := NewPeriod(Monthly, 2026, 13)
	assert.EqualError(t, err, "monthly period 2026: index 13 is not between 1 and 12")
	_, err = NewPeriod(Annual, 2026, 1)
	assert.EqualError(t, err, "annual period 2026: index 1 given, but annual periods have none; pass 0")
	_, err = NewPeriod(Custom, 2026, 0)
	assert.EqualError(t, err, "a custom period has no index; build it from its window with NewCustomPeriod")
	_, err = NewPeriod("weekly", 2026, 1)
	assert.EqualError(t, err, `cadence "weekly" is unknown; use monthly, quarterly, six-monthly, nine-monthly or annual`)
	_, err = NewPeriod(Monthly, 10000, 1)
	assert.EqualError(t, err, "monthly period: year 10000 is not between 1000 and 9999")
}

func TestNextAndPrevCrossYearBoundaries(t *testing.T) {
	tests := []struct{ from, next string }{
		{"2026-12", "2027-01"},
		{"2026-01", "2026-02"},
		{"2026-Q4", "2027-Q1"},
		{"2026-Q1", "2026-Q2"},
		{"2026-H1", "2026-H2"},
		{"2026-H2", "2027-H1"},
		{"2026-9M", "2027-9M"},
		{"2026", "2027"},
	}
	for _, tt := range tests {
		from, next := MustParsePeriod(tt.from), MustParsePeriod(tt.next)
		assert.Equal(t, next, from.Next(), "%s.Next", tt.from)
		assert.Equal(t, from, next.Prev(), "%s.Prev", tt.next)
	}
}

func TestNextWalksEveryPeriodOfTwoYearsInOrder(t *testing.T) {
	tests := []struct {
		first string
		want  []string
	}{
		{"2026-01", []string{"2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07",
			"2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01", "2027-02", "2027-03", "2027-04",
			"2027-05", "2027-06", "2027-07", "2027-08", "2027-09", "2027-10", "2027-11", "2027-12"}},
		{"2026-Q1", []string{"2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"}},
		{"2026-H1", []string{"2026-H1", "2026-H2", "2027-H1", "2027-H2"}},
	}
	for _, tt := range tests {
		p := MustParsePeriod(tt.first)
		var got []string
		for range tt.want {
			got = append(got, p.ID)
			p = p.Next()
		}
		assert.Equal(t, tt.want, got)
	}
}

func TestCustomPeriodsHaveNoNeighbours(t *testing.T) {
	p := MustParsePeriod("2026-11-01..2026-11-20")
	assert.Equal(t, p, p.Next())
	assert.Equal(t, p, p.Prev())
	assert.Equal(t, Period{}, Period{}.Next())
}

func TestContainsIsTheWindowInclusive(t *testing.T) {
	p := MustParsePeriod("2026-Q1")
	assert.False(t, p.Contains(d("2025-12-14")))
	assert.True(t, p.Contains(d("2025-12-15")))
	assert.True(t, p.Contains(d("2026-03-14")))
	assert.False(t, p.Contains(d("2026-03-15")))
	assert.False(t, Period{}.Contains(Date{}))
}

func TestPeriodTravelsInJSONAsItsID(t *testing.T) {
	type doc struct {
		Period Period `json:"period"`
	}
	b, err := json.Marshal(doc{MustParsePeriod("2026-Q4")})
	require.NoError(t, err)
	assert.JSONEq(t, `{"period":"2026-Q4"}`, string(b))

	var back doc
	require.NoError(t, json.Unmarshal([]byte(`{"period":"2026-q4"}`), &back))
	assert.Equal(t, MustParsePeriod("2026-Q4"), back.Period)
	assert.EqualError(t, json.Unmarshal([]byte(`{"period":"2026-13"}`), &back),
		`period "2026-13": month 13 is not between 01 and 12`)
}

func TestCustomPeriodBelongsToTheYearItStarts(t *testing.T) {
	p, err := NewCustomPeriod(d("2026-12-20"), d("2027-01-10"))
	require.NoError(t, err)
	assert.Equal(t, Period{ID: "2026-12-20..2027-01-10", Cadence: Custom, Year: 2026,
		CustomStart: d("2026-12-20"), CustomEnd: d("2027-01-10")}, p)
	_, err = NewCustomPeriod(Date{}, d("2027-01-10"))
	assert.EqualError(t, err, "custom window ..2027-01-10: both ends must be real dates")
}
