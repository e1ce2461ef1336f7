package operations

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"rcm/access"
	"rcm/reporting"
	"rcm/store"
)

// Reads of the supervisors' dashboard and the office's pages.

// TreeNode is a node of the compliance tree with its children's rows.
type TreeNode struct {
	Row      ResultRow[reporting.Rates]
	Children []ResultRow[reporting.Rates]
}

// ComplianceTree is a cycle's compliance around one node of the agency
// tree: the node, the way back up to the top of the caller's scope, and two
// levels below it. Agencies with nothing expected in their subtree are left
// out.
type ComplianceTree struct {
	Cycle reporting.Cycle
	// Final: the stored figures of a closed cycle; else live ones.
	Final bool
	// Node is the node looked at: the one asked for, else the top of what
	// the caller sees.
	Node ResultRow[reporting.Rates]
	// Trail is the node's ancestors the caller may see, top first.
	Trail []reporting.Agency
	// Children are the node's children, each with its own.
	Children []TreeNode
}

// treeNode is the agency a tree is drawn around: under when given, else
// the caller's own agency, else (office staff) the top of the tree.
func (e *Engine) treeNode(ctx context.Context, c Caller, under string) (reporting.Agency, error) {
	switch {
	case under != "":
		return e.visibleAgency(ctx, c, under)
	case c.AgencyCode != "":
		return e.visibleAgency(ctx, c, c.AgencyCode)
	}
	a, err := e.store.TopAgency(ctx)
	if errors.Is(err, store.ErrNotFound) {
		return a, nil
	}
	return a, err
}

// treeAround returns the agency a tree is drawn around (treeNode) and the
// agencies of the two levels below it; no node and no error when there is
// no tree.
func (e *Engine) treeAround(ctx context.Context, c Caller, under string) (reporting.Agency, []reporting.Agency, error) {
	node, err := e.treeNode(ctx, c, under)
	if err != nil || node.Code == "" {
		return node, nil, err
	}
	below, err := e.store.AgencyLevels(ctx, node.Code)
	return node, below, err
}

// TreeCodes returns the codes of the agency a compliance tree is drawn
// around (ComplianceTree's node: under, else the caller's own agency, else
// the top of the tree) and of its children within the caller's scope. A
// page asks for the figures of these (AggregatesOf) beside the tree, not
// after it; ComplianceTree leaves out the children with nothing expected,
// whose figures the page then drops.
func (e *Engine) TreeCodes(ctx context.Context, c Caller, under string) ([]string, error) {
	if err := e.Authorize(c, OpReadResults); err != nil {
		return nil, err
	}
	scope, err := e.Scope(ctx, c, under)
	if err != nil {
		return nil, err
	}
	node, below, err := e.treeAround(ctx, c, under)
	if err != nil || node.Code == "" {
		return nil, err
	}
	codes := []string{node.Code}
	for _, a := range below {
		if a.ParentCode == node.Code && scope.Contains(a.Path) {
			codes = append(codes, a.Code)
		}
	}
	return codes, nil
}

// nodeRates returns the compliance in the cycle of the agencies in codes,
// each over its subtree below node within scope: stored at close, else live
// from the obligations under node, counted by PostgreSQL in the groups the
// classification cannot tell apart (store.ObligationGroups) and classified
// once per group. Live figures are given for every node down to two levels
// below node, codes or not.
func (e *Engine) nodeRates(ctx context.Context, cyc reporting.Cycle, scope access.Scope, node reporting.Agency, codes []string) (map[string]reporting.Rates, error) {
	out := map[string]reporting.Rates{}
	if cyc.Status == reporting.CycleClosed {
		rows, err := e.store.ComplianceResults(ctx, []string{cyc.ID}, node.Path, codes)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.AgencyCode] = r.Rates
		}
		return out, nil
	}
	now := e.now()
	groups, err := e.store.ObligationGroups(ctx, store.GroupFilter{CycleID: cyc.ID, RootPath: node.Path, Depth: 2,
		ScopePath: scope.Path, ExactPath: scope.Exact}, now)
	if err != nil {
		return nil, err
	}
	return reporting.RollUpGroups(node.Code, groups, now), nil
}

// ComplianceTree computes a cycle's compliance within the caller's scope
// around under (the top of the scope when empty).
func (e *Engine) ComplianceTree(ctx context.Context, c Caller, cycleID, under string) (ComplianceTree, error) {
	cyc, scope, err := e.resultScope(ctx, c, cycleID, under)
	if err != nil {
		return ComplianceTree{}, err
	}
	out := ComplianceTree{Cycle: cyc, Final: cyc.Status == reporting.CycleClosed}
	node, below, err := e.treeAround(ctx, c, under)
	if err != nil || node.Code == "" {
		return out, err
	}
	codes := []string{node.Code}
	for _, a := range below {
		if scope.Contains(a.Path) {
			codes = append(codes, a.Code)
		}
	}
	rates, err := e.nodeRates(ctx, cyc, scope, node, codes)
	if err != nil {
		return out, err
	}
	out.Node = ResultRow[reporting.Rates]{Agency: node, Value: rates[node.Code]}
	children := map[string]int{}
	for _, a := range below {
		r, ok := rates[a.Code]
		if !ok || !scope.Contains(a.Path) {
			continue
		}
		row := ResultRow[reporting.Rates]{Agency: a, Value: r}
		if a.ParentCode == node.Code {
			children[a.Code] = len(out.Children)
			out.Children = append(out.Children, TreeNode{Row: row})
		} else if i, ok := children[a.ParentCode]; ok {
			out.Children[i].Children = append(out.Children[i].Children, row)
		}
	}
	var ancestors []string
	segments := strings.Split(strings.Trim(node.Path, "/"), "/")
	for i := range len(segments) - 1 {
		if c.CanSeeAgency("/" + strings.Join(segments[:i+1], "/") + "/") {
			ancestors = append(ancestors, segments[i])
		}
	}
	if len(ancestors) > 0 {
		if out.Trail, err = e.store.AgenciesByCode(ctx, ancestors); err != nil {
			return out, err
		}
	}
	return out, nil
}

// PeriodRates is a node's compliance in one period of a regime.
type PeriodRates struct {
	Cycle reporting.Cycle
	Final bool
	// Known is false when the node had nothing expected in the cycle.
	Known bool
	Rates reporting.Rates
}

// RateHistory returns the compliance of the agency node (its subtree within
// the caller's scope) in the last reporting.MatrixPeriods periods of the
// cycle's regime up to the cycle's, oldest first: stored figures of closed
// cycles, live ones of the others. known holds the node's rates already
// computed (by ComplianceTree), by cycle ID, so a page does not count the
// same obligations twice.
func (e *Engine) RateHistory(ctx context.Context, c Caller, cycleID, node string, known map[string]reporting.Rates) ([]PeriodRates, error) {
	cyc, scope, err := e.resultScope(ctx, c, cycleID, node)
	if err != nil {
		return nil, err
	}
	agency, err := e.treeNode(ctx, c, node)
	if err != nil {
		return nil, err
	}
	cycles, err := e.store.RegimeCycles(ctx, cyc.RegimeCode, cyc.WindowStart, reporting.MatrixPeriods)
	if err != nil {
		return nil, err
	}
	slices.Reverse(cycles)
	var closed []string
	for _, cy := range cycles {
		if cy.Status == reporting.CycleClosed {
			closed = append(closed, cy.ID)
		}
	}
	rows, err := e.store.ComplianceResults(ctx, closed, agency.Path, []string{agency.Code})
	if err != nil {
		return nil, err
	}
	stored := map[string]reporting.Rates{}
	for _, r := range rows {
		stored[r.CycleID] = r.Rates
	}
	out := make([]PeriodRates, 0, len(cycles))
	for _, cy := range cycles {
		p := PeriodRates{Cycle: cy, Final: cy.Status == reporting.CycleClosed}
		if r, ok := known[cy.ID]; ok {
			p.Rates, p.Known = r, true
		} else if p.Final {
			p.Rates, p.Known = stored[cy.ID]
		} else {
			live, err := e.nodeRates(ctx, cy, scope, agency, []string{agency.Code})
			if err != nil {
				return nil, fmt.Errorf("rates of %s in cycle %s: %w", agency.Code, cy.ID, err)
			}
			p.Rates, p.Known = live[agency.Code]
		}
		out = append(out, p)
	}
	return out, nil
}

// MatrixRow is one agency's line of the compliance matrix: a cell per
// period, nil where it owed nothing.
type MatrixRow struct {
	Agency reporting.Agency
	Cells  []*reporting.MatrixCell
}

// Matrix is the agency × period compliance of a regime: the cycle's period
// and the ones before it, for a page of agencies, with the chronic
// latecomers of the whole scope.
type Matrix struct {
	// Cycles are the periods, oldest first.
	Cycles []reporting.Cycle
	Rows   []MatrixRow
	// Next is the agency code to page on from, "" on the last page.
	Next string
	// Latecomers are the agencies late, missing or not accepted in every
	// one of their final periods (reporting.IsChronic).
	Latecomers []store.Latecomer
}

// Matrix returns the compliance matrix of the cycle's regime within the
// caller's scope narrowed to under, for the limit agencies after after.
func (e *Engine) Matrix(ctx context.Context, c Caller, cycleID, under, after string, limit int) (Matrix, error) {
	cyc, scope, err := e.resultScope(ctx, c, cycleID, under)
	if err != nil {
		return Matrix{}, err
	}
	var out Matrix
	if out.Cycles, err = e.store.RegimeCycles(ctx, cyc.RegimeCode, cyc.WindowStart, reporting.MatrixPeriods); err != nil {
		return out, err
	}
	slices.Reverse(out.Cycles)
	column := map[string]int{}
	ids := make([]string, len(out.Cycles))
	for i, cy := range out.Cycles {
		column[cy.ID], ids[i] = i, cy.ID
	}
	f := store.MatrixFilter{CycleIDs: ids, ScopePath: scope.Path, ExactPath: scope.Exact, After: after, Limit: limit + 1}
	obligations, err := e.store.MatrixObligations(ctx, f)
	if err != nil {
		return out, err
	}
	now := e.now()
	for _, o := range obligations {
		if n := len(out.Rows); n == 0 || out.Rows[n-1].Agency.Code != o.AgencyCode {
			if n == limit {
				out.Next = out.Rows[n-1].Agency.Code
				break
			}
			out.Rows = append(out.Rows, MatrixRow{Agency: reporting.Agency{Code: o.AgencyCode, NameVI: o.AgencyNameVI,
				NameEN: o.AgencyNameEN, Path: o.AgencyPath}, Cells: make([]*reporting.MatrixCell, len(ids))})
		}
		cell := reporting.CellOf(o.Obligation, o.Extended, now)
		out.Rows[len(out.Rows)-1].Cells[column[o.CycleID]] = &cell
	}
	f.After, f.Limit = "", 1000
	out.Latecomers, err = e.store.Latecomers(ctx, f, reporting.NotOnTimeStates(), reporting.ChronicMinPeriods)
	return out, err
}

// Owed lists what the caller's agency still owes in open cycles (nothing
// accepted yet, or returned), soonest due first; empty for callers without
// an agency of their own to report for.
func (e *Engine) Owed(ctx context.Context, c Caller) ([]reporting.Obligation, error) {
	if err := e.Authorize(c, OpReadCycles); err != nil {
		return nil, err
	}
	if c.Role != access.Officer || c.AgencyCode == "" {
		return nil, nil
	}
	return e.store.OwedObligations(ctx, c.AgencyCode, 100)
}

// QueueEntry is a version waiting for review with its agency's names.
type QueueEntry struct {
	reporting.Submission
	Agency reporting.Agency
}

// ReviewQueueEntries lists the latest versions waiting for a decision,
// oldest first, in one cycle when cycleID is given and under one agency's
// subtree when under is, each with its agency.
func (e *Engine) ReviewQueueEntries(ctx context.Context, c Caller, cycleID, under string, limit int) ([]QueueEntry, error) {
	if err := e.Authorize(c, OpReadReviews); err != nil {
		return nil, err
	}
	scope, err := e.Scope(ctx, c, under)
	if err != nil {
		return nil, err
	}
	f := store.ReviewQueueFilter{CycleID: cycleID, ScopePath: scope.Path, Limit: limit}
	e.scopeReviewQueue(c, &f)
	subs, err := e.store.ReviewQueue(ctx, f)
	if err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(subs))
	for _, s := range subs {
		codes = append(codes, s.AgencyCode)
	}
	agencies, err := e.store.AgenciesByCode(ctx, codes)
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]reporting.Agency, len(agencies))
	for _, a := range agencies {
		byCode[a.Code] = a
	}
	out := make([]QueueEntry, len(subs))
	for i, s := range subs {
		out[i] = QueueEntry{Submission: s, Agency: byCode[s.AgencyCode]}
	}
	return out, nil
}
