// Package calendarfile reads the holiday calendar CSV file of one year: a
// header line and the columns date (YYYY-MM-DD), kind (holiday, a day off;
// working, a Saturday or Sunday worked in exchange, ngày làm bù), and
// optionally name_vi and name_en. `rcm calendar import` sends what it reads
// to the API; the demo seeds the database with the calendars it ships. The
// file is read by csvfile, as every CSV from outside.
package calendarfile

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"rcm/csvfile"
	"rcm/reporting"
)

// Columns are the columns the file may have; date and kind are required.
func Columns() []string { return []string{"date", "kind", "name_vi", "name_en"} }

// Read reads the calendar of year from a CSV file and checks it
// (reporting.HolidayCalendar.Validate). Every problem is reported at once,
// each naming its line.
func Read(r io.Reader, year int, source string) (reporting.HolidayCalendar, error) {
	cal := reporting.HolidayCalendar{Year: year, Source: source}
	cr := csvfile.NewReader(r, csvfile.Limits{})
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return cal, errors.New("the file is empty; the first line must name the columns date,kind,name_vi,name_en")
	}
	if err != nil {
		return cal, err // a *csvfile.Error, naming its line
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(Columns(), name) {
			return cal, fmt.Errorf("line 1: column %q is unknown; the columns are %s", h, strings.Join(Columns(), ", "))
		}
		col[name] = i
	}
	for _, required := range []string{"date", "kind"} {
		if _, ok := col[required]; !ok {
			return cal, fmt.Errorf("line 1: column %s is missing; the first line must name at least date and kind", required)
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var problems []string
	var lines []int
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return cal, err
		}
		line := cr.Line()
		if get(rec, "date") == "" && get(rec, "kind") == "" {
			continue
		}
		date, err := reporting.ParseDate(get(rec, "date"))
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: date: %v", line, err))
			continue
		}
		cal.Days = append(cal.Days, reporting.CalendarDay{Date: date, Kind: reporting.DayKind(strings.ToLower(get(rec, "kind"))),
			NameVI: get(rec, "name_vi"), NameEN: get(rec, "name_en")})
		lines = append(lines, line)
	}
	if err := cal.Validate(); err != nil {
		var in *reporting.InputError
		if !errors.As(err, &in) {
			return cal, err
		}
		for _, f := range in.Fields {
			problems = append(problems, lineOf(f, lines)+f.Reason)
		}
	}
	if len(problems) > 0 {
		return cal, errors.New(strings.Join(problems, "\n  "))
	}
	return cal, nil
}

// lineOf names the file line of a refused field days[i].x, or the field.
func lineOf(f reporting.FieldError, lines []int) string {
	rest, ok := strings.CutPrefix(f.Field, "days[")
	if !ok {
		return f.Field + ": "
	}
	index, column, _ := strings.Cut(rest, "].")
	i, err := strconv.Atoi(index)
	if err != nil || i < 0 || i >= len(lines) {
		return f.Field + ": "
	}
	return fmt.Sprintf("line %d: %s: ", lines[i], column)
}
