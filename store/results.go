package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// ComplianceResult is the stored compliance of one node's subtree in a
// closed cycle.
type ComplianceResult struct {
	CycleID      string
	AgencyCode   string
	AgencyNameVI string
	AgencyNameEN string
	Path         string
	Rates        reporting.Rates
}

// CycleCompliance returns the stored compliance of every node within
// scopePath ("" = all), by tree path.
func (s *Store) CycleCompliance(ctx context.Context, cycleID, scopePath string) ([]ComplianceResult, error) {
	return s.ComplianceResults(ctx, []string{cycleID}, scopePath, nil)
}

// ComplianceResults returns the stored compliance in the cycles of the
// nodes within scopePath ("" = all), only of the agencies in codes when
// codes is not nil, by cycle and tree path.
func (s *Store) ComplianceResults(ctx context.Context, cycleIDs []string, scopePath string, codes []string) ([]ComplianceResult, error) {
	// Two texts, so that each keeps a plan of its own: PostgreSQL's generic
	// plan of one text with "$3 IS NULL OR ..." read every stored row of the
	// cycles to find a few agencies (the nation's rate history over eleven
	// closed periods: 366 ms at p50 for 10,000 agencies, BenchmarkSupervisorReads).
	byCode := `c.agency_code = ANY($3)`
	args := []any{cycleIDs, scopePath, codes}
	if codes == nil {
		byCode, args = `true`, args[:2]
	}
	rows, err := s.pool.Query(ctx, `
		SELECT c.cycle_id, c.agency_code, a.name_vi, a.name_en, a.path, c.expected, c.submitted, c.on_time, c.late,
		       c.missing, c.not_accepted, c.submitted_not_reviewed, c.nil_report, c.timely, c.submitted_on_time,
		       c.review_backlog, c.versions_before_acceptance,
		       c.reporting_rate::text, c.on_time_rate::text, c.submitted_on_time_rate::text
		  FROM cycle_compliance c JOIN agencies a ON a.code = c.agency_code
		 WHERE c.cycle_id = ANY($1) AND a.path LIKE $2 || '%' AND `+byCode+`
		 ORDER BY c.cycle_id, a.path`, args...)
	if err != nil {
		return nil, fmt.Errorf("compliance of cycles %v: %w", cycleIDs, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ComplianceResult, error) {
		c := ComplianceResult{Rates: reporting.Rates{OnTimeRateBasis: reporting.BasisExpected}}
		var rr, otr, sotr string
		err := r.Scan(&c.CycleID, &c.AgencyCode, &c.AgencyNameVI, &c.AgencyNameEN, &c.Path, &c.Rates.Expected, &c.Rates.Submitted,
			&c.Rates.OnTime, &c.Rates.Late, &c.Rates.Missing, &c.Rates.NotAccepted, &c.Rates.NotReviewed,
			&c.Rates.NilReport, &c.Rates.Timely, &c.Rates.SubmittedOnTime, &c.Rates.ReviewBacklog,
			&c.Rates.VersionsBeforeAcceptance, &rr, &otr, &sotr)
		if err != nil {
			return c, err
		}
		for _, f := range []struct {
			text string
			to   *float64
		}{{rr, &c.Rates.ReportingRate}, {otr, &c.Rates.OnTimeRate}, {sotr, &c.Rates.SubmittedOnTimeRate}} {
			if *f.to, err = strconv.ParseFloat(f.text, 64); err != nil {
				return c, err
			}
		}
		return c, nil
	})
	if err != nil {
		return nil, fmt.Errorf("compliance of cycles %v: %w", cycleIDs, err)
	}
	return out, nil
}

// AggregateResult is one stored figure of a closed cycle.
type AggregateResult struct {
	AgencyCode    string
	AgencyNameVI  string
	AgencyNameEN  string
	Path          string
	IndicatorCode string
	Value         string
	Contributors  int
	// Expected is the number of agencies of the subtree expected to report;
	// 0 for figures stored before it was kept.
	Expected int
}

// CycleAggregates returns the stored figures of every node within
// scopePath ("" = all), by tree path and indicator.
func (s *Store) CycleAggregates(ctx context.Context, cycleID, scopePath string) ([]AggregateResult, error) {
	return s.CycleAggregatesOf(ctx, cycleID, scopePath, nil)
}

// CycleAggregatesOf is CycleAggregates of the agencies in codes only, when
// codes is not nil.
func (s *Store) CycleAggregatesOf(ctx context.Context, cycleID, scopePath string, codes []string) ([]AggregateResult, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT g.agency_code, a.name_vi, a.name_en, a.path, g.indicator_code, g.value::text, g.contributors,
		       coalesce(g.expected, 0)
		  FROM cycle_aggregates g JOIN agencies a ON a.code = g.agency_code
		 WHERE g.cycle_id = $1 AND a.path LIKE $2 || '%'
		   AND ($3::text[] IS NULL OR g.agency_code = ANY($3))
		 ORDER BY a.path, g.indicator_code`, cycleID, scopePath, codes)
	if err != nil {
		return nil, fmt.Errorf("aggregates of cycle %s: %w", cycleID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AggregateResult, error) {
		var g AggregateResult
		err := r.Scan(&g.AgencyCode, &g.AgencyNameVI, &g.AgencyNameEN, &g.Path, &g.IndicatorCode, &g.Value, &g.Contributors, &g.Expected)
		return g, err
	})
	if err != nil {
		return nil, fmt.Errorf("aggregates of cycle %s: %w", cycleID, err)
	}
	return out, nil
}
