package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"rcm/reporting"
)

// WaveTarget is an agency a wave applies to, with what its messages need.
type WaveTarget struct {
	AgencyCode       string
	AgencyNameVI     string
	AgencyNameEN     string
	Path             string
	OfficerEmail     string
	HeadEmail        string
	Language         string
	Due              time.Time
	Close            time.Time
	Status           reporting.ObligationStatus
	FirstSubmittedAt *time.Time
	// ReturnedVersion and ReturnedReason are set when the latest version was
	// returned (or reopened by office staff): the version and the reviewer's
	// (or the reopen's) reason, which the messages
	// chasing it quote.
	ReturnedVersion int
	ReturnedReason  string
}

// Returned reports whether the target is chased for a returned version.
func (t WaveTarget) Returned() bool { return t.ReturnedVersion > 0 }

// TargetKind says which obligations a wave selects.
type TargetKind int

// Target kinds.
const (
	// TargetOpen: every obligation not final yet (deadline notice).
	TargetOpen TargetKind = iota
	// TargetNotSubmitted: nothing submitted, or the latest version returned,
	// and due - Offset has come, due not passed (reminder).
	TargetNotSubmitted
	// TargetOverdue: nothing submitted by due, or the latest version
	// returned at due (overdue notice).
	TargetOverdue
	// TargetEscalation: still overdue, or still returned, Offset after due,
	// before close.
	TargetEscalation
	// TargetAgency: one agency's open obligation, or every open one when
	// Agency is empty (deadline-extended notice).
	TargetAgency
)

// WaveSelection asks for one page of a wave's targets.
type WaveSelection struct {
	CycleID string
	Kind    TargetKind
	At      time.Time
	Offset  time.Duration
	Agency  string
	// Tier, when not 0, keeps to the obligations of that level: a wave of a
	// level chased by its own ladder reaches only its agencies.
	Tier int
	// After is the last agency code of the previous page.
	After string
	Limit int
}

// WaveTargets returns the next page of agencies a wave applies to, ordered by
// agency code, so a resumed wave continues where it stopped.
func (s *Store) WaveTargets(ctx context.Context, sel WaveSelection) ([]WaveTarget, error) {
	// $1 cycle, $2 after, $3 limit; each kind adds only the parameters it uses.
	args := []any{sel.CycleID, sel.After, clampLimit(sel.Limit)}
	var cond string
	switch sel.Kind {
	case TargetOpen:
		cond = `o.finalized_at IS NULL`
	case TargetNotSubmitted:
		// Reminded are those that due would turn overdue, and those whose
		// version was returned: a returned report is chased like a missing one.
		cond = `o.status = ANY($6) AND o.due_at - $5::interval <= $4 AND o.due_at > $4 AND o.close_at > $4`
		args = append(args, sel.At, sel.Offset, chasedStates(reporting.ObligationOverdue.From()))
	case TargetOverdue:
		cond = `o.status = ANY($5) AND o.due_at <= $4 AND o.finalized_at IS NULL`
		args = append(args, sel.At, chasedStates([]reporting.ObligationStatus{reporting.ObligationOverdue}))
	case TargetEscalation:
		cond = `o.status = ANY($6) AND o.due_at + $5::interval <= $4 AND o.close_at > $4`
		args = append(args, sel.At, sel.Offset, chasedStates([]reporting.ObligationStatus{reporting.ObligationOverdue}))
	case TargetAgency:
		cond = `o.finalized_at IS NULL AND ($4 = '' OR o.agency_code = $4)`
		args = append(args, sel.Agency)
	default:
		return nil, fmt.Errorf("wave targets: unknown kind %d", sel.Kind)
	}
	if sel.Tier != 0 {
		args = append(args, sel.Tier)
		cond += fmt.Sprintf(` AND o.tier = $%d`, len(args))
	}
	rows, err := s.pool.Query(ctx, `
		SELECT o.agency_code, a.name_vi, a.name_en, a.path, coalesce(a.officer_email, ''), coalesce(a.head_email, ''),
		       a.language, o.due_at, o.close_at, o.status, o.first_submitted_at,
		       coalesce(ret.version, 0), coalesce(ret.reason, '')
		  FROM obligations o JOIN agencies a ON a.code = o.agency_code
		  LEFT JOIN LATERAL (
		        SELECT s.version,
		               CASE WHEN r.decision = '`+string(reporting.DecisionReturned)+`' THEN r.reason
		                    ELSE (SELECT x.reason FROM obligation_actions x
		                           WHERE x.cycle_id = o.cycle_id AND x.agency_code = o.agency_code
		                             AND x.kind = '`+string(reporting.ActionReopen)+`' AND x.version = s.version
		                           ORDER BY x.id DESC LIMIT 1) END AS reason
		          FROM submissions s JOIN reviews r ON r.submission_id = s.id
		         WHERE s.cycle_id = o.cycle_id AND s.agency_code = o.agency_code AND s.version = o.versions
		           AND o.status = '`+string(reporting.ObligationReturned)+`'
		  ) ret ON true
		 WHERE o.cycle_id = $1 AND o.agency_code > $2 AND `+cond+`
		 ORDER BY o.agency_code
		 LIMIT $3`, args...)
	if err != nil {
		return nil, fmt.Errorf("wave targets of cycle %s: %w", sel.CycleID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (WaveTarget, error) {
		var t WaveTarget
		err := r.Scan(&t.AgencyCode, &t.AgencyNameVI, &t.AgencyNameEN, &t.Path, &t.OfficerEmail, &t.HeadEmail,
			&t.Language, &t.Due, &t.Close, &t.Status, &t.FirstSubmittedAt, &t.ReturnedVersion, &t.ReturnedReason)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("wave targets of cycle %s: %w", sel.CycleID, err)
	}
	return out, nil
}

// chasedStates adds to the states of obligations with nothing submitted the
// state of a returned one, which the timeline chases alike until a new
// version arrives.
func chasedStates(nothingSubmitted []reporting.ObligationStatus) []reporting.ObligationStatus {
	return append(nothingSubmitted, reporting.ObligationReturned)
}

// MarkNotified moves the obligations of these agencies that are still
// pending to notified.
func (s *Store) MarkNotified(ctx context.Context, cycleID string, agencies []string, at time.Time) error {
	if _, err := s.pool.Exec(ctx, `
		UPDATE obligations SET status = $4, notified_at = coalesce(notified_at, $3)
		 WHERE cycle_id = $1 AND agency_code = ANY($2) AND status = ANY($5)`,
		cycleID, agencies, at, reporting.ObligationNotified, reporting.ObligationNotified.From()); err != nil {
		return fmt.Errorf("mark notified in cycle %s: %w", cycleID, err)
	}
	return nil
}

// MarkOverdue turns obligations with nothing submitted by their due (as of
// at) overdue, and returns how many changed.
func (s *Store) MarkOverdue(ctx context.Context, cycleID string, at time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `
		UPDATE obligations SET status = $3
		 WHERE cycle_id = $1 AND status = ANY($4) AND due_at <= $2 AND finalized_at IS NULL`,
		cycleID, at, reporting.ObligationOverdue, reporting.ObligationOverdue.From())
	if err != nil {
		return 0, fmt.Errorf("mark overdue in cycle %s: %w", cycleID, err)
	}
	return int(tag.RowsAffected()), nil
}

// ClosingObligations returns the obligations whose close is at or before at
// and that are not final yet, with what their final state depends on.
func (s *Store) ClosingObligations(ctx context.Context, cycleID string, at time.Time) ([]reporting.Obligation, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+obligationColumns+` `+obligationJoins+`
		 WHERE o.cycle_id = $1 AND o.close_at <= $2 AND o.finalized_at IS NULL
		 ORDER BY o.agency_code`, cycleID, at)
	if err != nil {
		return nil, fmt.Errorf("closing obligations of cycle %s: %w", cycleID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Obligation, error) { return scanObligation(r) })
	if err != nil {
		return nil, fmt.Errorf("closing obligations of cycle %s: %w", cycleID, err)
	}
	return out, nil
}

// FinalizeObligations records final states (agency code → state) for
// obligations not final yet, and returns how many of the cycle's
// obligations remain open.
func (s *Store) FinalizeObligations(ctx context.Context, cycleID string, states map[string]reporting.ObligationStatus, at time.Time) (remaining int, err error) {
	codes := make([]string, 0, len(states))
	finals := make([]reporting.ObligationStatus, 0, len(states))
	for code, st := range states {
		if !st.IsFinal() {
			return 0, fmt.Errorf("finalize obligations of cycle %s: %s is not a final state (agency %s)", cycleID, st, code)
		}
		codes = append(codes, code)
		finals = append(finals, st)
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		if len(codes) > 0 {
			if _, err := tx.Exec(ctx, `
				UPDATE obligations o SET status = f.state, finalized_at = $4
				  FROM unnest($2::text[], $3::text[]) AS f(agency_code, state)
				 WHERE o.cycle_id = $1 AND o.agency_code = f.agency_code AND o.finalized_at IS NULL`,
				cycleID, codes, finals, at); err != nil {
				return fmt.Errorf("finalize: %w", err)
			}
		}
		return tx.QueryRow(ctx, `SELECT count(*) FROM obligations WHERE cycle_id = $1 AND finalized_at IS NULL`, cycleID).Scan(&remaining)
	})
	if err != nil {
		return 0, fmt.Errorf("finalize obligations of cycle %s: %w", cycleID, err)
	}
	return remaining, nil
}

// LoopScope says which submission loops a close or a cancel ends.
type LoopScope int

// Loop scopes.
const (
	// LoopsOfFinalized: loops of obligations that have their final state
	// (a close wave ends these).
	LoopsOfFinalized LoopScope = iota
	// LoopsOfCycle: every loop of the cycle (a cancel ends these).
	LoopsOfCycle
)

// RunningLoops returns up to limit agencies of the cycle whose submission
// loop has not been told to end: obligations with at least one version and
// no loop_ended_at, within scope, in agency-code order. Marking them with
// MarkLoopsEnded takes them out, so calling it until it answers nothing
// ends every loop, across any number of interrupted attempts.
func (s *Store) RunningLoops(ctx context.Context, cycleID string, scope LoopScope, limit int) ([]string, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT agency_code FROM obligations
		 WHERE cycle_id = $1 AND versions > 0 AND loop_ended_at IS NULL
		   AND ($2 OR finalized_at IS NOT NULL)
		 ORDER BY agency_code
		 LIMIT $3`, cycleID, scope == LoopsOfCycle, clampLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("running loops of cycle %s: %w", cycleID, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("running loops of cycle %s: %w", cycleID, err)
	}
	return out, nil
}

// MarkLoopsEnded records that the submission loops of these agencies were
// told to end (or had ended already).
func (s *Store) MarkLoopsEnded(ctx context.Context, cycleID string, agencies []string, at time.Time) error {
	if len(agencies) == 0 {
		return nil
	}
	if _, err := s.pool.Exec(ctx, `
		UPDATE obligations SET loop_ended_at = $3
		 WHERE cycle_id = $1 AND agency_code = ANY($2) AND loop_ended_at IS NULL`, cycleID, agencies, at); err != nil {
		return fmt.Errorf("mark loops ended in cycle %s: %w", cycleID, err)
	}
	return nil
}

// CycleFacts is what a cycle's results are computed from: the agency tree,
// every obligation of the cycle, the values accepted so far and the
// template.
type CycleFacts struct {
	Tree []reporting.Node
	// Paths holds the tree path of every agency, by code.
	Paths       map[string]string
	Obligations []reporting.Obligation
	// Accepted holds the values of the version accepted, by agency code.
	Accepted map[string]reporting.Values
	Template reporting.Template
	// Tiers are the cycle's levels, lowest first; none for a single-tier
	// cycle.
	Tiers []reporting.CycleTier
}

// Expected returns the agencies expected to report: those with an obligation.
func (f CycleFacts) Expected() []string {
	out := make([]string, len(f.Obligations))
	for i, o := range f.Obligations {
		out[i] = o.AgencyCode
	}
	return out
}

// CycleFacts loads what a cycle's compliance and aggregates are computed
// from, at close or while it runs.
func (s *Store) CycleFacts(ctx context.Context, cycleID string) (CycleFacts, error) {
	return s.SubtreeFacts(ctx, cycleID, "", true)
}

// SubtreeFacts loads a cycle's facts for the subtree of the agency whose
// tree path is path ("" = the whole tree): its agencies, its root's parent
// left out, and their obligations, with the accepted values when
// withValues (compliance alone needs none).
func (s *Store) SubtreeFacts(ctx context.Context, cycleID, path string, withValues bool) (CycleFacts, error) {
	return s.subtreeFacts(ctx, s.pool, cycleID, path, withValues)
}

// subtreeFacts is SubtreeFacts read through q (the pool, or a transaction
// that changed the facts).
func (s *Store) subtreeFacts(ctx context.Context, q Querier, cycleID, path string, withValues bool) (CycleFacts, error) {
	f := CycleFacts{Paths: map[string]string{}, Accepted: map[string]reporting.Values{}}
	var err error
	if f.Template, err = s.CycleTemplate(ctx, cycleID); err != nil {
		return f, err
	}
	if f.Tiers, err = cycleTiers(ctx, q, cycleID); err != nil {
		return f, err
	}
	rows, err := q.Query(ctx, `SELECT code, CASE WHEN path = $1 THEN '' ELSE coalesce(parent_code, '') END, path
		FROM agencies WHERE path LIKE $1 || '%' ORDER BY code`, path)
	if err != nil {
		return f, fmt.Errorf("agency tree: %w", err)
	}
	var code, parent, agencyPath string
	if _, err := pgx.ForEachRow(rows, []any{&code, &parent, &agencyPath}, func() error {
		f.Tree = append(f.Tree, reporting.Node{Code: code, Parent: parent})
		f.Paths[code] = agencyPath
		return nil
	}); err != nil {
		return f, fmt.Errorf("agency tree: %w", err)
	}
	rows, err = q.Query(ctx, `SELECT `+obligationColumns+`, CASE WHEN $3 THEN acc."values" END `+obligationJoins+`
		 WHERE o.cycle_id = $1 AND a.path LIKE $2 || '%'
		 ORDER BY o.agency_code`, cycleID, path, withValues)
	if err != nil {
		return f, fmt.Errorf("obligations of cycle %s: %w", cycleID, err)
	}
	type row struct {
		o      reporting.Obligation
		values []byte
	}
	obligations, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		var x row
		o := &x.o
		err := r.Scan(append(obligationDest(o), &x.values)...)
		return x, err
	})
	if err != nil {
		return f, fmt.Errorf("obligations of cycle %s: %w", cycleID, err)
	}
	for _, x := range obligations {
		f.Obligations = append(f.Obligations, x.o)
		if x.values != nil {
			var v reporting.Values
			if err := json.Unmarshal(x.values, &v); err != nil {
				return f, fmt.Errorf("obligations of cycle %s: values of %s: %w", cycleID, x.o.AgencyCode, err)
			}
			f.Accepted[x.o.AgencyCode] = v
		}
	}
	return f, nil
}

// AggregateRow is one stored figure: an indicator aggregated over a node's subtree.
type AggregateRow struct {
	AgencyCode    string
	IndicatorCode string
	Value         string
	Contributors  int
	// Expected is the number of agencies of the subtree expected to report.
	Expected int
}

// StoreCycleResults replaces the cycle's stored aggregates and compliance
// (the rates of each node, by agency code) and marks it closed, in one
// transaction.
func (s *Store) StoreCycleResults(ctx context.Context, cycleID string, aggregates []AggregateRow, compliance map[string]reporting.Rates) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if err := replaceCycleResults(ctx, tx, cycleID, aggregates, compliance); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE cycles SET status = $2, closed_at = coalesce(closed_at, now())
			WHERE id = $1 AND status = ANY($3)`, cycleID, reporting.CycleClosed, reporting.CycleClosed.From())
		return err
	})
	if err != nil {
		return fmt.Errorf("store results of cycle %s: %w", cycleID, err)
	}
	return nil
}

// replaceCycleResults replaces the cycle's stored aggregates and compliance
// within tx.
func replaceCycleResults(ctx context.Context, tx pgx.Tx, cycleID string, aggregates []AggregateRow, compliance map[string]reporting.Rates) error {
	nodes := make([]string, 0, len(compliance))
	for code := range compliance {
		nodes = append(nodes, code)
	}
	sort.Strings(nodes)
	if _, err := tx.Exec(ctx, `DELETE FROM cycle_aggregates WHERE cycle_id = $1`, cycleID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM cycle_compliance WHERE cycle_id = $1`, cycleID); err != nil {
		return err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"cycle_aggregates"},
		[]string{"cycle_id", "agency_code", "indicator_code", "value", "contributors", "expected"},
		pgx.CopyFromSlice(len(aggregates), func(i int) ([]any, error) {
			a := aggregates[i]
			return []any{cycleID, a.AgencyCode, a.IndicatorCode, a.Value, a.Contributors, a.Expected}, nil
		})); err != nil {
		return fmt.Errorf("store aggregates: %w", err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"cycle_compliance"},
		[]string{"cycle_id", "agency_code", "expected", "submitted", "on_time", "late", "missing",
			"not_accepted", "submitted_not_reviewed", "nil_report", "timely", "submitted_on_time", "review_backlog",
			"versions_before_acceptance", "reporting_rate", "on_time_rate", "submitted_on_time_rate"},
		pgx.CopyFromSlice(len(nodes), func(i int) ([]any, error) {
			r := compliance[nodes[i]]
			if r.OnTimeRateBasis != reporting.BasisExpected {
				return nil, fmt.Errorf("compliance of %s: not every obligation is final", nodes[i])
			}
			return []any{cycleID, nodes[i], r.Expected, r.Submitted, r.OnTime, r.Late, r.Missing,
				r.NotAccepted, r.NotReviewed, r.NilReport, r.Timely, r.SubmittedOnTime, r.ReviewBacklog,
				r.VersionsBeforeAcceptance, fmt.Sprintf("%.2f", r.ReportingRate), fmt.Sprintf("%.2f", r.OnTimeRate),
				fmt.Sprintf("%.2f", r.SubmittedOnTimeRate)}, nil
		})); err != nil {
		return fmt.Errorf("store compliance: %w", err)
	}
	return nil
}

// CycleResults computes what close stores from a cycle's facts at now: the
// accepted figures aggregated along the tree (one row per node and
// indicator, in that order) and the compliance of every node. In a tiered
// cycle each node's figures come from one level (the provinces'
// consolidations above them, not the departments again). Every obligation
// must be final for the compliance to be stored.
func CycleResults(f CycleFacts, now time.Time) ([]AggregateRow, reporting.Compliance, error) {
	aggregates, err := reporting.AggregateLevels(f.Tree, f.Template.Indicators, f.Accepted, f.Expected(), f.Paths, f.Tiers)
	if err != nil {
		return nil, reporting.Compliance{}, fmt.Errorf("aggregate: %w", err)
	}
	var rows []AggregateRow
	for node, byIndicator := range aggregates {
		for indicator, v := range byIndicator {
			rows = append(rows, AggregateRow{AgencyCode: node, IndicatorCode: indicator, Value: v.Value,
				Contributors: v.Count, Expected: v.Expected})
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].AgencyCode != rows[j].AgencyCode {
			return rows[i].AgencyCode < rows[j].AgencyCode
		}
		return rows[i].IndicatorCode < rows[j].IndicatorCode
	})
	compliance, err := reporting.RollUpCompliance(f.Tree, f.Obligations, now)
	if err != nil {
		return nil, reporting.Compliance{}, fmt.Errorf("compliance: %w", err)
	}
	return rows, compliance, nil
}

// recomputeClosedResults recomputes, within tx, the stored results of a
// cycle whose results are stored (closed), after a change to its final
// states or accepted figures (an admitted late filing); a cycle still open
// gets its results at close.
func (s *Store) recomputeClosedResults(ctx context.Context, tx pgx.Tx, cycleID string, now time.Time) (bool, error) {
	var status reporting.CycleStatus
	if err := tx.QueryRow(ctx, `SELECT status FROM cycles WHERE id = $1`, cycleID).Scan(&status); err != nil {
		return false, fmt.Errorf("cycle %s: %w", cycleID, err)
	}
	if status != reporting.CycleClosed {
		return false, nil
	}
	facts, err := s.subtreeFacts(ctx, tx, cycleID, "", true)
	if err != nil {
		return false, err
	}
	aggregates, compliance, err := CycleResults(facts, now)
	if err != nil {
		return false, fmt.Errorf("recompute results of cycle %s: %w", cycleID, err)
	}
	if err := replaceCycleResults(ctx, tx, cycleID, aggregates, compliance.ByNode); err != nil {
		return false, fmt.Errorf("recompute results of cycle %s: %w", cycleID, err)
	}
	return true, nil
}

// SupervisorContact is an active supervisor with the subtree they supervise.
type SupervisorContact struct {
	UserID       int64
	Email        string
	Language     string
	AgencyCode   string
	AgencyNameVI string
	AgencyNameEN string
	Path         string
}

// ActiveSupervisors returns every active supervisor, grouped by the path of
// the subtree they supervise.
func (s *Store) ActiveSupervisors(ctx context.Context) (map[string][]SupervisorContact, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT u.id, u.email, u.language, a.code, a.name_vi, a.name_en, a.path
		  FROM users u JOIN agencies a ON a.code = u.agency_code
		 WHERE u.role = 'supervisor' AND u.disabled_at IS NULL
		 ORDER BY a.path, u.id`)
	if err != nil {
		return nil, fmt.Errorf("active supervisors: %w", err)
	}
	out := map[string][]SupervisorContact{}
	var c SupervisorContact
	if _, err := pgx.ForEachRow(rows, []any{&c.UserID, &c.Email, &c.Language, &c.AgencyCode, &c.AgencyNameVI, &c.AgencyNameEN, &c.Path}, func() error {
		out[c.Path] = append(out[c.Path], c)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("active supervisors: %w", err)
	}
	return out, nil
}

// FinalStates returns every finalized obligation of a cycle (its Status the
// final state), by agency code.
func (s *Store) FinalStates(ctx context.Context, cycleID string) ([]reporting.Obligation, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+obligationColumns+` `+obligationJoins+`
		 WHERE o.cycle_id = $1 AND o.finalized_at IS NOT NULL
		 ORDER BY o.agency_code`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("final states of cycle %s: %w", cycleID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (reporting.Obligation, error) { return scanObligation(r) })
	if err != nil {
		return nil, fmt.Errorf("final states of cycle %s: %w", cycleID, err)
	}
	return out, nil
}
