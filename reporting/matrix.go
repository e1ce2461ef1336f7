package reporting

import (
	"math"
	"time"
)

// MatrixPeriods is how many periods of a regime the compliance matrix shows:
// the cycle's and the ones before it.
const MatrixPeriods = 12

// ChronicMinPeriods is the fewest final periods an agency must have for
// the matrix to call it a chronic latecomer.
const ChronicMinPeriods = 3

// MatrixCell is one agency's obligation in one period of the compliance
// matrix, from the obligation's one Classification.
type MatrixCell struct {
	// State is the final state once final, else the live state.
	State string
	Final bool
	// DaysLate is, for a late report, how many days after due (started days
	// count whole) the version that timed it came.
	DaysLate int
	// Extended: the office moved the agency's due (for it or for all).
	Extended bool
	Versions int
}

// CellOf is the matrix cell of an obligation at now; extended says whether
// its due was extended.
func CellOf(o Obligation, extended bool, now time.Time) MatrixCell {
	c := o.Classify(now)
	cell := MatrixCell{Final: c.Final, Extended: extended, Versions: o.Versions, State: string(c.Live)}
	if c.Final {
		cell.State = string(c.State)
	}
	if c.Final && c.State == ObligationLate {
		at := o.timedAt()
		if (at == nil || !at.After(o.Due)) && o.AcceptedSubmittedAt != nil {
			// An admitted late filing is late by its own filing, even where
			// the regime times by a first version that came on time.
			at = o.AcceptedSubmittedAt
		}
		if at != nil && at.After(o.Due) {
			cell.DaysLate = int(math.Ceil(at.Sub(o.Due).Hours() / 24))
		}
	}
	return cell
}

// NotOnTimeStates are the final states that count against an agency in the
// matrix's list of chronic latecomers: late, missing and not accepted.
func NotOnTimeStates() []ObligationStatus {
	return []ObligationStatus{ObligationLate, ObligationMissing, ObligationNotAccepted}
}

// IsChronic reports whether an agency with final obligations in finals of
// the matrix's periods, notOnTime of them late, missing or not accepted, is a
// chronic latecomer: late every time, over at least ChronicMinPeriods.
func IsChronic(finals, notOnTime int) bool {
	return finals >= ChronicMinPeriods && notOnTime == finals
}
