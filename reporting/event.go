package reporting

import (
	"fmt"
	"strings"
)

// Event names something that happens in a reporting cycle. One name serves
// everywhere the event shows: the moment of the timeline it is planned at,
// the wave that carries it out, the messages it sends, the notifications
// table, the API and the timeline people read.
type Event string

// The events of a cycle. The first group are moments of the timeline (and the
// waves that run them); the rest happen to one submission or one person.
const (
	// EventDeadlineNotice: the cycle opened; every agency is told what to
	// report, the data cut-off and the due date.
	EventDeadlineNotice Event = "deadline_notice"
	// EventReminder: before due, an agency that has not submitted is reminded.
	EventReminder Event = "reminder"
	// EventOverdue: due has passed; obligations with nothing submitted become
	// overdue and their agencies are told.
	EventOverdue Event = "overdue"
	// EventEscalation: a step of the escalation ladder after due; the
	// officer and head of each overdue agency are told (as the step says).
	EventEscalation Event = "escalation"
	// EventClose: obligations whose close has come take their final state.
	EventClose Event = "close"
	// EventDeadlineExtended: office staff moved an agency's due date (or
	// everyone's); the agencies are told.
	EventDeadlineExtended Event = "deadline_extended"
	// EventCycleSummary: the cycle closed; supervisors and office staff get
	// its compliance figures.
	EventCycleSummary Event = "cycle_summary"

	// EventEscalationDigest: at an escalation step, a supervisor gets one
	// list of the overdue agencies of their subtree.
	EventEscalationDigest Event = "escalation_digest"
	// EventReceipt: a submission was stored; the submitter gets its receipt.
	EventReceipt Event = "receipt"
	// EventReviewWaiting: a submission waits for a reviewer.
	EventReviewWaiting Event = "review_waiting"
	// EventReviewOverdue: a review took longer than the regime's review time.
	EventReviewOverdue Event = "review_overdue"
	// EventAccepted: a reviewer accepted a submission.
	EventAccepted Event = "accepted"
	// EventReturned: a reviewer returned a submission with a reason.
	EventReturned Event = "returned"
	// EventReopened: office staff reopened an accepted report with a
	// reason; the agency is told to submit again.
	EventReopened Event = "reopened"
	// EventNilReported: an agency declared it has nothing to report; the
	// reviewers and the agency are told.
	EventNilReported Event = "nil_reported"
	// EventExtensionRequested: an agency asked for a later due date; the
	// reviewers are told.
	EventExtensionRequested Event = "extension_requested"
	// EventExtensionGranted: office staff granted a request; the extension
	// it made tells the agency (EventDeadlineExtended), so it sends nothing
	// of its own.
	EventExtensionGranted Event = "extension_granted"
	// EventExtensionRefused: office staff refused a request with a reason;
	// the agency is told.
	EventExtensionRefused Event = "extension_refused"
	// EventLateFiled: an agency filed a version after its obligation's
	// close, with a reason; the reviewers and the agency are told.
	EventLateFiled Event = "late_filed"
	// EventLateFilingAdmitted: office staff admitted a late filing; the
	// agency is told it counts, late.
	EventLateFilingAdmitted Event = "late_filing_admitted"
	// EventLateFilingRefused: office staff refused a late filing with a
	// reason; the agency is told.
	EventLateFilingRefused Event = "late_filing_refused"
)

// MessageEvents returns every event that sends messages, in the order they
// usually occur in a cycle (the notifications table accepts exactly these).
func MessageEvents() []Event {
	return []Event{
		EventDeadlineNotice, EventReminder, EventOverdue, EventEscalation, EventEscalationDigest,
		EventReceipt, EventReturned, EventAccepted, EventReviewWaiting, EventReviewOverdue,
		EventCycleSummary, EventDeadlineExtended,
		EventReopened, EventNilReported, EventExtensionRequested, EventExtensionRefused,
		EventLateFiled, EventLateFilingAdmitted, EventLateFilingRefused,
	}
}

// SendsMessages reports whether e is one of MessageEvents.
func (e Event) SendsMessages() bool {
	for _, known := range MessageEvents() {
		if e == known {
			return true
		}
	}
	return false
}

// ParseMessageEvent returns the message event named by s (as stored, e.g.
// "deadline_notice"; case and surrounding spaces are ignored, "-" may stand
// for "_").
func ParseMessageEvent(s string) (Event, error) {
	e := Event(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_"))
	if e.SendsMessages() {
		return e, nil
	}
	names := make([]string, 0, len(MessageEvents()))
	for _, k := range MessageEvents() {
		names = append(names, string(k))
	}
	return "", fmt.Errorf("unknown notification kind %q; valid kinds: %s", s, strings.Join(names, ", "))
}

// Order returns the rank of e among moments at the same instant: reminder 0,
// overdue 1, escalation 2, close 3 (and 4 for anything else).
func (e Event) Order() int {
	switch e {
	case EventReminder:
		return 0
	case EventOverdue:
		return 1
	case EventEscalation:
		return 2
	case EventClose:
		return 3
	}
	return 4
}

// EventFromLegacyName maps the names waves had before events were named
// once (notice, due, extension, summary) to today's events; any other name
// is returned as it is. Only inputs recorded by older workers need it.
func EventFromLegacyName(name string) Event {
	switch name {
	case "notice":
		return EventDeadlineNotice
	case "due":
		return EventOverdue
	case "extension":
		return EventDeadlineExtended
	case "summary":
		return EventCycleSummary
	}
	return Event(name)
}
