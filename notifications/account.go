package notifications

import (
	"fmt"
	"time"
)

// PasswordResetEnvelope is the message that carries a one-time link to set
// a new password, in the user's language, the link's expiry shown in loc
// (Asia/Ho_Chi_Minh for rcm).
func PasswordResetEnvelope(lang Lang, to, link string, expires time.Time, loc *time.Location) Envelope {
	when := expires.In(loc).Format(dateTimeLayout)
	e := Envelope{To: []string{to}, Date: time.Now(),
		MessageID: fmt.Sprintf("password-reset.%d", time.Now().UnixNano())}
	if lang == English {
		e.Subject = "rcm: set a new password"
		e.Text = fmt.Sprintf("The office staff have reset your rcm password.\n\n"+
			"Set a new one at this link, which works once, until %s:\n\n%s\n\n"+
			"If you did not expect this, tell the office staff.\n", when, link)
		return e
	}
	e.Subject = "rcm: đặt mật khẩu mới"
	e.Text = fmt.Sprintf("Cán bộ văn phòng đã đặt lại mật khẩu rcm của bạn.\n\n"+
		"Đặt mật khẩu mới tại liên kết sau, chỉ dùng được một lần, đến %s:\n\n%s\n\n"+
		"Nếu bạn không yêu cầu việc này, hãy báo cho cán bộ văn phòng.\n", when, link)
	return e
}
