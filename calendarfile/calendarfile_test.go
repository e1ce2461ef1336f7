package calendarfile

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"rcm/reporting"
)

func TestReadsHolidaysAndMakeUpDays(t *testing.T) {
	cal, err := Read(strings.NewReader("date;kind;name_vi\n2027-02-05;holiday;Tết\n2027-02-20;Working;Làm bù\n"), 2027, "src")
	require.NoError(t, err)
	require.Equal(t, []reporting.Date{reporting.MustParseDate("2027-02-05")}, cal.Holidays())
	require.Equal(t, []reporting.Date{reporting.MustParseDate("2027-02-20")}, cal.WorkingWeekends())
	require.Equal(t, "src", cal.Source)
}

func TestNamesTheLineOfEveryProblem(t *testing.T) {
	_, err := Read(strings.NewReader("date,kind\n2026-12-31,holiday\n2027-01-01,holiday\n2027-01-01,holiday\n2027-02-17,working\n2027-02-30,holiday\n2027-03-01,bridge\n"), 2027, "")
	require.Error(t, err)
	for _, want := range []string{"line 2: date: 2026-12-31 is not in 2027", "line 4: date: 2027-01-01 is listed twice",
		"line 5: kind: 2027-02-17 is a Wednesday", "line 6: date:", "line 7: kind: \"bridge\" is unknown"} {
		require.Contains(t, err.Error(), want)
	}
	_, err = Read(strings.NewReader("day,kind\n"), 2027, "")
	require.ErrorContains(t, err, `column "day" is unknown`)
}
