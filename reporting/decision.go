package reporting

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
