package reporting

import "time"

// FinalState is how an obligation (one agency in one cycle) ended, in the
// vocabulary of DOMAIN.md, aligned with DHIS2's.
type FinalState string

// The final states of an obligation.
const (
	// StateOnTime: an accepted submission, first submitted before due.
	StateOnTime FinalState = "on_time"
	// StateLate: an accepted submission, first submitted at or after due
	// (and, since nothing is accepted after it, before close).
	StateLate FinalState = "late"
	// StateMissing: nothing submitted by close.
	StateMissing FinalState = "missing"
	// StateNotAccepted: submitted, but still returned or unreviewed at close.
	StateNotAccepted FinalState = "not_accepted"
)

// ObligationOutcome is what is known of an obligation at close.
type ObligationOutcome struct {
	// FirstSubmittedAt is when the agency first submitted, nil if never.
	FirstSubmittedAt *time.Time
	// Accepted says whether a version was accepted by close.
	Accepted bool
	// Due is the obligation's due instant (after any extension), an
	// exclusive end.
	Due time.Time
}

// Classify returns the final state of an obligation. Timeliness is judged by
// the first submission, even when a later version is the one accepted: an
// agency that submitted on time and was asked for a correction is on time.
func Classify(o ObligationOutcome) FinalState {
	switch {
	case o.FirstSubmittedAt == nil:
		return StateMissing
	case !o.Accepted:
		return StateNotAccepted
	case OnTime(*o.FirstSubmittedAt, o.Due):
		return StateOnTime
	default:
		return StateLate
	}
}

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
func ComputeRates(states []FinalState) Rates {
	r := Rates{Expected: len(states)}
	for _, s := range states {
		switch s {
		case StateOnTime:
			r.OnTime++
		case StateLate:
			r.Late++
		case StateMissing:
			r.Missing++
		case StateNotAccepted:
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
