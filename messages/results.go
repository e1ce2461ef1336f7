package messages

// resultTexts are the words of the result spreadsheets and the pages'
// charts and tables of results that are not in pageTexts.
var resultTexts = map[string]entry{
	"result.compliance":             {"Tuân thủ", "Compliance"},
	"result.aggregates":             {"Tổng hợp", "Aggregates"},
	"result.final":                  {"Số liệu chính thức (kỳ đã đóng)", "Final figures (cycle closed)"},
	"result.live":                   {"Số liệu tạm thời (kỳ chưa đóng)", "Provisional figures (cycle still open)"},
	"result.agency":                 {"Mã đơn vị", "Agency"},
	"result.name":                   {"Tên đơn vị", "Name"},
	"result.expected":               {"Phải báo cáo", "Expected"},
	"result.submitted":              {"Đã gửi", "Submitted"},
	"result.on_time":                {"Đúng hạn", "On time"},
	"result.late":                   {"Trễ hạn", "Late"},
	"result.missing":                {"Thiếu", "Missing"},
	"result.not_accepted":           {"Không được chấp nhận", "Not accepted"},
	"result.rate":                   {"Tỷ lệ báo cáo (%)", "Reporting rate (%)"},
	"result.on_time_rate":           {"Tỷ lệ đúng hạn (%)", "On-time rate (%)"},
	"result.indicator":              {"Mã chỉ tiêu", "Indicator"},
	"result.indicator_name":         {"Tên chỉ tiêu", "Indicator name"},
	"result.unit":                   {"Đơn vị tính", "Unit"},
	"result.value":                  {"Giá trị", "Value"},
	"result.contributors":           {"Số đơn vị đóng góp", "Contributors"},
	"result.not_reviewed":           {"Đã nộp, chưa được xem xét", "Submitted, not reviewed"},
	"result.nil_report":             {"Không có số liệu để báo cáo", "Nothing to report"},
	"result.not_yet_due":            {"Chưa đến hạn", "Not yet due"},
	"result.awaiting_review":        {"Chờ xem xét", "Awaiting review"},
	"result.returned":               {"Bị trả lại, chờ nộp lại", "Returned, awaiting resubmission"},
	"result.overdue":                {"Quá hạn", "Overdue"},
	"result.accepted":               {"Đã chấp nhận", "Accepted"},
	"result.backlog":                {"Tồn đọng xem xét", "Review backlog"},
	"result.on_time_rate_so_far":    {"Tỷ lệ đúng hạn trên số đã nộp (%)", "On-time rate of those submitted (%)"},
	"result.submitted_on_time_rate": {"Tỷ lệ gửi đúng hạn, DHIS2 (%)", "Submitted on time, DHIS2 (%)"},
	"result.versions_before":        {"Số lần nộp trước khi được chấp nhận", "Versions before acceptance"},
	"result.method":                 {"Cách tổng hợp", "Roll-up"},
	"result.expected_agencies":      {"Số đơn vị phải báo cáo", "Agencies expected"},

	"result.period_title": {"Báo cáo %s", "Report for %s"},
	"result.late_by_days": {"trễ %d ngày", "late by %d d"},
	// A figure far from the previous period's: the figure, the factor, the
	// previous figure, the previous period.
	"result.jump_larger": {"%[1]s lớn hơn %[2]s lần số liệu kỳ %[4]s đã được chấp nhận (%[3]s); kiểm tra lại",
		"%[1]s is more than %[2]s times the %[3]s accepted for %[4]s; check it"},
	"result.jump_smaller": {"%[1]s nhỏ hơn %[2]s lần số liệu kỳ %[4]s đã được chấp nhận (%[3]s); kiểm tra lại",
		"%[1]s is less than a %[2]s-th of the %[3]s accepted for %[4]s; check it"},
}
