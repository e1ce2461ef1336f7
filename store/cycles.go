package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

const cycleColumns = `c.id, c.regime_code, c.period, c.window_start, c.window_end, c.time_zone,
	c.cut_off_at, c.due_at, c.close_at, c.policy, c.status, coalesce(c.expected, 0), c.launched_by,
	c.launched_at, c.opened_at, c.closed_at, coalesce(c.cancel_reason, ''), c.estimates`

func scanCycle(row pgx.Row) (reporting.Cycle, error) {
	var c reporting.Cycle
	var start, end time.Time
	var policy []byte
	err := row.Scan(&c.ID, &c.RegimeCode, &c.Period, &start, &end, &c.TimeZone,
		&c.CutOff, &c.Due, &c.Close, &policy, &c.Status, &c.Expected, &c.LaunchedBy,
		&c.LaunchedAt, &c.OpenedAt, &c.ClosedAt, &c.CancelReason, &c.Estimates)
	if err != nil {
		return reporting.Cycle{}, err
	}
	c.WindowStart, c.WindowEnd = dateFromPg(start), dateFromPg(end)
	if c.Policy, err = decodePolicy(policy); err != nil {
		return reporting.Cycle{}, fmt.Errorf("cycle %s: %w", c.ID, err)
	}
	return c, nil
}

// InsertCycle records a cycle being launched (status launching), with its
// audit entry. A cycle of the same regime and period that exists already is
// an ErrConflict.
func (s *Store) InsertCycle(ctx context.Context, c reporting.Cycle, audit AuditEntry) error {
	policy, err := encodePolicy(c.Policy)
	if err != nil {
		return fmt.Errorf("insert cycle %s: %w", c.ID, err)
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
		INSERT INTO cycles (id, regime_code, period, window_start, window_end, time_zone,
		                    cut_off_at, due_at, close_at, policy, status, launched_by, timeliness, estimates)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
		        coalesce((SELECT timeliness FROM regimes WHERE code = $2), 'first_version'), $13)`,
			c.ID, c.RegimeCode, c.Period, dateToPg(c.WindowStart), dateToPg(c.WindowEnd), c.TimeZone,
			c.CutOff, c.Due, c.Close, policy, reporting.CycleLaunching, c.LaunchedBy, c.Estimates); err != nil {
			return err
		}
		for _, t := range c.Tiers {
			chase, err := encodeChase(t.Chase)
			if err != nil {
				return fmt.Errorf("tier %d: %w", t.Level, err)
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO cycle_tiers (cycle_id, level, name_vi, name_en, depth, due_at, close_at, policy)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.ID, t.Level, t.NameVI, t.NameEN, t.Depth, t.Due, t.Close, chase); err != nil {
				return fmt.Errorf("tier %d: %w", t.Level, err)
			}
		}
		return writeAudit(ctx, tx, audit)
	})
	if isUniqueViolation(err, "") {
		return fmt.Errorf("cycle %s: already launched: %w", c.ID, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("insert cycle %s: %w", c.ID, err)
	}
	return nil
}

// DeleteLaunchingCycle removes a cycle whose workflow could not be started,
// so that the launch can be tried again, with its audit entry. Cycles past
// launching are kept.
func (s *Store) DeleteLaunchingCycle(ctx context.Context, id string, audit AuditEntry) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM cycles WHERE id = $1 AND status = $2`, id, reporting.CycleLaunching)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		return writeAudit(ctx, tx, audit)
	})
	if err != nil {
		return fmt.Errorf("delete launching cycle %s: %w", id, err)
	}
	return nil
}

// Cycle returns one cycle.
func (s *Store) Cycle(ctx context.Context, id string) (reporting.Cycle, error) {
	c, err := scanCycle(s.pool.QueryRow(ctx, `SELECT `+cycleColumns+` FROM cycles c WHERE c.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return reporting.Cycle{}, fmt.Errorf("cycle %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return reporting.Cycle{}, fmt.Errorf("cycle %s: %w", id, err)
	}
	if c.Tiers, err = s.CycleTiers(ctx, id); err != nil {
		return reporting.Cycle{}, err
	}
	return c, nil
}

// CycleTiers returns the levels of a tiered cycle with their deadlines,
// lowest first; none for a single-tier cycle.
func (s *Store) CycleTiers(ctx context.Context, id string) ([]reporting.CycleTier, error) {
	return cycleTiers(ctx, s.pool, id)
}

// cycleTiers is CycleTiers through q (a pool or a transaction).
func cycleTiers(ctx context.Context, q Querier, id string) ([]reporting.CycleTier, error) {
	byCycle, err := tiersOfCycles(ctx, q, []string{id})
	if err != nil {
		return nil, err
	}
	return byCycle[id], nil // none for a single-tier cycle
}

// tiersOfCycles returns the levels of the tiered cycles among ids, lowest
// first, by cycle.
func tiersOfCycles(ctx context.Context, q Querier, ids []string) (map[string][]reporting.CycleTier, error) {
	rows, err := q.Query(ctx, `
		SELECT cycle_id, level, name_vi, name_en, depth, due_at, close_at, policy
		  FROM cycle_tiers WHERE cycle_id = ANY($1) ORDER BY cycle_id, level`, ids)
	if err != nil {
		return nil, fmt.Errorf("tiers of cycles %v: %w", ids, err)
	}
	out := map[string][]reporting.CycleTier{}
	var id string
	var t reporting.CycleTier
	var chase []byte
	_, err = pgx.ForEachRow(rows, []any{&id, &t.Level, &t.NameVI, &t.NameEN, &t.Depth, &t.Due, &t.Close, &chase}, func() error {
		var err error
		if t.Chase, err = decodeChase(chase); err != nil {
			return err
		}
		out[id] = append(out[id], t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("tiers of cycles %v: %w", ids, err)
	}
	return out, nil
}

// CycleFilter narrows ListCycles.
type CycleFilter struct {
	RegimeCode string
	Status     reporting.CycleStatus
	// After is the last ID of the previous page (cycles are listed newest first
	// by launch, then by ID).
	After string
	Limit int
}

// ListCycles lists cycles, most recently launched first.
func (s *Store) ListCycles(ctx context.Context, f CycleFilter) ([]reporting.Cycle, error) {
	limit := clampLimit(f.Limit)
	rows, err := s.pool.Query(ctx, `
		SELECT `+cycleColumns+` FROM cycles c
		 WHERE ($1 = '' OR c.regime_code = $1)
		   AND ($2 = '' OR c.status = $2)
		   AND ($3 = '' OR (c.launched_at, c.id) < (SELECT launched_at, id FROM cycles WHERE id = $3))
		 ORDER BY c.launched_at DESC, c.id DESC
		 LIMIT $4`, f.RegimeCode, f.Status, f.After, limit)
	if err != nil {
		return nil, fmt.Errorf("list cycles: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Cycle, error) { return scanCycle(r) })
	if err != nil {
		return nil, fmt.Errorf("list cycles: %w", err)
	}
	if err := s.listedTiers(ctx, out); err != nil {
		return nil, fmt.Errorf("list cycles: %w", err)
	}
	return out, nil
}

// listedTiers fills in the levels of the tiered cycles among cycles, in one
// query, so that a list shows every level's dates.
func (s *Store) listedTiers(ctx context.Context, cycles []reporting.Cycle) error {
	if len(cycles) == 0 {
		return nil
	}
	ids := make([]string, len(cycles))
	for i, c := range cycles {
		ids[i] = c.ID
	}
	byCycle, err := tiersOfCycles(ctx, s.pool, ids)
	if err != nil {
		return err
	}
	for i := range cycles {
		cycles[i].Tiers = byCycle[cycles[i].ID]
	}
	return nil
}

// OpenCycle creates one obligation for every agency assigned to the cycle's
// regime and active during its window (both the assignment and the agency),
// and marks the cycle open. Running it again changes nothing.
func (s *Store) OpenCycle(ctx context.Context, id string) (expected int, err error) {
	err = s.tx(ctx, func(tx pgx.Tx) error {
		var status reporting.CycleStatus
		if err := tx.QueryRow(ctx, `SELECT status FROM cycles WHERE id = $1 FOR UPDATE`, id).Scan(&status); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return fmt.Errorf("cycle %s: %w", id, ErrNotFound)
			}
			return err
		}
		if reporting.CycleOpen.Follows(status) {
			_, err := tx.Exec(ctx, `
				INSERT INTO obligations (cycle_id, agency_code, due_at, close_at, status, tier)
				SELECT c.id, ra.agency_code, coalesce(ct.due_at, c.due_at), coalesce(ct.close_at, c.close_at), $2, ct.level
				  FROM cycles c
				  JOIN regime_assignments ra ON ra.regime_code = c.regime_code
				  JOIN agencies a ON a.code = ra.agency_code
				  -- In a tiered cycle an agency is due by the level at its depth.
				  LEFT JOIN cycle_tiers ct ON ct.cycle_id = c.id
				        AND ct.depth = length(a.path) - length(replace(a.path, '/', '')) - 1
				 WHERE c.id = $1 AND `+assignedDuring("c")+`
				ON CONFLICT DO NOTHING`, id, reporting.ObligationPending)
			if err != nil {
				return fmt.Errorf("create obligations: %w", err)
			}
			if _, err := tx.Exec(ctx, `
				UPDATE cycles SET status = $2, opened_at = now(),
				       expected = (SELECT count(*) FROM obligations WHERE cycle_id = $1)
				 WHERE id = $1`, id, reporting.CycleOpen); err != nil {
				return fmt.Errorf("mark open: %w", err)
			}
		}
		return tx.QueryRow(ctx, `SELECT coalesce(expected, 0) FROM cycles WHERE id = $1`, id).Scan(&expected)
	})
	if err != nil {
		return 0, fmt.Errorf("open cycle %s: %w", id, err)
	}
	return expected, nil
}

// Deadline is one distinct (due, close) pair among open obligations.
type Deadline struct {
	Due   time.Time
	Close time.Time
	// Tier is the level of the group's obligations when the cycle's levels
	// are chased by ladders of their own (reporting.ChasedByLevel); 0
	// otherwise, and the group may then hold agencies of several levels.
	Tier int
}

// OpenDeadlines returns the cycle's status and the distinct deadlines of its
// obligations that are not final yet, earliest first.
func (s *Store) OpenDeadlines(ctx context.Context, id string) (reporting.CycleStatus, []Deadline, error) {
	var status reporting.CycleStatus
	if err := s.pool.QueryRow(ctx, `SELECT status FROM cycles WHERE id = $1`, id).Scan(&status); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return "", nil, fmt.Errorf("cycle %s: %w", id, ErrNotFound)
		}
		return "", nil, fmt.Errorf("cycle %s: %w", id, err)
	}
	rows, err := s.pool.Query(ctx, `
		SELECT DISTINCT o.due_at, o.close_at,
		       CASE WHEN EXISTS (SELECT 1 FROM cycle_tiers ct WHERE ct.cycle_id = o.cycle_id AND ct.policy IS NOT NULL)
		            THEN coalesce(o.tier, 0) ELSE 0 END AS tier
		  FROM obligations o
		 WHERE o.cycle_id = $1 AND o.finalized_at IS NULL
		 ORDER BY o.due_at, o.close_at, tier`, id)
	if err != nil {
		return "", nil, fmt.Errorf("deadlines of cycle %s: %w", id, err)
	}
	groups, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Deadline, error) {
		var d Deadline
		err := r.Scan(&d.Due, &d.Close, &d.Tier)
		return d, err
	})
	if err != nil {
		return "", nil, fmt.Errorf("deadlines of cycle %s: %w", id, err)
	}
	return status, groups, nil
}

func clampLimit(n int) int {
	switch {
	case n <= 0:
		return 100
	case n > 1000:
		return 1000
	default:
		return n
	}
}

func dateToPg(d reporting.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

func dateFromPg(t time.Time) reporting.Date {
	return reporting.Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
}
