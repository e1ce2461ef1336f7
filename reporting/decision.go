package reporting

import "slices"

// Decision is a reviewer's decision on a submission version.
type Decision string

// Review decisions.
const (
	// DecisionAccepted: the version is final for the cycle.
	DecisionAccepted Decision = "accepted"
	// DecisionReturned: the agency must send a corrected version; the
	// reason says what to correct.
	DecisionReturned Decision = "returned"
)

// Decisions lists the decisions.
func Decisions() []Decision { return []Decision{DecisionAccepted, DecisionReturned} }

// IsValid reports whether d is one of the decisions.
func (d Decision) IsValid() bool { return slices.Contains(Decisions(), d) }

// ObligationStatus is the state the decision puts the obligation in.
func (d Decision) ObligationStatus() ObligationStatus {
	if d == DecisionAccepted {
		return ObligationAccepted
	}
	return ObligationReturned
}
