package notifications

import (
	"fmt"
	"strings"
)

// Kind names one kind of message rcm sends. The values are stored in the
// notifications table (its CHECK constraint lists the same strings).
type Kind string

// The kinds of message, in the order they usually occur in a cycle.
const (
	// DeadlineNotice tells an agency's reporting officer that a cycle is open:
	// what to report, the data cut-off and the due date.
	DeadlineNotice Kind = "deadline_notice"
	// Reminder is one of the reminders before due to an agency that has not
	// submitted yet.
	Reminder Kind = "reminder"
	// Overdue tells an agency that its due date has passed without a submission.
	Overdue Kind = "overdue"
	// Escalation tells the head of an overdue agency, at one escalation step.
	Escalation Kind = "escalation"
	// EscalationDigest tells a supervisor which agencies of their subtree are
	// overdue at one escalation step.
	EscalationDigest Kind = "escalation_digest"
	// Receipt confirms that a submission was stored, with its receipt number.
	Receipt Kind = "receipt"
	// Returned tells an agency that a reviewer returned its submission, with the
	// reviewer's reason, and asks for a corrected version.
	Returned Kind = "returned"
	// Accepted tells an agency that its submission was accepted.
	Accepted Kind = "accepted"
	// ReviewWaiting tells a reviewer that a submission waits for review.
	ReviewWaiting Kind = "review_waiting"
	// ReviewOverdue tells a reviewer (or their head) that a review is late.
	ReviewOverdue Kind = "review_overdue"
	// CycleSummary gives supervisors the compliance figures of a closed cycle.
	CycleSummary Kind = "cycle_summary"
	// DeadlineExtended tells an agency that its due date was moved.
	DeadlineExtended Kind = "deadline_extended"
)

// Kinds returns every kind, in a fixed order.
func Kinds() []Kind {
	return []Kind{
		DeadlineNotice, Reminder, Overdue, Escalation, EscalationDigest,
		Receipt, Returned, Accepted, ReviewWaiting, ReviewOverdue,
		CycleSummary, DeadlineExtended,
	}
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, known := range Kinds() {
		if k == known {
			return true
		}
	}
	return false
}

// ParseKind returns the kind named by s (as stored, e.g. "deadline_notice";
// case and surrounding spaces are ignored, "-" may stand for "_").
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_"))
	if k.Valid() {
		return k, nil
	}
	return "", fmt.Errorf("unknown notification kind %q; valid kinds: %s", s, kindList())
}

func kindList() string {
	names := make([]string, 0, len(Kinds()))
	for _, k := range Kinds() {
		names = append(names, string(k))
	}
	return strings.Join(names, ", ")
}

// Lang is the language of a message.
type Lang string

// The languages rcm writes messages in. Vietnamese is the default.
const (
	Vietnamese Lang = "vi"
	English    Lang = "en"
)

// Langs returns the supported languages, the default first.
func Langs() []Lang { return []Lang{Vietnamese, English} }

// ParseLang returns the language named by s: "vi" or "en", case-insensitive,
// with an optional region ("vi-VN", "en_US"). The empty string means the
// default, Vietnamese.
func ParseLang(s string) (Lang, error) {
	base := strings.ToLower(strings.TrimSpace(s))
	if base == "" {
		return Vietnamese, nil
	}
	if i := strings.IndexAny(base, "-_"); i > 0 {
		base = base[:i]
	}
	switch Lang(base) {
	case Vietnamese:
		return Vietnamese, nil
	case English:
		return English, nil
	}
	return "", fmt.Errorf("unknown language %q; use vi or en", s)
}
