package api

import "time"

// Action is an action on one agency's obligation (reporting.Action): a
// reopen by office staff, a nil report, an extension request or a late
// filing by the agency, with office staff's answer to a request or a late
// filing.
type Action struct {
	ID     int64  `json:"id"`
	Cycle  string `json:"cycle"`
	Agency string `json:"agency"`
	// Kind is reopen, nil_report, extension_request or late_filing.
	Kind string `json:"kind"`
	// Status is done (a reopen, a nil report), pending, granted or
	// refused (a request), or pending, admitted or refused (a late filing).
	Status string `json:"status"`
	Reason string `json:"reason"`
	// Version is the version a reopen reopened, or a late filing filed.
	Version int `json:"version,omitempty"`
	// RequestedDue is the due date a request asks for (yyyy-mm-dd).
	RequestedDue   string     `json:"requested_due,omitempty"`
	CreatedBy      string     `json:"created_by"`
	CreatedAt      time.Time  `json:"created_at"`
	DecidedBy      string     `json:"decided_by,omitempty"`
	DecidedAt      *time.Time `json:"decided_at,omitempty"`
	DecisionReason string     `json:"decision_reason,omitempty"`
	// Extension is the extension a granted request made.
	Extension *int64 `json:"extension,omitempty"`
}

// ActionRequest is the body of a reopen, a nil report (POST
// /api/v1/cycles/{id}/agencies/{code}/reopen, .../nil-report): a reason;
// and of an extension request (.../extension-requests): a reason and the
// due date asked for.
type ActionRequest struct {
	Reason string `json:"reason"`
	Due    string `json:"due,omitempty"`
}

// RequestDecision is office staff's answer to an extension request (POST
// /api/v1/extension-requests/{id}/decision): granted (with the due date
// granted, the one asked for when empty) or refused with a reason.
type RequestDecision struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason,omitempty"`
	Due      string `json:"due,omitempty"`
}
