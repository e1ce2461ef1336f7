package operations

import (
	"context"
	"fmt"
	"strings"

	"rcm/reporting"
)

// TierView is how a tiered cycle stands, level by level, within the
// caller's scope: each level's compliance and states, and each agency of an
// upper level with the agencies below it it is waiting for.
type TierView struct {
	Cycle reporting.Cycle
	// Template is the cycle's, for the order and methods of the figures.
	Template reporting.Template
	Levels   []reporting.LevelProgress
	Parents  []ParentRow
}

// ParentRow is an upper-level agency's progress with its names.
type ParentRow struct {
	reporting.ParentProgress
	NameVI, NameEN string
}

// Tiers computes a cycle's progress per level within the caller's scope,
// narrowed to the subtree of under when given. A single-tier cycle has no
// levels.
func (e *Engine) Tiers(ctx context.Context, c Caller, cycleID, under string) (TierView, error) {
	cyc, scope, err := e.resultScope(ctx, c, cycleID, under)
	if err != nil {
		return TierView{}, err
	}
	out := TierView{Cycle: cyc}
	if len(cyc.Tiers) == 0 {
		return out, nil
	}
	facts, err := e.store.SubtreeFacts(ctx, cyc.ID, scope.Path, true)
	if err != nil {
		return out, err
	}
	var inScope []reporting.Obligation
	var expected []string
	accepted := map[string]reporting.Values{}
	names := map[string]reporting.Agency{}
	for _, o := range facts.Obligations {
		if scope.Contains(o.AgencyPath) {
			inScope = append(inScope, o)
			expected = append(expected, o.AgencyCode)
			names[o.AgencyCode] = reporting.Agency{NameVI: o.AgencyNameVI, NameEN: o.AgencyNameEN}
			if v, ok := facts.Accepted[o.AgencyCode]; ok {
				accepted[o.AgencyCode] = v
			}
		}
	}
	out.Template = facts.Template
	levels, parents := reporting.TierProgress(cyc.Tiers, inScope, e.now())
	// Each level's own figures at the top of the scope, side by side: the
	// consolidations' aggregate and the raw lower-level sums.
	var roots []string
	for _, n := range facts.Tree {
		if n.Parent == "" {
			roots = append(roots, n.Code)
		}
	}
	if len(roots) == 1 {
		for i := range levels {
			figures, err := reporting.AggregateLevel(facts.Tree, facts.Template.Indicators, accepted, expected, facts.Paths, levels[i].Tier.Depth)
			if err != nil {
				return out, fmt.Errorf("figures of level %d of cycle %s: %w", levels[i].Tier.Level, cyc.ID, err)
			}
			levels[i].Figures = figures[roots[0]]
		}
	}
	out.Levels = levels
	for _, p := range parents {
		n := names[p.AgencyCode]
		out.Parents = append(out.Parents, ParentRow{ParentProgress: p, NameVI: n.NameVI, NameEN: n.NameEN})
	}
	return out, nil
}

// Consolidation is the report of an upper-level agency pre-filled from the
// accepted reports of the agencies of the level below it: each indicator
// by its aggregation method, with its coverage, and each child with its
// state, the ones not settled named. The agency's officer adjusts it,
// explains the differences and submits it as their own report.
type Consolidation struct {
	Cycle    reporting.Cycle
	Agency   reporting.Agency
	Level    reporting.CycleTier
	Below    reporting.CycleTier
	Template reporting.Template
	// Values are the pre-filled figures by indicator code (indicators
	// aggregated by none, text ones, and those no child gave are absent).
	Values   map[string]reporting.AggregateValue
	Children []ChildRow
	// WaitingFor are the children not settled (not accepted, no nil
	// report, not closed out): a report submitted now states them missing.
	WaitingFor []string
	// Latest is the latest version of the agency's own report, with the
	// children it was sent without; nil while it has sent none.
	Latest *reporting.Submission
}

// ChildRow is one agency of the level below in a consolidation.
type ChildRow struct {
	Obligation reporting.Obligation
	// State is its live or final state; Settled whether it counts as in.
	State   string
	Settled bool
}

// Consolidation pre-fills the report of an upper-level agency of a tiered
// cycle from its children's accepted reports. Whoever sees the agency may
// read it: its officer, the reviewers and supervisors above it, office
// staff. An agency of the lowest level, or of a single-tier cycle, has
// nothing to consolidate (refused naming the agency).
func (e *Engine) Consolidation(ctx context.Context, c Caller, cycleID, agencyCode string) (Consolidation, error) {
	if err := e.Authorize(c, OpReadResults); err != nil {
		return Consolidation{}, err
	}
	cyc, err := e.cycle(ctx, cycleID)
	if err != nil {
		return Consolidation{}, err
	}
	agency, err := e.visibleAgency(ctx, c, agencyCode)
	if err != nil {
		return Consolidation{}, err
	}
	out := Consolidation{Cycle: cyc, Agency: agency}
	level := -1
	for i, t := range cyc.Tiers {
		if t.Depth == reporting.PathDepth(agency.Path) {
			level = i
		}
	}
	if level < 1 {
		return out, invalid("agency", fmt.Sprintf("%s is not of an upper level of cycle %s, so it has nothing to consolidate; "+
			"only the agencies of a level above another consolidate their reports", agency.Code, cyc.ID))
	}
	out.Level, out.Below = cyc.Tiers[level], cyc.Tiers[level-1]
	facts, err := e.store.SubtreeFacts(ctx, cyc.ID, agency.Path, true)
	if err != nil {
		return out, err
	}
	out.Template = facts.Template
	now := e.now()
	tree := []reporting.Node{{Code: agency.Code}}
	accepted := map[string]reporting.Values{}
	var expected []string
	for _, o := range facts.Obligations {
		if reporting.PathDepth(o.AgencyPath) != out.Below.Depth || !strings.HasPrefix(o.AgencyPath, agency.Path) {
			continue
		}
		cl := o.Classify(now)
		state := string(cl.Live)
		if cl.Final {
			state = string(cl.State)
		}
		out.Children = append(out.Children, ChildRow{Obligation: o, State: state, Settled: cl.Settled()})
		if !cl.Settled() {
			out.WaitingFor = append(out.WaitingFor, o.AgencyCode)
		}
		tree = append(tree, reporting.Node{Code: o.AgencyCode, Parent: agency.Code})
		expected = append(expected, o.AgencyCode)
		if v, ok := facts.Accepted[o.AgencyCode]; ok {
			accepted[o.AgencyCode] = v
		}
	}
	aggregates, err := reporting.Aggregate(tree, facts.Template.Indicators, accepted, expected)
	if err != nil {
		return out, fmt.Errorf("consolidate %s in cycle %s: %w", agency.Code, cyc.ID, err)
	}
	out.Values = aggregates[agency.Code]
	versions, err := e.store.Submissions(ctx, cyc.ID, agency.Code)
	if err != nil {
		return out, err
	}
	if len(versions) > 0 {
		out.Latest = &versions[0] // latest first
	}
	return out, nil
}
