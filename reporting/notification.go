package reporting

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// NotificationKey identifies a message: at most one per key is ever sent.
// Subject is the agency the message is about (or a supervisor's subtree root
// for digests and summaries, "*" for the office).
type NotificationKey struct {
	CycleID string
	Subject string
	// Kind is the event the message tells of (one of MessageEvents).
	Kind Event
	Step int
}

// MessageID is the stable RFC 5322 Message-ID of the message with this key,
// the same across retries so that a receiving system can tell a repeat.
func (k NotificationKey) MessageID(domain string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%s\x00%d", k.CycleID, k.Subject, k.Kind, k.Step)))
	return fmt.Sprintf("<rcm.%s@%s>", hex.EncodeToString(sum[:12]), domain)
}

// Notification is one message rcm sends, recorded before it is sent so that
// it is never sent twice.
type Notification struct {
	ID         int64
	Key        NotificationKey
	Recipients []string
	Language   string
	Status     NotificationStatus
	Attempts   int
	MessageID  string
	// LastError says why the last attempt failed, or why it was skipped.
	LastError string
	ClaimedAt time.Time
	SentAt    *time.Time
}

// NotificationStatus is where a message is on its way out.
type NotificationStatus string

// The notification statuses.
const (
	// NotificationClaimed: recorded, not (yet) sent.
	NotificationClaimed NotificationStatus = "claimed"
	// NotificationSending: being handed to the SMTP server.
	NotificationSending NotificationStatus = "sending"
	// NotificationSent: the SMTP server took it.
	NotificationSent NotificationStatus = "sent"
	// NotificationFailed: given up; LastError says why.
	NotificationFailed NotificationStatus = "failed"
	// NotificationSkipped: nobody to send it to; LastError says why.
	NotificationSkipped NotificationStatus = "skipped"
)

// notificationFrom is the life of a message: each status and the statuses
// it may follow. An attempt that fails for a temporary reason leaves the
// message claimed for the next; one that finds it left sending by an
// attempt that stopped records it failed (it may have gone out), and the
// attempt that did send it has the last word.
var notificationFrom = life[NotificationStatus]{
	NotificationClaimed: {NotificationClaimed, NotificationSending},
	NotificationSending: {NotificationClaimed},
	NotificationSent:    {NotificationClaimed, NotificationSending, NotificationFailed},
	NotificationFailed:  {NotificationClaimed, NotificationSending},
	NotificationSkipped: {NotificationClaimed},
}

// NotificationStatuses lists every notification status.
func NotificationStatuses() []NotificationStatus {
	return []NotificationStatus{NotificationClaimed, NotificationSending, NotificationSent, NotificationFailed, NotificationSkipped}
}

// IsValid reports whether s is one of the notification statuses.
func (s NotificationStatus) IsValid() bool { return notificationFrom.valid(s) }

// From returns the statuses a message may be in to become s.
func (s NotificationStatus) From() []NotificationStatus { return notificationFrom.from(s) }

// Follows reports whether a message in status prev may become s.
func (s NotificationStatus) Follows(prev NotificationStatus) bool {
	return notificationFrom.follows(s, prev)
}
