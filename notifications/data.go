package notifications

import (
	"fmt"
	"rcm/messages"
	"rcm/reporting"
	"reflect"
	"strings"
	"time"
)

// Data is everything a template may show. It holds plain values only, so
// this package needs nothing else of rcm; the activity that sends a message
// fills in what the message's kind requires (see Kind.RequiredFields).
//
// Texts are in the message's language: PeriodLabel is "tháng 10/2026" for a
// Vietnamese message and "October 2026" for an English one (templates write
// "báo cáo tháng 10/2026" and "the October 2026 report"). Names of agencies
// and regimes are shown as given.
//
// Times are instants. CutOff, Due, Close, OldDue and ReviewDue are deadlines
// stored as the first instant at which they have passed (a due date of
// 15/10/2026 is 16/10/2026 00:00 in Location); a deadline at midnight is
// shown as the day that ends there ("hết ngày 15/10/2026", "end of
// 15/10/2026"), any other one with its time. All times are shown in Location.
type Data struct {
	AgencyCode string // the agency's code, e.g. "LCI"
	AgencyName string // the agency the message is about (a supervisor's own unit for digests and summaries)
	RegimeName string // the reporting regime, e.g. "Báo cáo tình hình kinh tế - xã hội hằng tháng"
	// PeriodLabel names the reporting period in the message's language.
	PeriodLabel string

	CutOff time.Time // end of the data window (exclusive)
	Due    time.Time // the submission deadline (exclusive)
	Close  time.Time // after it no submission is accepted (exclusive)
	OldDue time.Time // the due date before an extension
	// Location is the time zone times are shown in (the regime's, usually
	// Asia/Ho_Chi_Minh). Required by every kind.
	Location *time.Location
	// Estimates says the figures are estimates (số liệu ước tính): the
	// regime reports estimates and due comes before the data cut-off
	// (reporting.Cycle.ReportsEstimates); the notice, reminders and receipt
	// say so.
	Estimates bool

	ReminderNumber int // 1 for the first reminder
	ReminderCount  int // how many reminders are planned; 0 if unknown
	EscalationStep int // 1 for the first escalation step
	DaysOverdue    int // whole days since due; 0 hides the figure

	ReceiptNumber string    // the receipt of a stored submission
	ContentHash   string    // SHA-256 (hex) of the stored report, shown with its receipt
	Version       int       // the submission's version number, 1 for the first
	SubmittedAt   time.Time // when the version was stored
	// Reason is the reviewer's reason for returning a submission. It is user
	// text: the HTML part escapes it. In a reminder, overdue notice or
	// escalation it is set when the agency is chased for a returned version
	// (Version): the message says the report was returned, and why.
	Reason    string
	ReviewDue time.Time // when the review of the submission is due

	// SubmissionLink is the page where the agency submits or reads its
	// submission; DashboardLink the page office staff and supervisors use
	// (the review page, the cycle's dashboard).
	SubmissionLink string
	DashboardLink  string

	Summary Summary // the figures of a closed cycle (reporting.EventCycleSummary)
	// OverdueAgencies names the agencies of a supervisor's subtree that have
	// submitted nothing, and ReturnedAgencies those whose report was returned
	// and not yet resubmitted (reporting.EventEscalationDigest needs one of
	// the two).
	OverdueAgencies  []string
	ReturnedAgencies []string
	// ExtensionReason is why the due date was extended; user text, optional.
	ExtensionReason string
	// RequestedDue is the due date an agency's extension request asks for
	// (an exclusive end, like Due).
	RequestedDue time.Time
}

// Summary holds a cycle's compliance figures for one subtree. Rates are
// percentages (87.5 means 87.5 %), over Expected.
type Summary struct {
	Expected    int
	Submitted   int
	OnTime      int
	Late        int
	Missing     int
	NotAccepted int
	// NotReviewed counts versions the office never decided on by close
	// (counted as submitted); NilReport the agencies with nothing to report.
	NotReviewed   int
	NilReport     int
	ReportingRate float64
	OnTimeRate    float64
	// MissingAgencies and LateAgencies name the agencies concerned.
	MissingAgencies []string
	LateAgencies    []string
	// UnreachableAgencies name the agencies rcm could not mail during the
	// cycle (no valid address); office staff are told, so they can fix it.
	UnreachableAgencies []string
}

// RequiredFields lists the Data fields a message of kind k cannot be written
// without. A string field made of spaces counts as missing, and so does a
// zero time, number or Summary, a nil Location and an empty list. "A|B"
// asks for at least one of A and B.
func RequiredFields(k reporting.Event) []string {
	var own []string
	switch k {
	case reporting.EventDeadlineNotice:
		own = []string{"CutOff", "Due", "SubmissionLink"}
	case reporting.EventReminder:
		own = []string{"Due", "ReminderNumber", "SubmissionLink"}
	case reporting.EventOverdue:
		own = []string{"Due", "SubmissionLink"}
	case reporting.EventEscalation:
		own = []string{"Due", "EscalationStep", "SubmissionLink"}
	case reporting.EventEscalationDigest:
		own = []string{"Due", "EscalationStep", "OverdueAgencies|ReturnedAgencies", "DashboardLink"}
	case reporting.EventReceipt:
		own = []string{"ReceiptNumber", "Version", "SubmittedAt", "SubmissionLink"}
	case reporting.EventReturned:
		own = []string{"Version", "Reason", "SubmissionLink"}
	case reporting.EventAccepted:
		own = []string{"Version", "SubmissionLink"}
	case reporting.EventReviewWaiting:
		own = []string{"Version", "SubmittedAt", "ReviewDue", "DashboardLink"}
	case reporting.EventReviewOverdue:
		own = []string{"Version", "ReviewDue", "DashboardLink"}
	case reporting.EventCycleSummary:
		own = []string{"Summary", "DashboardLink"}
	case reporting.EventDeadlineExtended:
		own = []string{"Due", "OldDue", "SubmissionLink"}
	case reporting.EventReopened:
		own = []string{"Version", "Reason", "SubmissionLink"}
	case reporting.EventNilReported:
		own = []string{"Reason", "SubmissionLink"}
	case reporting.EventExtensionRequested:
		own = []string{"Due", "RequestedDue", "Reason", "DashboardLink"}
	case reporting.EventExtensionRefused:
		own = []string{"Due", "RequestedDue", "Reason", "SubmissionLink"}
	case reporting.EventLateFiled:
		own = []string{"Version", "Reason", "Close", "SubmissionLink"}
	case reporting.EventLateFilingAdmitted:
		own = []string{"Version", "SubmissionLink"}
	case reporting.EventLateFilingRefused:
		own = []string{"Version", "Reason", "SubmissionLink"}
	default:
		return nil
	}
	// Every kind names the agency, the regime and the period, and shows times.
	return append([]string{"AgencyName", "RegimeName", "PeriodLabel", "Location"}, own...)
}

// MissingFieldError says that a message could not be written because a field
// its kind requires is empty. It is a bug in the caller (or missing data),
// not a delivery problem: retrying will not help.
type MissingFieldError struct {
	Kind  reporting.Event
	Lang  messages.Lang
	Field string
}

// Error says which field of which kind and language is missing.
func (e *MissingFieldError) Error() string {
	return fmt.Sprintf("render %s (%s): field %s is required", e.Kind, e.Lang, e.Field)
}

// checkRequired returns a *MissingFieldError for the first required field of
// kind that d leaves empty.
func checkRequired(kind reporting.Event, lang messages.Lang, d Data) error {
	v := reflect.ValueOf(d)
	for _, required := range RequiredFields(kind) {
		empty := true
		for _, name := range strings.Split(required, "|") {
			f := v.FieldByName(name)
			if !f.IsValid() {
				return fmt.Errorf("render %s (%s): unknown required field %s", kind, lang, name)
			}
			empty = empty && isEmpty(f)
		}
		if empty {
			return &MissingFieldError{Kind: kind, Lang: lang, Field: required}
		}
	}
	return nil
}

func isEmpty(f reflect.Value) bool {
	if t, ok := f.Interface().(time.Time); ok {
		return t.IsZero()
	}
	switch f.Kind() {
	case reflect.String:
		return strings.TrimSpace(f.String()) == ""
	case reflect.Slice:
		return f.Len() == 0
	default:
		return f.IsZero()
	}
}
