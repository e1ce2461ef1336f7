package operations

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"rcm/access"
	"rcm/reporting"
	"rcm/store"
)

// Cycle returns a cycle; every role may read cycles.
func (e *Engine) Cycle(ctx context.Context, c Caller, id string) (reporting.Cycle, error) {
	if err := e.Authorize(c, OpReadCycles); err != nil {
		return reporting.Cycle{}, err
	}
	cyc, err := e.cycle(ctx, id)
	if err != nil {
		return reporting.Cycle{}, err
	}
	cycles := []reporting.Cycle{cyc}
	err = e.scopeExpected(ctx, c, cycles)
	return cycles[0], err
}

func (e *Engine) cycle(ctx context.Context, id string) (reporting.Cycle, error) {
	cyc, err := e.store.Cycle(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return reporting.Cycle{}, notFound("cycle", id)
	}
	return cyc, err
}

// ListCycles lists cycles, newest first.
func (e *Engine) ListCycles(ctx context.Context, c Caller, f store.CycleFilter) ([]reporting.Cycle, error) {
	if err := e.Authorize(c, OpReadCycles); err != nil {
		return nil, err
	}
	cycles, err := e.store.ListCycles(ctx, f)
	if err != nil {
		return nil, err
	}
	return cycles, e.scopeExpected(ctx, c, cycles)
}

// scopeExpected replaces each opened cycle's count of expected agencies by
// the count within the caller's scope: a supervisor sees the agencies of
// their subtree, an officer their own, office staff the whole cycle.
func (e *Engine) scopeExpected(ctx context.Context, c Caller, cycles []reporting.Cycle) error {
	scope := c.Scope()
	if scope.All() || len(cycles) == 0 {
		return nil
	}
	ids := make([]string, len(cycles))
	for i, cyc := range cycles {
		ids[i] = cyc.ID
	}
	counts, err := e.store.ExpectedIn(ctx, ids, scope.Path, scope.Exact)
	if err != nil {
		return err
	}
	for i := range cycles {
		if cycles[i].Expected > 0 { // 0 until the cycle opens
			cycles[i].Expected = counts[cycles[i].ID]
		}
	}
	return nil
}

// StatusCounts counts a cycle's obligations by status within the caller's scope.
func (e *Engine) StatusCounts(ctx context.Context, c Caller, cycleID string) (map[reporting.ObligationStatus]int, error) {
	if err := e.Authorize(c, OpReadCycles); err != nil {
		return nil, err
	}
	scope := c.Scope()
	return e.store.StatusCounts(ctx, cycleID, scope.Path, scope.Exact)
}

// Obligations lists a cycle's obligations within the caller's scope,
// narrowed to the subtree of under when given.
func (e *Engine) Obligations(ctx context.Context, c Caller, cycleID, under string, f store.ObligationFilter) ([]reporting.Obligation, error) {
	if err := e.Authorize(c, OpReadCycles); err != nil {
		return nil, err
	}
	if _, err := e.cycle(ctx, cycleID); err != nil {
		return nil, err
	}
	scope, err := e.Scope(ctx, c, under)
	if err != nil {
		return nil, err
	}
	f.CycleID, f.ScopePath, f.ExactPath = cycleID, scope.Path, scope.Exact
	return e.store.Obligations(ctx, f)
}

// ObligationDetail is one agency's obligation in a cycle with what the
// agency's page shows of it.
type ObligationDetail struct {
	Cycle      reporting.Cycle
	Agency     reporting.Agency
	Obligation reporting.Obligation
	// Versions are the agency's submissions, newest first.
	Versions []reporting.Submission
	// Actions are its reopens, nil reports and extension requests, newest first.
	Actions  []reporting.Action
	Template reporting.Template
	// LateFilingDays is the late filing window of the cycle's regime: days
	// after the obligation's close (0: no late filing).
	LateFilingDays int
}

// Obligation returns an agency's obligation in a cycle, if the caller may
// see the agency.
func (e *Engine) Obligation(ctx context.Context, c Caller, cycleID, agencyCode string) (ObligationDetail, error) {
	if err := e.Authorize(c, OpReadCycles); err != nil {
		return ObligationDetail{}, err
	}
	var d ObligationDetail
	var err error
	if d.Agency, err = e.visibleAgency(ctx, c, agencyCode); err != nil {
		return d, err
	}
	if d.Cycle, err = e.cycle(ctx, cycleID); err != nil {
		return d, err
	}
	if d.Obligation, err = e.store.Obligation(ctx, cycleID, agencyCode); err != nil {
		return d, err
	}
	if d.Versions, err = e.store.Submissions(ctx, cycleID, agencyCode); err != nil {
		return d, err
	}
	if d.Actions, err = e.store.Actions(ctx, store.ActionFilter{CycleID: cycleID, AgencyCode: agencyCode, Limit: 100}); err != nil {
		return d, err
	}
	regime, err := e.store.RegimeRules(ctx, d.Cycle.RegimeCode)
	if err != nil {
		return d, err
	}
	d.LateFilingDays = regime.LateFilingDaysOrDefault()
	d.Template, err = e.store.CycleTemplate(ctx, cycleID)
	return d, err
}

// ReviewCase is a version with what its reviewer looks at.
type ReviewCase struct {
	Submission reporting.Submission
	Agency     reporting.Agency
	Obligation reporting.Obligation
	Template   reporting.Template
}

// ReviewCase returns a version for review, with its agency, obligation and
// template; office staff and reviewers (of the agencies they see).
func (e *Engine) ReviewCase(ctx context.Context, c Caller, submissionID int64) (ReviewCase, error) {
	if err := e.Authorize(c, OpReadReviews); err != nil {
		return ReviewCase{}, err
	}
	var rc ReviewCase
	var err error
	if rc.Submission, err = e.Submission(ctx, c, submissionID); err != nil {
		return rc, err
	}
	sub := rc.Submission
	if rc.Agency, err = e.store.Agency(ctx, sub.AgencyCode); err != nil {
		return rc, err
	}
	if rc.Obligation, err = e.store.Obligation(ctx, sub.CycleID, sub.AgencyCode); err != nil {
		return rc, err
	}
	rc.Template, err = e.store.CycleTemplate(ctx, sub.CycleID)
	return rc, err
}

// ReviewQueue lists the latest versions waiting for a decision, oldest first.
func (e *Engine) ReviewQueue(ctx context.Context, c Caller, f store.ReviewQueueFilter) ([]reporting.Submission, error) {
	if err := e.Authorize(c, OpReadReviews); err != nil {
		return nil, err
	}
	e.scopeReviewQueue(c, &f)
	return e.store.ReviewQueue(ctx, f)
}

// scopeReviewQueue narrows a review queue to what the caller reviews: a
// reviewer's the agencies below their own, office staff's everything asked.
func (e *Engine) scopeReviewQueue(c Caller, f *store.ReviewQueueFilter) {
	if c.IsStaff() {
		return
	}
	if scope := c.Scope(); !strings.HasPrefix(f.ScopePath, scope.Path) {
		f.ScopePath = scope.Path
	}
	f.Below = c.AgencyPath
}

// Notifications lists the notifications log, oldest first, for office staff
// to find what failed.
func (e *Engine) Notifications(ctx context.Context, c Caller, f store.NotificationFilter) ([]reporting.Notification, error) {
	if err := e.Authorize(c, OpReadMessages); err != nil {
		return nil, err
	}
	return e.store.ListNotifications(ctx, f)
}

// ResultRow is one agency's line of a result.
type ResultRow[T any] struct {
	Agency reporting.Agency
	Value  T
}

// Compliance is a cycle's compliance per agency in a scope: the stored
// figures of a closed cycle (Final), else provisional ones rolled up from
// its obligations as they stand.
type Compliance struct {
	Cycle reporting.Cycle
	Final bool
	Rows  []ResultRow[reporting.Rates]
}

// Figure is an indicator's figure at an agency.
type Figure struct {
	Indicator    string
	Value        string
	Contributors int
	// Expected is how many agencies below the node should contribute; with
	// Contributors it is the figure's coverage.
	Expected int
}

// Aggregates are a cycle's figures per agency in a scope: stored at close
// (Final), else rolled up from the versions accepted so far.
type Aggregates struct {
	Cycle    reporting.Cycle
	Final    bool
	Template reporting.Template
	Rows     []ResultRow[Figure]
}

// resultScope authorizes a result read and returns the cycle and the scope.
func (e *Engine) resultScope(ctx context.Context, c Caller, cycleID, under string) (reporting.Cycle, access.Scope, error) {
	if err := e.Authorize(c, OpReadResults); err != nil {
		return reporting.Cycle{}, access.Scope{}, err
	}
	cyc, err := e.cycle(ctx, cycleID)
	if err != nil {
		return reporting.Cycle{}, access.Scope{}, err
	}
	scope, err := e.Scope(ctx, c, under)
	return cyc, scope, err
}

// Compliance computes the compliance of a cycle within the caller's scope,
// narrowed to the subtree of under when given.
func (e *Engine) Compliance(ctx context.Context, c Caller, cycleID, under string) (Compliance, error) {
	cyc, scope, err := e.resultScope(ctx, c, cycleID, under)
	if err != nil {
		return Compliance{}, err
	}
	out := Compliance{Cycle: cyc, Final: cyc.Status == reporting.CycleClosed}
	if out.Final {
		rows, err := e.store.CycleCompliance(ctx, cyc.ID, scope.Path)
		if err != nil {
			return out, err
		}
		for _, row := range rows {
			if scope.Contains(row.Path) {
				a := reporting.Agency{Code: row.AgencyCode, NameVI: row.AgencyNameVI, NameEN: row.AgencyNameEN, Path: row.Path}
				out.Rows = append(out.Rows, ResultRow[reporting.Rates]{Agency: a, Value: row.Rates})
			}
		}
		return out, nil
	}
	facts, err := e.store.SubtreeFacts(ctx, cyc.ID, scope.Path, false)
	if err != nil {
		return out, err
	}
	compliance, err := reporting.RollUpCompliance(facts.Tree, facts.Obligations, e.now())
	if err != nil {
		return out, fmt.Errorf("compliance of cycle %s: %w", cyc.ID, err)
	}
	nodes, err := agenciesIn(ctx, e.store, scope, facts.Paths, compliance.ByNode)
	if err != nil {
		return out, err
	}
	for _, a := range nodes {
		out.Rows = append(out.Rows, ResultRow[reporting.Rates]{Agency: a, Value: compliance.ByNode[a.Code]})
	}
	return out, nil
}

// Aggregates computes the figures of a cycle within the caller's scope,
// narrowed to the subtree of under when given.
func (e *Engine) Aggregates(ctx context.Context, c Caller, cycleID, under string) (Aggregates, error) {
	return e.AggregatesOf(ctx, c, cycleID, under, nil)
}

// AggregatesOf is Aggregates of the agencies in codes only, when codes is
// not nil (a page shows a node and its children).
func (e *Engine) AggregatesOf(ctx context.Context, c Caller, cycleID, under string, codes []string) (Aggregates, error) {
	cyc, scope, err := e.resultScope(ctx, c, cycleID, under)
	if err != nil {
		return Aggregates{}, err
	}
	out := Aggregates{Cycle: cyc, Final: cyc.Status == reporting.CycleClosed}
	if out.Template, err = e.store.CycleTemplate(ctx, cyc.ID); err != nil {
		return out, err
	}
	if out.Final {
		rows, err := e.store.CycleAggregatesOf(ctx, cyc.ID, scope.Path, codes)
		if err != nil {
			return out, err
		}
		for _, g := range rows {
			if scope.Contains(g.Path) {
				a := reporting.Agency{Code: g.AgencyCode, NameVI: g.AgencyNameVI, NameEN: g.AgencyNameEN, Path: g.Path}
				out.Rows = append(out.Rows, ResultRow[Figure]{Agency: a,
					Value: Figure{Indicator: g.IndicatorCode, Value: g.Value, Contributors: g.Contributors, Expected: g.Expected}})
			}
		}
		return out, nil
	}
	var (
		figures map[string]map[string]reporting.AggregateValue
		nodes   []reporting.Agency
	)
	if codes != nil && len(cyc.Tiers) == 0 {
		// The few nodes a page shows: no tree, only each report's path. A
		// tiered cycle's figures come level by level from the whole tree
		// (below).
		reports, err := e.store.SubtreeAccepted(ctx, cyc.ID, scope.Path)
		if err != nil {
			return out, err
		}
		if figures, err = reporting.AggregateAt(scope.Path, codes, out.Template.Indicators, reports.Accepted, reports.Paths, reports.Expected); err != nil {
			return out, fmt.Errorf("aggregate cycle %s: %w", cyc.ID, err)
		}
		shown, err := e.store.AgenciesByCode(ctx, slices.Collect(maps.Keys(figures)))
		if err != nil {
			return out, err
		}
		for _, a := range shown {
			if scope.Contains(a.Path) {
				nodes = append(nodes, a)
			}
		}
	} else {
		facts, err := e.store.SubtreeFacts(ctx, cyc.ID, scope.Path, true)
		if err != nil {
			return out, err
		}
		// In a tiered cycle each node's figures come from one level (the
		// provinces' consolidations above them, not the departments again).
		if figures, err = reporting.AggregateLevels(facts.Tree, facts.Template.Indicators, facts.Accepted, facts.Expected(), facts.Paths, cyc.Tiers); err != nil {
			return out, fmt.Errorf("aggregate cycle %s: %w", cyc.ID, err)
		}
		if codes != nil {
			maps.DeleteFunc(figures, func(code string, _ map[string]reporting.AggregateValue) bool { return !slices.Contains(codes, code) })
		}
		if nodes, err = agenciesIn(ctx, e.store, scope, facts.Paths, figures); err != nil {
			return out, err
		}
	}
	for _, a := range nodes {
		codes := make([]string, 0, len(figures[a.Code]))
		for code := range figures[a.Code] {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			v := figures[a.Code][code]
			out.Rows = append(out.Rows, ResultRow[Figure]{Agency: a, Value: Figure{Indicator: code, Value: v.Value, Contributors: v.Count, Expected: v.Expected}})
		}
	}
	return out, nil
}

// agenciesIn returns the agencies keyed in byCode whose tree path (in paths)
// is in scope, by path.
func agenciesIn[T any](ctx context.Context, st *store.Store, scope access.Scope, paths map[string]string, byCode map[string]T) ([]reporting.Agency, error) {
	codes := make([]string, 0, len(byCode))
	for code := range byCode {
		if scope.Contains(paths[code]) {
			codes = append(codes, code)
		}
	}
	return st.AgenciesByCode(ctx, codes)
}
