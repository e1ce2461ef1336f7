package demo

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"

	"rcm/calendarfile"
	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
)

// The shared holiday calendars the demo ships.
//
// 2026: the public holidays of the Labour Code 2019 (Art. 112) as the
// Prime Minister set them for state employees (Tết Bính Ngọ off from
// Saturday 14/02 to Sunday 22/02/2026, nine days with the weekends, as the
// Ministry of Home Affairs proposed and the press reported when it was
// approved; Hùng Kings' day on Sunday 26/04 taken on Monday 27/04; 30/04
// and 01/05; National Day 02/09 with the adjacent 01/09). No make-up
// Saturday was set for 2026. Check the year's notice before relying on it.
//
// 2027: not announced when this was written. Tết Đinh Mùi is Saturday
// 06/02/2027 (lunar calendar, UTC+7); Hùng Kings' day, 10/3 lunar, is
// Friday 16/04/2027. The days are the Labour Code's (New Year's Eve and
// four days of Tết, days falling on a weekend taken the next working days)
// with the usual exchange of a bridge day: Friday 12/02 off, worked on
// Saturday 20/02. It is a provisional calendar for the demo; replace it
// with the Prime Minister's decision (rcm calendar import 2027 --file ...).
var (
	//go:embed data/vn-calendar-2026.csv
	calendar2026CSV []byte
	//go:embed data/vn-calendar-2027.csv
	calendar2027CSV []byte
)

// Calendar sources, as stored with each year.
const (
	source2026 = "Bộ luật Lao động 2019 Điều 112; lịch nghỉ Tết Bính Ngọ 2026 của công chức, viên chức (14/02–22/02/2026)"
	source2027 = "Tạm tính theo Bộ luật Lao động 2019 Điều 112 (Tết Đinh Mùi 06/02/2027); thay bằng quyết định của Thủ tướng"
)

// Calendars returns the holiday calendars the demo ships: 2026 and 2027.
func Calendars() ([]reporting.HolidayCalendar, error) {
	var out []reporting.HolidayCalendar
	for _, c := range []struct {
		year   int
		csv    []byte
		source string
	}{{2026, calendar2026CSV, source2026}, {2027, calendar2027CSV, source2027}} {
		cal, err := calendarfile.Read(bytes.NewReader(c.csv), c.year, c.source)
		if err != nil {
			return nil, fmt.Errorf("demo calendar %d: %w", c.year, err)
		}
		out = append(out, cal)
	}
	return out, nil
}

// ensureCalendars stores the demo's calendars of the years that have none,
// and returns how many it stored. A calendar office staff imported is kept.
func ensureCalendars(ctx context.Context, ops *operations.Engine) (int, error) {
	cals, err := Calendars()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, cal := range cals {
		_, err := ops.HolidayCalendar(ctx, operations.DemoCaller(), cal.Year)
		if err == nil {
			continue
		}
		if !errors.Is(err, store.ErrNotFound) {
			return n, fmt.Errorf("demo calendar %d: %w", cal.Year, err)
		}
		_, err = ops.SeedHolidayCalendar(ctx, operations.DemoCaller(), cal)
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
