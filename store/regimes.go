package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"rcm/reporting"
)

var regimeCodePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,31}$`)

// CreateRegime stores a regime with its escalation steps and assignments in
// one transaction. A regime with the same code is an ErrConflict; refused
// fields (a template or agency that does not exist, a policy that does not
// validate) are a *reporting.InputError.
func (s *Store) CreateRegime(ctx context.Context, r reporting.Regime, audit AuditEntry) error {
	if r.TimeZone == "" {
		r.TimeZone = reporting.DefaultZone
	}
	if r.Timeliness == "" {
		r.Timeliness = reporting.DefaultTimeliness
	}
	r.SoftCheckFactor = r.SoftCheckFactorOrDefault()
	lateDays := r.LateFilingDaysOrDefault()
	r.LateFilingDays = &lateDays
	if r.SendTime == 0 {
		r.SendTime = reporting.DefaultSendTime
	}
	if r.Windows == "" {
		r.Windows = reporting.Decree09Windows
	}
	if err := validateRegime(r); err != nil {
		return fmt.Errorf("create regime %s: %w", r.Code, err)
	}
	offsets := make([]pgtype.Interval, len(r.Policy.ReminderOffsets))
	for i, o := range r.Policy.ReminderOffsets {
		offsets[i] = durationToInterval(o)
	}
	holidays := make([]time.Time, len(r.Holidays))
	for i, h := range r.Holidays {
		holidays[i] = dateToPg(h)
	}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := checkReferences(ctx, tx, r.TemplateCode, r.ReviewerID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO regimes (code, name_vi, name_en, template_code, cadence, deadline_rule, time_zone,
			                     holidays, reminder_offsets, review_time, close_after, reviewer_id, timeliness,
			                     send_time, estimates, windows, soft_check_factor, late_filing_days)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
			r.Code, r.NameVI, r.NameEN, r.TemplateCode, string(r.Cadence), r.DeadlineRule.String(), r.TimeZone,
			holidays, offsets, durationToInterval(r.Policy.ReviewTime), durationToInterval(r.Policy.CloseAfter), r.ReviewerID,
			r.Timeliness, clockToPg(r.SendTime), r.Estimates, string(r.Windows), r.SoftCheckFactor, *r.LateFilingDays)
		if err != nil {
			return err
		}
		for i, e := range r.Policy.Escalations {
			recipients := make([]string, len(e.Recipients))
			for j, rc := range e.Recipients {
				recipients[j] = string(rc)
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO regime_escalation_steps (regime_code, position, after_due, recipients, repeat_every, times)
				VALUES ($1, $2, $3, $4, $5, $6)`,
				r.Code, i+1, durationToInterval(e.After), recipients, durationToInterval(e.Repeat), e.Times); err != nil {
				return fmt.Errorf("escalation step %d: %w", i+1, err)
			}
		}
		if err := insertTiers(ctx, tx, r.Code, r.Tiers); err != nil {
			return err
		}
		if err := insertAssignments(ctx, tx, r.Code, r.Assignments); err != nil {
			return err
		}
		if err := checkTierAgencies(ctx, tx, r.Tiers, r.Assignments); err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit)
	})
	if isUniqueViolation(err, "regimes_pkey") {
		return fmt.Errorf("regime %s: %w", r.Code, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create regime %s: %w", r.Code, err)
	}
	return nil
}

func validateRegime(r reporting.Regime) error {
	var errs reporting.FieldErrors
	if !regimeCodePattern.MatchString(r.Code) {
		errs.Add("code", "%q is not a regime code: use an upper-case letter and up to 31 upper-case letters, digits or '_'", r.Code)
	}
	if strings.TrimSpace(r.NameVI) == "" {
		errs.Add("name_vi", "the Vietnamese name is required")
	}
	if r.TemplateCode == "" {
		errs.Add("template", "name the template agencies fill in")
	}
	if !r.Cadence.IsValid() {
		errs.Add("cadence", "%q is unknown; use monthly, quarterly, six-monthly, nine-monthly, annual or custom", r.Cadence)
	}
	if err := r.DeadlineRule.Validate(); err != nil {
		errs.Add("deadline_rule", "%v", err)
	}
	if r.DeadlineRule.Kind == reporting.RuleDate && r.Cadence == reporting.Monthly {
		errs.Add("deadline_rule", "%s names one date of the year, so every month would be due that day; "+
			"use day:N, days:N or workdays:N for a monthly regime", r.DeadlineRule)
	}
	if r.SendTime <= 0 || r.SendTime >= 24*60 {
		errs.Add("send_time", "%s is not a send time; choose an office hour such as 08:00 (00:00 is the midnight mail it avoids)", r.SendTime)
	}
	if _, err := reporting.ParseWindows(string(r.Windows)); err != nil {
		errs.Add("windows", "%v", err)
	}
	if _, err := reporting.LoadLocation(r.TimeZone); err != nil {
		errs.Add("time_zone", "%v", err)
	}
	if !r.Timeliness.IsValid() {
		errs.Add("timeliness", "%q is unknown; use accepted_version (on time when the version finally accepted came before due) or first_version (when the first version did)", r.Timeliness)
	}
	if r.SoftCheckFactor != 0 && r.SoftCheckFactor < 2 {
		errs.Add("soft_check_factor", "%d flags every figure that changes at all; give 2 or more (the default is %d)", r.SoftCheckFactor, reporting.DefaultSoftCheckFactor)
	}
	if d := r.LateFilingDaysOrDefault(); d < 0 || d > reporting.MaxLateFilingDays {
		errs.Add("late_filing_days", "%d is not a late filing window; give 0 (no late filing) to %d days after close (the default is %d)", d, reporting.MaxLateFilingDays, reporting.DefaultLateFilingDays)
	}
	if err := r.Policy.Validate(); err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			field, reason, ok := strings.Cut(line, ": ")
			if !ok {
				field, reason = "", line
			}
			errs.Add("policy."+field, "%s", reason)
		}
	}
	if r.Policy.ReviewTime < 0 {
		errs.Add("policy.review_time", "must not be negative")
	}
	errs = append(errs, reporting.ValidateTiers(r.Tiers, r.DeadlineRule, r.Cadence)...)
	errs = append(errs, reporting.ValidateTierChases(r.Tiers, r.Policy)...)
	errs = append(errs, validateAssignments(r.Assignments, "assignments")...)
	return errs.Err()
}

// insertTiers stores a regime's levels, numbered from 1 (the lowest); the
// top level's deadline rule is the regime's and is not repeated.
func insertTiers(ctx context.Context, tx pgx.Tx, regime string, tiers []reporting.Tier) error {
	for i, t := range tiers {
		var rule *string
		if i < len(tiers)-1 {
			s := t.DeadlineRule.String()
			rule = &s
		}
		chase, err := encodeChase(t.Chase)
		if err != nil {
			return fmt.Errorf("tier %d: %w", i+1, err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO regime_tiers (regime_code, level, name_vi, name_en, depth, deadline_rule, policy)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, regime, i+1, t.NameVI, t.NameEN, t.Depth, rule, chase); err != nil {
			return fmt.Errorf("tier %d: %w", i+1, err)
		}
	}
	return nil
}

// checkTierAgencies checks the assigned agencies of a tiered regime against
// its levels (reporting.CheckTierAgencies), by their places in the tree.
func checkTierAgencies(ctx context.Context, q Querier, tiers []reporting.Tier, as []reporting.Assignment) error {
	if len(tiers) == 0 || len(as) == 0 {
		return nil
	}
	codes := make([]string, len(as))
	for i, a := range as {
		codes[i] = a.AgencyCode
	}
	rows, err := q.Query(ctx, `
		SELECT (x.i - 1)::int, x.code, a.path
		  FROM unnest($1::text[]) WITH ORDINALITY AS x(code, i) JOIN agencies a ON a.code = x.code
		 ORDER BY x.i`, codes)
	if err != nil {
		return fmt.Errorf("look up the levels of assigned agencies: %w", err)
	}
	agencies, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.TierAgency, error) {
		var a reporting.TierAgency
		err := r.Scan(&a.Index, &a.Code, &a.Path)
		return a, err
	})
	if err != nil {
		return fmt.Errorf("look up the levels of assigned agencies: %w", err)
	}
	return reporting.CheckTierAgencies(tiers, agencies).Err()
}

func validateAssignments(as []reporting.Assignment, prefix string) reporting.FieldErrors {
	var errs reporting.FieldErrors
	seen := make(map[string]int, len(as))
	for i, a := range as {
		at := fmt.Sprintf("%s[%d].", prefix, i)
		if j, dup := seen[a.AgencyCode]; dup {
			errs.Add(at+"agency", "%s is assigned twice (also at [%d]); keep one", a.AgencyCode, j)
		}
		seen[a.AgencyCode] = i
		if a.AgencyCode == "" {
			errs.Add(at+"agency", "name the agency's code")
		}
		if a.ActiveFrom != nil && a.ActiveUntil != nil && a.ActiveUntil.Before(*a.ActiveFrom) {
			errs.Add(at+"active_until", "%s is before active_from %s", a.ActiveUntil, a.ActiveFrom)
		}
	}
	return errs
}

// checkReferences checks that the template exists and that the reviewer is
// active office staff.
func checkReferences(ctx context.Context, q Querier, templateCode string, reviewerID *int64) error {
	var errs reporting.FieldErrors
	var exists bool
	if err := q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM templates WHERE code = $1)`, templateCode).Scan(&exists); err != nil {
		return fmt.Errorf("look up template %s: %w", templateCode, err)
	}
	if !exists {
		errs.Add("template", "template %s does not exist; create it first (rcm template create)", templateCode)
	}
	if reviewerID != nil {
		var role string
		var disabled *time.Time
		err := q.QueryRow(ctx, `SELECT role, disabled_at FROM users WHERE id = $1`, *reviewerID).Scan(&role, &disabled)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			errs.Add("reviewer_id", "user %d does not exist", *reviewerID)
		case err != nil:
			return fmt.Errorf("look up reviewer %d: %w", *reviewerID, err)
		case role != "staff" || disabled != nil:
			errs.Add("reviewer_id", "user %d is not active office staff; reviewers must be", *reviewerID)
		}
	}
	return errs.Err()
}

// insertAssignments adds assignments to a regime, naming the agencies that
// do not exist.
func insertAssignments(ctx context.Context, tx pgx.Tx, regime string, as []reporting.Assignment) error {
	if len(as) == 0 {
		return nil
	}
	codes := make([]string, len(as))
	froms := make([]*time.Time, len(as))
	untils := make([]*time.Time, len(as))
	for i, a := range as {
		codes[i], froms[i], untils[i] = a.AgencyCode, optDateToPg(a.ActiveFrom), optDateToPg(a.ActiveUntil)
	}
	rows, err := tx.Query(ctx, `
		SELECT i - 1 FROM unnest($1::text[]) WITH ORDINALITY AS x(code, i)
		 WHERE NOT EXISTS (SELECT 1 FROM agencies a WHERE a.code = x.code)
		 ORDER BY i`, codes)
	if err != nil {
		return fmt.Errorf("look up assigned agencies: %w", err)
	}
	missing, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("look up assigned agencies: %w", err)
	}
	if len(missing) > 0 {
		var errs reporting.FieldErrors
		for _, i := range missing {
			errs.Add(fmt.Sprintf("assignments[%d].agency", i), "agency %s does not exist; import it first (rcm agency import)", codes[i])
		}
		return errs.Err()
	}
	_, err = tx.Exec(ctx, `
		INSERT INTO regime_assignments (regime_code, agency_code, active_from, active_until)
		SELECT $1, code, active_from, active_until
		  FROM unnest($2::text[], $3::date[], $4::date[]) AS x(code, active_from, active_until)`,
		regime, codes, froms, untils)
	if err != nil {
		return fmt.Errorf("assign agencies: %w", err)
	}
	return nil
}

// SetAssignments replaces the agencies assigned to a regime, in one
// transaction. Cycles already launched keep the obligations they have.
func (s *Store) SetAssignments(ctx context.Context, code string, as []reporting.Assignment, audit AuditEntry) error {
	if err := validateAssignments(as, "assignments").Err(); err != nil {
		return fmt.Errorf("assign agencies to regime %s: %w", code, err)
	}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM regimes WHERE code = $1 FOR UPDATE`, code).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("regime %s: %w", code, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM regime_assignments WHERE regime_code = $1`, code); err != nil {
			return err
		}
		if err := insertAssignments(ctx, tx, code, as); err != nil {
			return err
		}
		tiers, err := regimeTiers(ctx, tx, code)
		if err != nil {
			return err
		}
		if err := checkTierAgencies(ctx, tx, tiers, as); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE regimes SET updated_at = now() WHERE code = $1`, code); err != nil {
			return err
		}
		return writeAudit(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("assign agencies to regime %s: %w", code, err)
	}
	return nil
}

const regimeColumns = `code, name_vi, name_en, template_code, cadence, deadline_rule, time_zone,
	holidays, reminder_offsets, review_time, close_after, reviewer_id, timeliness, send_time, estimates, windows,
	soft_check_factor, late_filing_days`

func scanRegime(row pgx.Row) (reporting.Regime, error) {
	var (
		r                     reporting.Regime
		rule                  string
		holidays              []time.Time
		offsets               []pgtype.Interval
		reviewTime, closeTime pgtype.Interval
		sendTime              pgtype.Time
	)
	if err := row.Scan(&r.Code, &r.NameVI, &r.NameEN, &r.TemplateCode, &r.Cadence, &rule, &r.TimeZone,
		&holidays, &offsets, &reviewTime, &closeTime, &r.ReviewerID, &r.Timeliness, &sendTime, &r.Estimates, &r.Windows,
		&r.SoftCheckFactor, &r.LateFilingDays); err != nil {
		return reporting.Regime{}, err
	}
	r.SendTime = clockFromPg(sendTime)
	var err error
	if r.DeadlineRule, err = reporting.ParseDeadlineRule(rule); err != nil {
		return reporting.Regime{}, fmt.Errorf("regime %s: %w", r.Code, err)
	}
	for _, h := range holidays {
		r.Holidays = append(r.Holidays, dateFromPg(h))
	}
	for _, o := range offsets {
		r.Policy.ReminderOffsets = append(r.Policy.ReminderOffsets, intervalToDuration(o))
	}
	r.Policy.ReviewTime, r.Policy.CloseAfter = intervalToDuration(reviewTime), intervalToDuration(closeTime)
	return r, nil
}

// Regime returns the regime with the code, its escalation steps and its assignments.
func (s *Store) Regime(ctx context.Context, code string) (reporting.Regime, error) {
	return s.regime(ctx, code, true)
}

// RegimeRules returns a regime without its assignments: its names, template,
// calendar and policy, which is what launching, scheduling and messages
// need. A regime may assign thousands of agencies.
func (s *Store) RegimeRules(ctx context.Context, code string) (reporting.Regime, error) {
	return s.regime(ctx, code, false)
}

func (s *Store) regime(ctx context.Context, code string, withAssignments bool) (reporting.Regime, error) {
	r, err := scanRegime(s.pool.QueryRow(ctx, `SELECT `+regimeColumns+` FROM regimes WHERE code = $1`, code))
	if errors.Is(err, pgx.ErrNoRows) {
		return reporting.Regime{}, fmt.Errorf("regime %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return reporting.Regime{}, fmt.Errorf("regime %s: %w", code, err)
	}
	regimes := []reporting.Regime{r}
	if err := s.loadRegimeDetails(ctx, regimes, withAssignments); err != nil {
		return reporting.Regime{}, fmt.Errorf("regime %s: %w", code, err)
	}
	return regimes[0], nil
}

// ListRegimes lists every regime with its escalation steps and assignments, in code order.
func (s *Store) ListRegimes(ctx context.Context) ([]reporting.Regime, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+regimeColumns+` FROM regimes ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("list regimes: %w", err)
	}
	regimes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Regime, error) { return scanRegime(r) })
	if err != nil {
		return nil, fmt.Errorf("list regimes: %w", err)
	}
	if err := s.loadRegimeDetails(ctx, regimes, true); err != nil {
		return nil, fmt.Errorf("list regimes: %w", err)
	}
	return regimes, nil
}

// loadRegimeDetails fills in the escalation steps of regimes, and their
// assignments when asked.
func (s *Store) loadRegimeDetails(ctx context.Context, regimes []reporting.Regime, withAssignments bool) error {
	if len(regimes) == 0 {
		return nil
	}
	index := make(map[string]*reporting.Regime, len(regimes))
	codes := make([]string, len(regimes))
	for i := range regimes {
		index[regimes[i].Code] = &regimes[i]
		codes[i] = regimes[i].Code
	}
	rows, err := s.pool.Query(ctx, `
		SELECT regime_code, after_due, recipients, repeat_every, times
		  FROM regime_escalation_steps
		 WHERE regime_code = ANY($1)
		 ORDER BY regime_code, position`, codes)
	if err != nil {
		return fmt.Errorf("escalation steps: %w", err)
	}
	var (
		code          string
		after, repeat pgtype.Interval
		recipients    []string
		times         int
		from, until   *time.Time
		agency        string
	)
	_, err = pgx.ForEachRow(rows, []any{&code, &after, &recipients, &repeat, &times}, func() error {
		step := reporting.EscalationStep{After: intervalToDuration(after), Repeat: intervalToDuration(repeat), Times: times}
		for _, rc := range recipients {
			step.Recipients = append(step.Recipients, reporting.Recipient(rc))
		}
		r := index[code]
		r.Policy.Escalations = append(r.Policy.Escalations, step)
		return nil
	})
	if err != nil {
		return fmt.Errorf("escalation steps: %w", err)
	}
	for i := range regimes {
		if regimes[i].Tiers, err = regimeTiers(ctx, s.pool, regimes[i].Code); err != nil {
			return err
		}
		if len(regimes[i].Tiers) > 0 {
			regimes[i].Tiers[len(regimes[i].Tiers)-1].DeadlineRule = regimes[i].DeadlineRule
		}
	}
	if !withAssignments {
		return nil
	}
	rows, err = s.pool.Query(ctx, `
		SELECT regime_code, agency_code, active_from, active_until
		  FROM regime_assignments
		 WHERE regime_code = ANY($1)
		 ORDER BY regime_code, agency_code`, codes)
	if err != nil {
		return fmt.Errorf("assignments: %w", err)
	}
	_, err = pgx.ForEachRow(rows, []any{&code, &agency, &from, &until}, func() error {
		r := index[code]
		r.Assignments = append(r.Assignments, reporting.Assignment{AgencyCode: agency, ActiveFrom: optDateFromPg(from), ActiveUntil: optDateFromPg(until)})
		return nil
	})
	if err != nil {
		return fmt.Errorf("assignments: %w", err)
	}
	return nil
}

// clockToPg stores a time of day as a PostgreSQL time.
func clockToPg(c reporting.ClockTime) pgtype.Time {
	return pgtype.Time{Microseconds: int64(c) * int64(time.Minute/time.Microsecond), Valid: true}
}

// clockFromPg reads a time of day to the minute.
func clockFromPg(t pgtype.Time) reporting.ClockTime {
	return reporting.ClockTime(t.Microseconds / int64(time.Minute/time.Microsecond))
}

// durationToInterval stores a duration exactly, in microseconds: PostgreSQL
// intervals have microsecond precision, and rcm's offsets are whole seconds.
func durationToInterval(d time.Duration) pgtype.Interval {
	return pgtype.Interval{Microseconds: d.Microseconds(), Valid: true}
}

// intervalToDuration reads an interval written by durationToInterval, or by
// hand in SQL, where a day counts 24 hours and a month 30 days (Vietnam
// time has no daylight saving, so a day is always 24 hours there).
func intervalToDuration(iv pgtype.Interval) time.Duration {
	if !iv.Valid {
		return 0
	}
	const day = 24 * time.Hour
	return time.Duration(iv.Microseconds)*time.Microsecond + time.Duration(iv.Days)*day + time.Duration(iv.Months)*30*day
}

// regimeTiers returns a regime's levels, lowest first; the top level's
// deadline rule is left zero (it is the regime's).
func regimeTiers(ctx context.Context, q Querier, code string) ([]reporting.Tier, error) {
	rows, err := q.Query(ctx, `
		SELECT level, name_vi, name_en, depth, coalesce(deadline_rule, ''), policy
		  FROM regime_tiers WHERE regime_code = $1 ORDER BY level`, code)
	if err != nil {
		return nil, fmt.Errorf("tiers of regime %s: %w", code, err)
	}
	tiers, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Tier, error) {
		var t reporting.Tier
		var rule string
		var chase []byte
		if err := r.Scan(&t.Level, &t.NameVI, &t.NameEN, &t.Depth, &rule, &chase); err != nil {
			return t, err
		}
		var err error
		if t.Chase, err = decodeChase(chase); err != nil {
			return t, err
		}
		if rule != "" {
			var err error
			t.DeadlineRule, err = reporting.ParseDeadlineRule(rule)
			return t, err
		}
		return t, nil
	})
	if err != nil {
		return nil, fmt.Errorf("tiers of regime %s: %w", code, err)
	}
	if len(tiers) == 0 {
		return nil, nil // single-tier
	}
	return tiers, nil
}
