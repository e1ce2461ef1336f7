package messages

// mailTexts are the words of mail that notifications' templates do not
// hold: the message of a password reset and the words of deadlines.
var mailTexts = map[string]entry{
	// A deadline at midnight: the day that ends there.
	"mail.end_of_day": {"hết ngày %s", "end of %s"},
	// The password reset: its expiry, then the link.
	"mail.password_reset.subject": {"rcm: đặt mật khẩu mới", "rcm: set a new password"},
	"mail.password_reset.text": {"Cán bộ văn phòng đã đặt lại mật khẩu rcm của bạn.\n\n" +
		"Đặt mật khẩu mới tại liên kết sau, chỉ dùng được một lần, đến %s:\n\n%s\n\n" +
		"Nếu bạn không yêu cầu việc này, hãy báo cho cán bộ văn phòng.\n",
		"The office staff have reset your rcm password.\n\n" +
			"Set a new one at this link, which works once, until %s:\n\n%s\n\n" +
			"If you did not expect this, tell the office staff.\n"},
	// The scope of office staff's cycle summary: the whole tree.
	"mail.office_scope": {"Tất cả đơn vị báo cáo", "All reporting agencies"},
}
