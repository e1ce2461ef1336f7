package api

import "time"

// ChangePassword changes the caller's own password (PUT /api/v1/me/password).
type ChangePassword struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// PasswordResetSent answers a staff reset of a password
// (POST /api/v1/users/{id}/password-reset): the link went by mail and works
// once until ExpiresAt.
type PasswordResetSent struct {
	Email     string    `json:"email"`
	ExpiresAt time.Time `json:"expires_at"`
}

// UsePasswordReset sets a new password with the secret of a reset link
// (POST /api/v1/password-reset).
type UsePasswordReset struct {
	Token       string `json:"token"`
	NewPassword string `json:"new_password"`
}

// UserSession is an open web session of a user, without its secret
// (GET /api/v1/users/{id}/sessions).
type UserSession struct {
	ID         int64     `json:"id"`
	UserID     int64     `json:"user_id"`
	CreatedAt  time.Time `json:"created_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	RemoteAddr string    `json:"remote_addr,omitempty"`
}

// SessionsEnded says how many sessions ended (DELETE /api/v1/users/{id}/sessions).
type SessionsEnded struct {
	Ended int64 `json:"ended"`
}

// AuditRecord is one row of the audit log (GET /api/v1/audit), with its
// place in its stream's chain: PrevHash and Hash in hex.
type AuditRecord struct {
	ID         int64          `json:"id"`
	At         time.Time      `json:"at"`
	ActorID    *int64         `json:"actor_id,omitempty"`
	Actor      string         `json:"actor"`
	Action     string         `json:"action"`
	Object     string         `json:"object"`
	RemoteAddr string         `json:"remote_addr,omitempty"`
	Details    map[string]any `json:"details"`
	Stream     string         `json:"stream"`
	PrevHash   string         `json:"prev_hash,omitempty"`
	Hash       string         `json:"hash"`
}

// AuditVerification is what checking the audit log's chains found
// (GET /api/v1/audit/verify): whole, or the first bad record of each
// broken stream.
type AuditVerification struct {
	Whole   bool         `json:"whole"`
	Streams int          `json:"streams"`
	Records int          `json:"records"`
	Breaks  []AuditBreak `json:"breaks"`
}

// AuditBreak is the first record of a stream whose chain does not hold;
// ID 0 when records at the stream's end were removed.
type AuditBreak struct {
	Stream string `json:"stream"`
	ID     int64  `json:"id,omitempty"`
	Reason string `json:"reason"`
}
