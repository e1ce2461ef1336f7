package reporting

import "fmt"

// Rates are the compliance figures of a cycle (or of part of the hierarchy).
type Rates struct {
	// Expected is the number of obligations: agencies assigned to the regime
	// and active during the period.
	Expected int `json:"expected"`
	// Submitted is OnTime + Late + NotAccepted.
	Submitted int `json:"submitted"`
	// OnTime, Late, Missing and NotAccepted count the final states.
	OnTime      int `json:"on_time"`
	Late        int `json:"late"`
	Missing     int `json:"missing"`
	NotAccepted int `json:"not_accepted"`
	// ReportingRate is Submitted ÷ Expected × 100, rounded to 2 decimals
	// (halves up); 0 when nothing is expected.
	ReportingRate float64 `json:"reporting_rate"`
	// OnTimeRate is OnTime ÷ Expected × 100 (the denominator is Expected, not
	// Submitted), rounded the same way.
	OnTimeRate float64 `json:"on_time_rate"`
}

// ComputeRates counts the final states of a cycle's obligations, one state per
// expected obligation, and derives the rates. A state other than the four
// final ones counts as expected but in no other figure.
func ComputeRates(states []ObligationStatus) Rates {
	r := Rates{Expected: len(states)}
	for _, s := range states {
		switch s {
		case ObligationOnTime:
			r.OnTime++
		case ObligationLate:
			r.Late++
		case ObligationMissing:
			r.Missing++
		case ObligationNotAccepted:
			r.NotAccepted++
		}
	}
	r.Submitted = r.OnTime + r.Late + r.NotAccepted
	r.ReportingRate = percent(r.Submitted, r.Expected)
	r.OnTimeRate = percent(r.OnTime, r.Expected)
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
// counts, with its FinalState, at its agency and at every agency above it.
// At close every obligation is final and the figures are the cycle's; while
// the cycle runs, open obligations count with the state they would get were
// it closed now, and the figures are provisional.
//
// It is an error for the tree to repeat a code, name an unknown parent or
// contain a cycle, or for an obligation's agency to be missing from it.
func RollUpCompliance(tree []Node, obligations []Obligation) (Compliance, error) {
	parent, err := checkTree(tree)
	if err != nil {
		return Compliance{}, fmt.Errorf("compliance: %w", err)
	}
	byNode := make(map[string][]ObligationStatus)
	all := make([]ObligationStatus, 0, len(obligations))
	for _, o := range obligations {
		if _, ok := parent[o.AgencyCode]; !ok {
			return Compliance{}, fmt.Errorf("compliance: agency %q has an obligation but is not in the agency tree", o.AgencyCode)
		}
		state := o.FinalState()
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
