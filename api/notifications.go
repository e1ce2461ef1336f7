package api

import "time"

// Notification is one message rcm sent or tried to send (GET
// /api/v1/notifications). Status is claimed, sent, failed or skipped.
type Notification struct {
	ID         int64      `json:"id"`
	Cycle      string     `json:"cycle"`
	Subject    string     `json:"subject"`
	Kind       string     `json:"kind"`
	Step       int        `json:"step"`
	Recipients []string   `json:"recipients"`
	Language   string     `json:"language"`
	Status     string     `json:"status"`
	Attempts   int        `json:"attempts"`
	MessageID  string     `json:"message_id"`
	LastError  string     `json:"last_error,omitempty"`
	ClaimedAt  time.Time  `json:"claimed_at"`
	SentAt     *time.Time `json:"sent_at,omitempty"`
}
