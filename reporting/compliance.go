package reporting

import (
	"fmt"
	"strings"
	"time"
)

// Rates are the compliance figures of a cycle (or of part of the
// hierarchy), counted from the one Classification of each obligation.
type Rates struct {
	// Expected is the number of obligations: agencies assigned to the regime
	// and active during the period.
	Expected int `json:"expected"`
	// Submitted counts obligations with a version or a nil report: on time,
	// late, not accepted, not reviewed and nil reports once final; while
	// open, every one that has sent something (returned ones included).
	Submitted int `json:"submitted"`
	// OnTime, Late, Missing, NotAccepted, NotReviewed and NilReport count
	// the final states ("missing" and "not accepted" exist only after close).
	OnTime      int `json:"on_time"`
	Late        int `json:"late"`
	Missing     int `json:"missing"`
	NotAccepted int `json:"not_accepted"`
	NotReviewed int `json:"submitted_not_reviewed"`
	NilReport   int `json:"nil_report"`
	// NotYetDue, AwaitingReview, Returned, Overdue and Accepted count the
	// live states of obligations whose close has not come (a live nil
	// report counts in NilReport).
	NotYetDue      int `json:"not_yet_due"`
	AwaitingReview int `json:"awaiting_review"`
	Returned       int `json:"returned"`
	Overdue        int `json:"overdue"`
	Accepted       int `json:"accepted"`
	// Timely counts what is on time by the regime's Timeliness rule: final
	// on time, or submitted before due and never reviewed, or a nil report
	// before due; while open, the versions so far timed before due.
	Timely int `json:"timely"`
	// SubmittedOnTime counts obligations whose first version came before
	// due, whatever became of it (DHIS2's "reporting rate on time").
	SubmittedOnTime int `json:"submitted_on_time"`
	// ReviewBacklog counts latest versions the office has not decided on:
	// awaiting review while open, not reviewed once final.
	ReviewBacklog int `json:"review_backlog"`
	// VersionsBeforeAcceptance sums, over accepted reports, the versions
	// sent before the accepted one (Eurostat's measure; an agency's own row
	// is its count).
	VersionsBeforeAcceptance int `json:"versions_before_acceptance"`
	// ReportingRate is Submitted ÷ Expected × 100, rounded to 2 decimals
	// (halves up); 0 when nothing is expected.
	ReportingRate float64 `json:"reporting_rate"`
	// OnTimeRate is rcm's on-time rate: Timely ÷ OnTimeRateBasis × 100,
	// rounded the same way.
	OnTimeRate float64 `json:"on_time_rate"`
	// OnTimeRateBasis names the denominator of OnTimeRate: "expected" once
	// every obligation is final (DOMAIN.md: on time ÷ expected), "submitted"
	// while any is open (on time so far ÷ submitted so far: an agency not
	// yet due is not late).
	OnTimeRateBasis RateBasis `json:"on_time_rate_basis"`
	// SubmittedOnTimeRate is the DHIS2-compatible "submitted on time" rate:
	// SubmittedOnTime ÷ Expected × 100, counting a first version by due
	// whatever its review.
	SubmittedOnTimeRate float64 `json:"submitted_on_time_rate"`
}

// RateBasis names the denominator of a rate.
type RateBasis string

// The denominators of OnTimeRate.
const (
	BasisExpected  RateBasis = "expected"
	BasisSubmitted RateBasis = "submitted"
)

// ComputeRates counts the classifications of a cycle's obligations, one per
// expected obligation, and derives the rates.
func ComputeRates(cs []Classification) Rates {
	var r Rates
	for _, c := range cs {
		r.count(c, 1)
	}
	return r.derive()
}

// count adds n obligations classified as c to the counts of r.
func (r *Rates) count(c Classification, n int) {
	r.Expected += n
	if c.Submitted {
		r.Submitted += n
	}
	if c.OnTime {
		r.Timely += n
	}
	if c.SubmittedOnTime {
		r.SubmittedOnTime += n
	}
	if c.AwaitingReview {
		r.ReviewBacklog += n
	}
	r.VersionsBeforeAcceptance += c.VersionsBeforeAcceptance * n
	if !c.Final {
		r.OnTimeRateBasis = BasisSubmitted
	}
	switch {
	case c.State == ObligationOnTime:
		r.OnTime += n
	case c.State == ObligationLate:
		r.Late += n
	case c.State == ObligationMissing:
		r.Missing += n
	case c.State == ObligationNotAccepted:
		r.NotAccepted += n
	case c.State == ObligationNotReviewed:
		r.NotReviewed += n
	case c.State == ObligationNilReport, c.Live == LiveNilReport:
		r.NilReport += n
	case c.Live == LiveNotYetDue:
		r.NotYetDue += n
	case c.Live == LiveAwaitingReview:
		r.AwaitingReview += n
	case c.Live == LiveReturned:
		r.Returned += n
	case c.Live == LiveOverdue:
		r.Overdue += n
	case c.Live == LiveAccepted:
		r.Accepted += n
	}
}

// derive returns r with its basis and rates worked out from its counts.
func (r Rates) derive() Rates {
	if r.OnTimeRateBasis == "" {
		r.OnTimeRateBasis = BasisExpected
	}
	r.ReportingRate = percent(r.Submitted, r.Expected)
	r.SubmittedOnTimeRate = percent(r.SubmittedOnTime, r.Expected)
	if r.OnTimeRateBasis == BasisSubmitted {
		r.OnTimeRate = percent(r.Timely, r.Submitted)
	} else {
		r.OnTimeRate = percent(r.Timely, r.Expected)
	}
	return r
}

// percent returns part ÷ whole × 100 rounded to 2 decimals, halves up, in
// integer arithmetic so the result is the float nearest the exact figure.
func percent(part, whole int) float64 {
	if whole <= 0 {
		return 0
	}
	hundredths := (int64(part)*10000*2 + int64(whole)) / (2 * int64(whole))
	return float64(hundredths) / 100
}

// Compliance is the compliance of a cycle over the agency tree.
type Compliance struct {
	// ByNode holds, for every agency with at least one obligation in its
	// subtree (its own included), the rates over those obligations, by
	// agency code.
	ByNode map[string]Rates
	// Overall is the rates over every obligation of the cycle.
	Overall Rates
}

// RollUpCompliance rolls a cycle's obligations up the agency tree: each
// counts, with its Classification at now, at its agency and at every agency
// above it. At close every obligation is final and the figures are the
// cycle's; while the cycle runs, open obligations count with their live
// state and the on-time rate is over what was submitted so far.
//
// It is an error for the tree to repeat a code, name an unknown parent or
// contain a cycle, or for an obligation's agency to be missing from it.
func RollUpCompliance(tree []Node, obligations []Obligation, now time.Time) (Compliance, error) {
	parent, err := checkTree(tree)
	if err != nil {
		return Compliance{}, fmt.Errorf("compliance: %w", err)
	}
	byNode := make(map[string][]Classification)
	all := make([]Classification, 0, len(obligations))
	for _, o := range obligations {
		if _, ok := parent[o.AgencyCode]; !ok {
			return Compliance{}, fmt.Errorf("compliance: agency %q has an obligation but is not in the agency tree", o.AgencyCode)
		}
		state := o.Classify(now)
		all = append(all, state)
		for node := o.AgencyCode; node != ""; node = parent[node] {
			byNode[node] = append(byNode[node], state)
		}
	}
	out := Compliance{ByNode: make(map[string]Rates, len(byNode)), Overall: ComputeRates(all)}
	for node, states := range byNode {
		out.ByNode[node] = ComputeRates(states)
	}
	return out, nil
}

// RollUpLevels counts the obligations of a subtree, each with its
// Classification at now, at the subtree's root (the agency whose tree path
// is rootPath, under rootCode) and at the agencies of the levels below it
// down to depth levels (1: its children), by agency code. It is
// RollUpCompliance for the few nodes a page shows, from the agencies' tree
// paths instead of the whole tree; obligations outside the subtree are
// left out.
func RollUpLevels(rootCode, rootPath string, depth int, obligations []Obligation, now time.Time) map[string]Rates {
	byNode := map[string][]Classification{}
	for _, o := range obligations {
		rel, ok := strings.CutPrefix(o.AgencyPath, rootPath)
		if !ok {
			continue
		}
		state := o.Classify(now)
		byNode[rootCode] = append(byNode[rootCode], state)
		for i, code := range strings.Split(strings.TrimSuffix(rel, "/"), "/") {
			if i >= depth || code == "" {
				break
			}
			byNode[code] = append(byNode[code], state)
		}
	}
	out := make(map[string]Rates, len(byNode))
	for code, states := range byNode {
		out[code] = ComputeRates(states)
	}
	return out
}

// ObligationGroup is Count obligations of a subtree that the one
// classification cannot tell apart at an instant, Like being one of them
// (or an obligation standing exactly as they do), counted at the subtree's
// root and at the agencies of Nodes: the codes on the way from the root
// down to their agency, nearest the root first, as deep as the roll-up
// goes. A store counts a large cycle's obligations into a few such groups
// instead of handing over every one.
type ObligationGroup struct {
	Like  Obligation
	Nodes []string
	Count int
}

// RollUpGroups is RollUpLevels over obligations counted in groups: each
// group is classified once, at now, and counted Count times at the root
// (rootCode) and at each of its Nodes.
func RollUpGroups(rootCode string, groups []ObligationGroup, now time.Time) map[string]Rates {
	counts := map[string]*Rates{}
	add := func(code string, c Classification, n int) {
		r, ok := counts[code]
		if !ok {
			r = &Rates{}
			counts[code] = r
		}
		r.count(c, n)
	}
	for _, g := range groups {
		if g.Count <= 0 {
			continue
		}
		c := g.Like.Classify(now)
		add(rootCode, c, g.Count)
		for _, code := range g.Nodes {
			add(code, c, g.Count)
		}
	}
	out := make(map[string]Rates, len(counts))
	for code, r := range counts {
		out[code] = r.derive()
	}
	return out
}
