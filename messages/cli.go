package messages

// Both writes the text of key in both languages, Vietnamese first, as the
// command line speaks to people: "khớp / match".
func Both(key string, args ...any) string {
	return Text(Vietnamese, key, args...) + " / " + Text(English, key, args...)
}

// cliTexts are the words of the command line, which says each in both
// languages (Both).
var cliTexts = map[string]entry{
	"cli.received":             {"Đã nhận báo cáo", "report received"},
	"cli.received_earlier":     {"Đã nhận trước đó", "received earlier (same idempotency key)"},
	"cli.figures_are_estimate": {"số liệu ước tính", "figures are estimates"},
	"cli.figures_actual":       {"thực hiện", "actual"},
	"cli.figures_estimate":     {"ước tính", "estimate"},
	"cli.match":                {"khớp", "match"},
	"cli.no_match":             {"KHÔNG khớp", "does NOT match"},
	"cli.final_figures":        {"số liệu chính thức (kỳ đã đóng)", "final figures"},
	"cli.provisional_figures":  {"số liệu tạm tính (kỳ chưa đóng)", "provisional figures, the cycle is still open"},
	"cli.schedule_active":      {"đang chạy", "active"},
	"cli.schedule_paused":      {"tạm dừng", "paused"},
	"cli.all_agencies":         {"tất cả", "all"},
	"cli.deadline_notice":      {"Thông báo hạn nộp", "deadline notice"},
	"cli.status":               {"trạng thái", "status"},
	"cli.agencies":             {"đơn vị", "agencies"},
	"cli.sending_agencies":     {"gửi danh sách cơ quan", "sending agencies"},
	"cli.database_up_to_date":  {"Cơ sở dữ liệu đã cập nhật.", "The database is up to date."},
	"cli.password_changed":     {"Đã đổi mật khẩu; các phiên khác đã kết thúc.", "Password changed; your other sessions ended."},
	"cli.deadline_notice_done": {"Đã gửi thông báo hạn nộp", "deadline notice done"},
	"cli.audit_whole":          {"Nhật ký kiểm toán nguyên vẹn", "the audit log is whole"},
	"cli.never_expires":        {"không hết hạn", "never expires"},
	"cli.expires":              {"hết hạn", "expires"},
	"cli.token_shown_once":     {"Lưu lại ngay: token chỉ hiện một lần.", "Save it now: it is not shown again."},
	"cli.use":                  {"Dùng", "use"},
	"cli.revoke":               {"thu hồi", "revoke"},
	"cli.saved":                {"Đã lưu", "saved"},
}
