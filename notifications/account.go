package notifications

import (
	"fmt"
	"time"

	"rcm/messages"
)

// PasswordResetEnvelope is the message that carries a one-time link to set
// a new password, in the user's language, the link's expiry shown in loc
// (Asia/Ho_Chi_Minh for rcm).
func PasswordResetEnvelope(lang messages.Lang, to, link string, expires time.Time, loc *time.Location) Envelope {
	when := expires.In(loc).Format(messages.DateTimeLayout)
	return Envelope{To: []string{to}, Date: time.Now(),
		MessageID: fmt.Sprintf("password-reset.%d", time.Now().UnixNano()),
		Subject:   messages.Text(lang, "mail.password_reset.subject"),
		Text:      messages.Text(lang, "mail.password_reset.text", when, link)}
}
