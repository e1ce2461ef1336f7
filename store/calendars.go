package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// CalendarSummary is one year of the shared holiday calendar, as listed.
type CalendarSummary struct {
	Year        int
	Source      string
	Holidays    int
	WorkingDays int
	UpdatedAt   time.Time
}

// ReplaceHolidayCalendar stores the calendar of a year in place of the one
// there was, in one transaction with its audit record: refused fields are a
// *reporting.InputError and change nothing. Every open cycle whose pending
// moments may fall in that year gets tell(cycleID)'s message in the outbox,
// so that its workflow moves them; the IDs of those cycles are returned and
// named in the audit record.
func (s *Store) ReplaceHolidayCalendar(ctx context.Context, cal reporting.HolidayCalendar, actor Actor,
	tell func(cycleID string) (OutboxMessage, error)) ([]string, error) {
	if err := cal.Validate(); err != nil {
		return nil, fmt.Errorf("calendar %d: %w", cal.Year, err)
	}
	var told []string
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var replaced bool
		err := tx.QueryRow(ctx, `
			INSERT INTO holiday_calendars AS h (year, source, updated_by)
			VALUES ($1, $2, $3)
			ON CONFLICT (year) DO UPDATE SET source = excluded.source, updated_by = excluded.updated_by, updated_at = now()
			RETURNING h.xmax <> 0`, cal.Year, cal.Source, optUserID(actor.UserID)).Scan(&replaced)
		if err != nil {
			return fmt.Errorf("store the calendar: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM calendar_days WHERE year = $1`, cal.Year); err != nil {
			return fmt.Errorf("drop the old days: %w", err)
		}
		days := make([]time.Time, len(cal.Days))
		kinds := make([]string, len(cal.Days))
		namesVI := make([]string, len(cal.Days))
		namesEN := make([]string, len(cal.Days))
		for i, d := range cal.Days {
			days[i], kinds[i], namesVI[i], namesEN[i] = dateToPg(d.Date), string(d.Kind), d.NameVI, d.NameEN
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO calendar_days (day, year, kind, name_vi, name_en)
			SELECT day, $1, kind, name_vi, name_en
			  FROM unnest($2::date[], $3::text[], $4::text[], $5::text[]) AS x(day, kind, name_vi, name_en)`,
			cal.Year, days, kinds, namesVI, namesEN); err != nil {
			return fmt.Errorf("store the days: %w", err)
		}
		// The pending moments of an open cycle lie between its launch and
		// the last close of its open obligations; a day either side covers
		// every zone.
		rows, err := tx.Query(ctx, `
			SELECT c.id FROM cycles c
			 WHERE c.status = $1
			   AND c.launched_at < make_date($2 + 1, 1, 1) + interval '1 day'
			   AND EXISTS (SELECT 1 FROM obligations o
			                WHERE o.cycle_id = c.id AND o.finalized_at IS NULL
			                  AND o.close_at >= make_date($2, 1, 1) - interval '1 day')
			 ORDER BY c.id`, reporting.CycleOpen, cal.Year)
		if err != nil {
			return fmt.Errorf("find open cycles: %w", err)
		}
		if told, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return fmt.Errorf("find open cycles: %w", err)
		}
		for _, id := range told {
			msg, err := tell(id)
			if err != nil {
				return err
			}
			if _, err := insertOutbox(ctx, tx, msg); err != nil {
				return err
			}
		}
		return insertAudit(ctx, tx, actor, "calendar.import", fmt.Sprintf("calendar/%d", cal.Year), map[string]any{
			"source": cal.Source, "holidays": len(cal.Holidays()), "working_days": len(cal.WorkingWeekends()),
			"replaced": replaced, "cycles_moved": append([]string{}, told...),
		})
	})
	if err != nil {
		return nil, fmt.Errorf("import calendar %d: %w", cal.Year, err)
	}
	return told, nil
}

func optUserID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// HolidayCalendar returns the calendar of a year, its days in date order.
func (s *Store) HolidayCalendar(ctx context.Context, year int) (reporting.HolidayCalendar, error) {
	cals, err := s.HolidayCalendars(ctx, year, year)
	if err != nil {
		return reporting.HolidayCalendar{}, err
	}
	if len(cals) == 0 {
		return reporting.HolidayCalendar{}, fmt.Errorf("calendar %d: %w", year, ErrNotFound)
	}
	return cals[0], nil
}

// HolidayCalendars returns the calendars stored for the years from..to, in
// year order; a year without one is left out.
func (s *Store) HolidayCalendars(ctx context.Context, from, to int) ([]reporting.HolidayCalendar, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT h.year, h.source, d.day, coalesce(d.kind, ''), coalesce(d.name_vi, ''), coalesce(d.name_en, '')
		  FROM holiday_calendars h LEFT JOIN calendar_days d ON d.year = h.year
		 WHERE h.year BETWEEN $1 AND $2
		 ORDER BY h.year, d.day`, from, to)
	if err != nil {
		return nil, fmt.Errorf("calendars %d..%d: %w", from, to, err)
	}
	var out []reporting.HolidayCalendar
	var (
		year             int
		source           string
		day              *time.Time
		kind, vi, enName string
	)
	_, err = pgx.ForEachRow(rows, []any{&year, &source, &day, &kind, &vi, &enName}, func() error {
		if len(out) == 0 || out[len(out)-1].Year != year {
			out = append(out, reporting.HolidayCalendar{Year: year, Source: source})
		}
		if day != nil {
			c := &out[len(out)-1]
			c.Days = append(c.Days, reporting.CalendarDay{Date: dateFromPg(*day), Kind: reporting.DayKind(kind), NameVI: vi, NameEN: enName})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("calendars %d..%d: %w", from, to, err)
	}
	return out, nil
}

// ListHolidayCalendars lists the years of the shared calendar with their
// counts of days, in year order.
func (s *Store) ListHolidayCalendars(ctx context.Context) ([]CalendarSummary, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT h.year, h.source,
		       count(d.day) FILTER (WHERE d.kind = 'holiday'), count(d.day) FILTER (WHERE d.kind = 'working'),
		       h.updated_at
		  FROM holiday_calendars h LEFT JOIN calendar_days d ON d.year = h.year
		 GROUP BY h.year ORDER BY h.year`)
	if err != nil {
		return nil, fmt.Errorf("list calendars: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (CalendarSummary, error) {
		var c CalendarSummary
		err := r.Scan(&c.Year, &c.Source, &c.Holidays, &c.WorkingDays, &c.UpdatedAt)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("list calendars: %w", err)
	}
	return out, nil
}

// OfficeHours returns a regime's office hours in loc for the years
// from..to: its send time on the working days of WorkingCalendar.
func (s *Store) OfficeHours(ctx context.Context, loc *time.Location, regime reporting.Regime, from, to int) (reporting.OfficeHours, error) {
	cal, err := s.WorkingCalendar(ctx, loc, regime, from, to)
	if err != nil {
		return reporting.OfficeHours{}, err
	}
	return reporting.OfficeHours{Calendar: cal, SendTime: regime.SendTime}, nil
}

// WorkingCalendar returns the working-day calendar of a regime in loc for the
// years from..to: the shared calendars of those years and the regime's own
// extra days off.
func (s *Store) WorkingCalendar(ctx context.Context, loc *time.Location, regime reporting.Regime, from, to int) (reporting.Calendar, error) {
	shared, err := s.HolidayCalendars(ctx, from, to)
	if err != nil {
		return reporting.Calendar{}, err
	}
	return reporting.WorkingCalendar(loc, shared, regime.Holidays), nil
}
