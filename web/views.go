package web

import (
	"bytes"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"rcm/access"
	"rcm/reporting"
)

// The pages' templates: one layout, one content template per page.
//
//go:embed views/*.html
var viewFiles embed.FS

// views are the parsed page templates, by page name.
type views struct {
	pages map[string]*template.Template
}

// pageNames are the pages, each views/<name>.html defining "content".
var pageNames = []string{"signin", "error", "home", "agency", "dashboard", "review", "reset", "account", "audit", "launch"}

// mustParseViews parses the embedded templates; they are part of the binary,
// so a template that does not parse is a bug the tests catch.
func mustParseViews() *views {
	funcs := template.FuncMap{
		"t":           translate,
		"status":      func(lang string, status any) string { return StatusName(lang, fmt.Sprint(status)) },
		"name":        localName,
		"link":        langLink,
		"when":        FormatTime,
		"hex":         func(b []byte) string { return hex.EncodeToString(b) },
		"day":         func(d reporting.Date) string { return d.Format("vi") },
		"pct":         percentText,
		"figure":      figure,
		"treeRow":     treeRow,
		"exp":         func(lang, link string) exportRef { return exportRef{Lang: lang, Link: link} },
		"depth":       func(path string) int { return strings.Count(path, "/") - 1 },
		"period":      periodShort,
		"otherLang":   otherLangLink,
		"periodTitle": periodTitle,
		"event":       EventName,
		"source":      sourceName,
		"minus":       func(a, b int) int { return a - b },
		"launchInput": newLaunchInput,
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, name := range pageNames {
		v.pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(viewFiles, "views/layout.html", "views/parts.html", "views/"+name+".html"))
	}
	return v
}

// FormatTime writes an instant as pages show it: reporting.FormatInstant.
func FormatTime(t time.Time) string { return reporting.FormatInstant(t) }

// exportRef is what the "exports" template needs: the page's language and
// the link to a table's export without its format.
type exportRef struct {
	Lang string
	Link string
}

// pageBase is what every page shows: who is signed in, in which language.
type pageBase struct {
	Lang  string
	Title string
	User  access.Principal
	// Self is the page's own address when switching language should keep
	// it (the dashboard's drill-down and paging); "" switches on the same
	// path.
	Self string
}

// render writes the page name with data, whose pageBase the caller filled.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) error {
	var buf bytes.Buffer
	if err := s.views.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render page %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// pageLang is the language of the pages: ?lang=, else the caller's own,
// else Vietnamese.
func pageLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "vi" || l == "en" {
		return l
	}
	if p, ok := PrincipalFrom(r.Context()); ok && p.Language == "en" {
		return "en"
	}
	return "vi"
}

// otherLangLink is the page at self in the other language than lang,
// keeping the rest of its query (the node looked at, the page of a list).
func otherLangLink(self, lang string) string {
	other := "en"
	if lang == "en" {
		other = "vi"
	}
	u, err := url.Parse(self)
	if self == "" || err != nil {
		return "?lang=" + other
	}
	q := u.Query()
	q.Set("lang", other)
	return u.Path + "?" + q.Encode()
}

// langLink keeps English on the links of an English page.
func langLink(lang, path string) string {
	if lang != "en" {
		return path
	}
	if strings.Contains(path, "?") {
		return path + "&lang=en"
	}
	return path + "?lang=en"
}

// statusNames are the names people read for the statuses of obligations
// and cycles; review decisions (accepted, returned) share the obligation's.
var statusNames = map[string][2]string{
	// Obligations while the cycle runs.
	string(reporting.ObligationPending):     {"chưa nộp", "not submitted"},
	string(reporting.ObligationNotified):    {"đã thông báo", "notified"},
	string(reporting.ObligationSubmitted):   {"đã nộp", "submitted"},
	string(reporting.ObligationUnderReview): {"đang xem xét", "under review"},
	string(reporting.ObligationReturned):    {"bị trả lại", "returned"},
	string(reporting.ObligationAccepted):    {"đã chấp nhận", "accepted"},
	string(reporting.ObligationOverdue):     {"quá hạn", "overdue"},
	// Final states.
	string(reporting.ObligationOnTime):      {"đúng hạn", "on time"},
	string(reporting.ObligationLate):        {"trễ hạn", "late"},
	string(reporting.ObligationMissing):     {"thiếu", "missing"},
	string(reporting.ObligationNotAccepted): {"không được chấp nhận", "not accepted"},
	string(reporting.ObligationNotReviewed): {"đã nộp, chưa được xem xét", "submitted, not reviewed"},
	string(reporting.ObligationNilReport):   {"không có số liệu để báo cáo", "nothing to report"},
	// Live states that are not obligation statuses.
	string(reporting.LiveNotYetDue):      {"chưa đến hạn", "not yet due"},
	string(reporting.LiveAwaitingReview): {"chờ xem xét", "awaiting review"},
	// Cycles.
	string(reporting.CycleLaunching): {"đang khởi tạo", "launching"},
	string(reporting.CycleOpen):      {"đang mở", "open"},
	string(reporting.CycleClosing):   {"đang đóng", "closing"},
	string(reporting.CycleClosed):    {"đã đóng", "closed"},
	string(reporting.CycleCancelled): {"đã hủy", "cancelled"},
}

// StatusName is the name people read for an obligation, cycle or review
// status code ("late" → "trễ hạn" in Vietnamese, "late" in English); an
// unknown code is returned as it is.
func StatusName(lang, status string) string {
	names, ok := statusNames[status]
	if !ok {
		return status
	}
	if lang == "en" {
		return names[1]
	}
	return names[0]
}

// uiText holds the words of the pages: key → {Vietnamese, English}.
var uiText = map[string][2]string{
	"app":         {"Quản lý kỳ báo cáo", "Reporting-cycle manager"},
	"signin":      {"Đăng nhập", "Sign in"},
	"signout":     {"Đăng xuất", "Sign out"},
	"email":       {"Địa chỉ e-mail", "E-mail address"},
	"password":    {"Mật khẩu", "Password"},
	"signin_help": {"Quên mật khẩu? Liên hệ văn phòng: họ sẽ gửi cho bạn một liên kết để đặt mật khẩu mới.", "Forgot your password? Ask the office: they will mail you a link to set a new one."},

	"back_home":                  {"Về trang chính", "Back to the start page"},
	"cycles":                     {"Các kỳ báo cáo", "Reporting cycles"},
	"cycle":                      {"Kỳ báo cáo", "Cycle"},
	"no_cycles":                  {"Chưa có kỳ báo cáo nào.", "No reporting cycle yet."},
	"status":                     {"Trạng thái", "Status"},
	"period":                     {"Kỳ số liệu", "Period"},
	"cut_off":                    {"Chốt số liệu", "Data cut-off"},
	"due":                        {"Hạn nộp", "Due"},
	"close":                      {"Khóa sổ", "Close"},
	"deadlines":                  {"Thời hạn", "Deadlines"},
	"overdue":                    {"đã quá hạn", "overdue"},
	"submit_report":              {"Nộp báo cáo", "Submit the report"},
	"indicator":                  {"Mã chỉ tiêu", "Indicator"},
	"name":                       {"Tên", "Name"},
	"unit":                       {"Đơn vị tính", "Unit"},
	"value":                      {"Giá trị", "Value"},
	"narrative":                  {"Thuyết minh", "Narrative"},
	"or_file":                    {"Hoặc đính kèm tệp (CSV hoặc XLSX theo biểu mẫu)", "Or attach a file (the template as CSV or XLSX)"},
	"file_help":                  {"Nếu có tệp, hệ thống dùng số liệu trong tệp. Tải biểu mẫu:", "If a file is attached, its figures are used. Download the template:"},
	"send":                       {"Gửi báo cáo", "Send the report"},
	"received":                   {"Đã nhận báo cáo.", "Report received."},
	"not_received":               {"Báo cáo chưa được nhận. Sửa các mục dưới đây rồi gửi lại:", "The report was not received. Correct the following and send it again:"},
	"receipt":                    {"Số biên nhận", "Receipt"},
	"content_hash":               {"Mã băm nội dung (SHA-256)", "Content hash (SHA-256)"},
	"version":                    {"Lần nộp", "Version"},
	"versions":                   {"Số lần nộp", "Versions"},
	"history":                    {"Các lần nộp", "Versions submitted"},
	"no_versions":                {"Chưa nộp lần nào.", "Nothing submitted yet."},
	"submitted_at":               {"Thời điểm nộp", "Submitted"},
	"by":                         {"Người nộp", "By"},
	"outcome":                    {"Kết quả xem xét", "Review"},
	"reason":                     {"Lý do", "Reason"},
	"waiting_review":             {"chờ xem xét", "waiting for review"},
	"nil_report_title":           {"Không có số liệu để báo cáo", "Nothing to report"},
	"nil_report_help":            {"Kỳ này đơn vị không phát sinh số liệu: báo cáo được tính là đã nộp (không có số liệu).", "Your agency has no figures this period: the report counts as submitted (nil report)."},
	"nil_report_send":            {"Báo cáo không có số liệu", "Declare nothing to report"},
	"nil_report_done":            {"Đơn vị đã báo cáo không có số liệu để báo cáo.", "The agency declared it has nothing to report."},
	"extension_title":            {"Đề nghị gia hạn", "Ask for an extension"},
	"extension_due":              {"Hạn đề nghị (yyyy-mm-dd)", "Due date asked for (yyyy-mm-dd)"},
	"extension_send":             {"Gửi đề nghị", "Send the request"},
	"reopen_title":               {"Mở lại báo cáo đã chấp nhận", "Reopen the accepted report"},
	"reopen_send":                {"Mở lại", "Reopen"},
	"actions":                    {"Mở lại, báo cáo không có số liệu và đề nghị gia hạn", "Reopens, nil reports and extension requests"},
	"grant":                      {"Đồng ý", "Grant"},
	"refuse":                     {"Từ chối", "Refuse"},
	"grant_due":                  {"Hạn cho phép (để trống: theo đề nghị)", "Due date granted (empty: as asked)"},
	"action_refused":             {"Không thực hiện được:", "Not done:"},
	"kind_reopen":                {"mở lại", "reopen"},
	"kind_nil_report":            {"không có số liệu", "nil report"},
	"kind_extension_request":     {"đề nghị gia hạn", "extension request"},
	"action_done":                {"đã thực hiện", "done"},
	"action_pending":             {"chờ trả lời", "pending"},
	"action_granted":             {"đã đồng ý", "granted"},
	"action_refused_state":       {"bị từ chối", "refused"},
	"compliance":                 {"Tình hình nộp báo cáo", "Compliance"},
	"final":                      {"chính thức", "final"},
	"provisional":                {"tạm tính, kỳ chưa đóng", "provisional, the cycle is still open"},
	"agency":                     {"Đơn vị", "Agency"},
	"agencies":                   {"Các đơn vị", "Agencies"},
	"expected":                   {"Phải nộp", "Expected"},
	"submitted":                  {"Đã nộp", "Submitted"},
	"reporting_rate":             {"Tỷ lệ nộp", "Reporting rate"},
	"on_time_rate":               {"Tỷ lệ đúng hạn", "On-time rate"},
	"aggregates":                 {"Số liệu tổng hợp", "Aggregates"},
	"no_aggregates":              {"Chưa có số liệu được chấp nhận.", "No accepted figures yet."},
	"contributors":               {"Số đơn vị", "Contributors"},
	"coverage":                   {"Số đơn vị / phải nộp", "Contributors / expected"},
	"on_time_rate_so_far":        {"Tỷ lệ đúng hạn (trên số đã nộp)", "On-time rate (of those submitted)"},
	"submitted_on_time_rate":     {"Tỷ lệ gửi đúng hạn (DHIS2)", "Submitted on time (DHIS2)"},
	"versions_before_acceptance": {"Số lần nộp trước khi được chấp nhận", "Versions before acceptance"},
	"rates_final_note": {"Tỷ lệ đúng hạn: số báo cáo đúng hạn theo quy tắc của chế độ báo cáo (kể cả báo cáo nộp đúng hạn chưa được xem xét) trên số phải nộp. Tỷ lệ gửi đúng hạn (DHIS2): số đơn vị gửi phiên bản đầu tiên trước hạn, bất kể kết quả xem xét, trên số phải nộp.",
		"On-time rate: reports on time by the regime's rule (including ones submitted on time and never reviewed) of those expected. Submitted on time (DHIS2): agencies whose first version came before due, whatever its review, of those expected."},
	"rates_live_note": {"Kỳ chưa đóng: chưa có đơn vị nào bị tính là thiếu hay không được chấp nhận. Tỷ lệ đúng hạn tính trên số đã nộp đến nay; tỷ lệ gửi đúng hạn (DHIS2) trên số phải nộp.",
		"The cycle is open: nobody counts as missing or not accepted yet. The on-time rate is over those submitted so far; submitted on time (DHIS2) over those expected."},
	"review_queue":       {"Báo cáo chờ xem xét", "Waiting for review"},
	"review":             {"Xem xét", "Review"},
	"not_latest":         {"không phải lần nộp mới nhất", "not the latest version"},
	"reason_help":        {"(bắt buộc khi trả lại; đơn vị sẽ nhận được)", "(required to return it; the agency is told)"},
	"accept":             {"Chấp nhận", "Accept"},
	"return":             {"Trả lại", "Return"},
	"error":              {"Không thực hiện được", "This did not work"},
	"close_means":        {"(khóa sổ: sau thời điểm này không nhận báo cáo nữa; báo cáo chưa nộp bị tính là thiếu)", "(close: after it no report is taken and those not sent count as missing)"},
	"charts":             {"Biểu đồ", "Charts"},
	"chart_children":     {"Tỷ lệ nộp và tỷ lệ đúng hạn theo đơn vị trực thuộc", "Reporting and on-time rates per agency below"},
	"chart_status":       {"Tình trạng các báo cáo", "Reports by state"},
	"chart_history":      {"Tỷ lệ nộp và đúng hạn qua 12 kỳ gần nhất", "Reporting and on-time rates over the last 12 periods"},
	"matrix":             {"Tình hình nộp theo kỳ (12 kỳ gần nhất)", "Compliance by period (last 12 periods)"},
	"chronic":            {"Đơn vị trễ hạn ở mọi kỳ đã khóa sổ", "Late in every closed period"},
	"no_chronic":         {"Không có đơn vị nào trễ hạn ở mọi kỳ.", "No agency was late in every period."},
	"extended":           {"gia hạn", "extended"},
	"next_page":          {"Trang sau", "Next page"},
	"export":             {"Tải về", "Download"},
	"indicator_name":     {"Chỉ tiêu", "Indicator"},
	"agency_code":        {"Mã đơn vị", "Agency code"},
	"export_compliance":  {"Tuân thủ", "Compliance"},
	"export_history":     {"Theo kỳ", "By period"},
	"export_matrix":      {"Ma trận", "Matrix"},
	"export_aggregates":  {"Tổng hợp", "Aggregates"},
	"export_obligations": {"Đơn vị", "Agencies"},
	"figures":            {"Số liệu", "Figures"},
	"estimate":           {"ước tính", "estimate"},
	"estimates_note":     {"hạn nộp trước thời điểm chốt số liệu; số liệu của thời gian còn lại trong kỳ là số liệu ước tính", "the report is due before the data cut-off; give estimates for the rest of the period"},

	"owed":        {"Báo cáo còn phải nộp", "Reports still owed"},
	"report":      {"Báo cáo", "Report"},
	"queue_empty": {"Không có báo cáo nào chờ xem xét.", "No report is waiting for review."},

	"file_field":     {"Tệp đính kèm", "Attached file"},
	"decision_field": {"Quyết định", "Decision"},
	"form_key":       {"Mã biểu mẫu", "Form key"},
	"returned_title": {"Báo cáo đã bị trả lại", "The report was returned"},
	"returned_help":  {"Sửa số liệu theo lý do trên rồi nộp lại trước hạn nộp; báo cáo bị trả lại vẫn được nhắc như báo cáo chưa nộp.", "Correct the figures as the reason says and send the report again before due; a returned report is chased like one not sent."},
	"compare_title":  {"So sánh hai lần nộp", "Two versions compared"},
	"compare_from":   {"Từ lần nộp", "From version"},
	"compare_to":     {"Đến lần nộp", "To version"},
	"compare":        {"So sánh", "Compare"},
	"all_versions":   {"mọi lần nộp và so sánh", "every version, compared"},
	"changes":        {"Số chỉ tiêu đã sửa", "Figures changed"},
	"source_form":    {"biểu mẫu trên trang", "web form"},
	"source_json":    {"API (JSON)", "API (JSON)"},
	"source_cli":     {"dòng lệnh rcm", "rcm command line"},
	"source_csv":     {"tệp CSV", "CSV file"},
	"source_xlsx":    {"tệp XLSX", "XLSX file"},

	"agencies_below": {"Các đơn vị trực thuộc", "Agencies below"},
	"close_now":      {"Khóa sổ ngay", "Close now"},
	"close_now_help": {"Khóa sổ kỳ báo cáo ngay bây giờ thay vì theo lịch: báo cáo chưa nộp bị tính là thiếu, báo cáo bị trả lại chưa nộp lại bị tính là không được chấp nhận. Nêu lý do; lý do được ghi vào nhật ký.",
		"Close the cycle now instead of on schedule: reports not sent count as missing, returned ones not sent again as not accepted. Say why; the reason is logged."},
	"launch_link":  {"Phát hành kỳ báo cáo mới", "Launch a new cycle"},
	"launch_title": {"Phát hành kỳ báo cáo", "Launch a reporting cycle"},
	"launch_help": {"Chọn chế độ báo cáo và kỳ số liệu rồi bấm “Xem trước”: hệ thống liệt kê mọi thông báo, lời nhắc và báo cáo cấp trên sẽ gửi, kèm thời điểm và số người nhận. Kỳ báo cáo chỉ được phát hành khi bấm “Phát hành”. Để trống các mục tùy chọn để dùng quy định của chế độ báo cáo.",
		"Choose the regime and the period, then press “Preview”: every notice, reminder and escalation is listed with its time and recipients. The cycle is launched only when you press “Launch”. Leave the optional fields empty to keep the regime's rules."},
	"launch_regime":      {"Chế độ báo cáo", "Regime"},
	"launch_regime_help": {"Chọn một chế độ báo cáo trong danh sách.", "Choose a regime from the list."},
	"launch_period":      {"Kỳ số liệu", "Period"},
	"launch_period_help": {"Theo chu kỳ của chế độ: 2026-10 (tháng), 2026-Q1 (quý), 2026-H1 (6 tháng), 2026-9M (9 tháng), 2026 (năm).",
		"In the regime's cadence: 2026-10 (month), 2026-Q1 (quarter), 2026-H1 (half year), 2026-9M (nine months), 2026 (year)."},
	"launch_due": {"Hạn nộp (tùy chọn)", "Due (optional)"},
	"launch_due_help": {"Để trống: theo quy tắc của chế độ. Hoặc một ngày yyyy-mm-dd (hết ngày đó, giờ Việt Nam), sau thời điểm chốt số liệu và trong tương lai; hoặc +5m (5 phút kể từ lúc phát hành, để chạy thử).",
		"Empty: the regime's rule. Or a date yyyy-mm-dd (the end of that day, Vietnam time), after the data cut-off and in the future; or +5m (five minutes from the launch, for a trial run)."},
	"launch_reminders":      {"Nhắc trước hạn (tùy chọn)", "Reminders before due (optional)"},
	"launch_reminders_help": {"Cách nhau bằng dấu phẩy, ví dụ 3d,1d (3 ngày và 1 ngày trước hạn).", "Comma-separated, such as 3d,1d (3 days and 1 day before due)."},
	"launch_escalations":    {"Báo cáo cấp trên sau hạn (tùy chọn)", "Escalations after due (optional)"},
	"launch_escalations_help": {"SAU:NGƯỜI NHẬN, cách nhau bằng dấu phẩy; người nhận là officer (cán bộ báo cáo), head (thủ trưởng), supervisor (cấp giám sát) nối bằng +, ví dụ 1d:officer+head,3d:supervisor.",
		"AFTER:RECIPIENTS, comma-separated; recipients are officer, head, supervisor joined with +, such as 1d:officer+head,3d:supervisor."},
	"launch_review_time":      {"Thời gian xem xét (tùy chọn)", "Review time (optional)"},
	"launch_review_time_help": {"Ví dụ 3d; 0s là không giới hạn.", "Such as 3d; 0s for no limit."},
	"launch_close_after":      {"Khóa sổ sau hạn (tùy chọn)", "Close after due (optional)"},
	"launch_close_after_help": {"Ví dụ 10d: khóa sổ 10 ngày sau hạn nộp, sau bước báo cáo cấp trên cuối cùng.", "Such as 10d: close 10 days after due, after the last escalation."},
	"launch_policy_help": {"Lịch nhắc và báo cáo cấp trên không hợp lệ: các lời nhắc phải trước hạn và không trùng nhau, các bước báo cáo cấp trên theo thứ tự thời gian và trước thời điểm khóa sổ.",
		"The reminders and escalations do not fit: reminders come before due and differ, escalation steps come in order and before close."},
	"launch_preview":        {"Xem trước", "Preview"},
	"launch_send":           {"Phát hành kỳ báo cáo", "Launch the cycle"},
	"launch_refused":        {"Chưa xem trước hoặc phát hành được. Sửa các mục dưới đây:", "Not previewed or launched. Correct the following:"},
	"send_time":             {"Giờ gửi thư", "Send time"},
	"no_officer_address":    {"Đơn vị chưa có địa chỉ e-mail của cán bộ báo cáo (sẽ không nhận được thông báo)", "Agencies without their officer's e-mail address (they will get no notice)"},
	"no_head_address":       {"Số đơn vị chưa có địa chỉ e-mail của thủ trưởng", "Agencies without their head's e-mail address"},
	"off_hours_note":        {"Số lần gửi ngoài giờ hành chính hoặc vào ngày nghỉ", "Sends outside office hours or on a day off"},
	"send_kind":             {"Loại", "Kind"},
	"recipients":            {"Người nhận", "Recipients"},
	"people":                {"Số người nhận (tối đa)", "People (at most)"},
	"no_address":            {"Thiếu địa chỉ", "No address"},
	"office_hours":          {"Giờ gửi", "Office hours"},
	"staff_and_supervisors": {"văn phòng và cấp giám sát", "office staff and supervisors"},

	"account":          {"Tài khoản", "Account"},
	"change_password":  {"Đổi mật khẩu", "Change the password"},
	"current_password": {"Mật khẩu hiện tại", "Current password"},
	"new_password":     {"Mật khẩu mới", "New password"},
	"confirm_password": {"Nhập lại mật khẩu mới", "New password again"},
	"set_password":     {"Đặt mật khẩu", "Set the password"},
	"passwords_differ": {"hai mật khẩu không giống nhau", "the two passwords differ"},
	"password_set":     {"Đã đặt mật khẩu mới. Hãy đăng nhập lại.", "The new password is set. Sign in again."},
	"password_changed": {"Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc.", "The password is changed; your other sessions ended."},
	"reset_help":       {"Liên kết chỉ dùng được một lần và có thời hạn; hết hạn thì đề nghị văn phòng gửi lại.", "The link works once and expires; if it has, ask the office for a new one."},
	"sessions":         {"Các phiên đăng nhập", "Sessions"},
	"sessions_help":    {"Đổi mật khẩu sẽ kết thúc các phiên khác. Văn phòng có thể kết thúc mọi phiên của bạn.", "Changing the password ends the other sessions. Office staff can end all of them."},
	"no_sessions":      {"Không có phiên nào.", "No session."},
	"opened":           {"Bắt đầu", "Opened"},
	"expires":          {"Hết hạn", "Expires"},
	"from":             {"Địa chỉ", "From"},
	"audit_log":        {"Nhật ký kiểm toán", "Audit log"},
	"audit_verify":     {"kiểm tra chuỗi", "verify the chain"},
	"audit_whole":      {"Chuỗi nhật ký nguyên vẹn: bản ghi / luồng", "The chain is whole: records / streams"},
	"audit_broken":     {"Chuỗi nhật ký bị phá vỡ; bản ghi sai đầu tiên của mỗi luồng:", "The chain is broken; the first bad record of each stream:"},
	"actor":            {"Người thực hiện", "Actor"},
	"action":           {"Thao tác", "Action"},
	"object":           {"Đối tượng", "Object"},
	"stream":           {"Luồng", "Stream"},
	"since":            {"Từ ngày", "From day"},
	"until":            {"Đến ngày", "To day"},
	"at":               {"Thời điểm", "At"},
	"filter":           {"Lọc", "Filter"},
	"no_records":       {"Không có bản ghi nào.", "No record."},
	"number_help": {"Viết số theo cách Việt Nam: dấu chấm ngăn cách hàng nghìn, dấu phẩy trước phần thập phân (12.000 là mười hai nghìn; 8,2 là tám phẩy hai).",
		"Write figures the English way: a comma between thousands, a point before decimals (12,000 is twelve thousand; 8.2 is eight point two)."},
	"checks_title": {"Kiểm tra lại trước khi gửi: các số liệu sau khác nhiều so với kỳ trước", "Check before sending: these figures are far from the previous period's"},
	"checks_help": {"Báo cáo chưa được gửi. Nếu số liệu đúng, bấm “Xác nhận và gửi”; nếu sai, sửa rồi bấm “Kiểm tra lại”.",
		"The report is not sent yet. If the figures are right, press “Confirm and send”; if not, correct them and press “Check again”."},
	"checks_file": {"Các số liệu trong ô dưới đây được đọc từ tệp đính kèm; bấm “Xác nhận và gửi” để gửi chúng, không cần đính kèm lại tệp.",
		"The figures in the inputs below were read from the attached file; press “Confirm and send” to send them, without attaching the file again."},
	"confirm_send":          {"Xác nhận và gửi", "Confirm and send"},
	"check_again":           {"Kiểm tra lại", "Check again"},
	"previous_period":       {"Kỳ trước", "Previous period"},
	"previous_version":      {"Lần nộp trước", "Previous version"},
	"changed":               {"đã sửa", "changed"},
	"required_field":        {"(bắt buộc)", "(required)"},
	"required":              {"Chưa nhập; mục này bắt buộc.", "Missing; this field is required."},
	"line":                  {"dòng", "line"},
	"signin_refused":        {"Chưa đăng nhập được. Sửa các mục dưới đây:", "You are not signed in. Correct the following:"},
	"signin_wrong":          {"Địa chỉ e-mail hoặc mật khẩu không đúng; kiểm tra lại cả hai.", "The e-mail address or the password is wrong; check both."},
	"signin_wrong_password": {"Nhập lại mật khẩu.", "Type the password again."},
	"too_long":              {"Quá dài; tối đa %d byte.", "Too long; at most %d bytes."},
	"not_text":              {"Có ký tự không hợp lệ; gõ lại mục này.", "It holds characters that are not text; type it again."},
	"signin_throttled":      {"Quá nhiều lần đăng nhập không thành công; thử lại sau %d giây.", "Too many sign-in attempts; try again in %d seconds."},
	"problem_400":           {"Yêu cầu không hợp lệ; kiểm tra lại các mục đã nhập.", "The request is not valid; check what you typed."},
	"problem_401":           {"Phiên làm việc đã hết; đăng nhập lại.", "Your session has ended; sign in again."},
	"problem_403":           {"Bạn không có quyền thực hiện việc này. Nếu cần, liên hệ văn phòng.", "You may not do this. Ask the office if you need to."},
	"problem_404":           {"Không tìm thấy trang hoặc mục này, hoặc mục này nằm ngoài phạm vi bạn được xem.", "This page or record does not exist, or it is outside what you may see."},
	"problem_409":           {"Không thực hiện được vì trạng thái hiện tại (ví dụ kỳ báo cáo đã đóng hoặc báo cáo đã được xem xét). Tải lại trang để xem trạng thái mới nhất.", "This cannot be done in the current state (the cycle may be closed, or the report already reviewed). Reload the page to see the latest state."},
	"problem_413":           {"Tệp hoặc nội dung gửi lên quá lớn.", "The file or the content sent is too large."},
	"problem_422":           {"Một số mục chưa hợp lệ; sửa các mục được nêu rồi gửi lại.", "Some fields are refused; correct them and send again."},
	"problem_429":           {"Quá nhiều lần thử; chờ một lát rồi thử lại.", "Too many attempts; wait a moment and try again."},
	"problem_500":           {"Máy chủ gặp lỗi; thử lại sau ít phút. Nếu vẫn lỗi, báo văn phòng.", "The server failed; try again in a few minutes. If it keeps failing, tell the office."},
	"problem_503":           {"Hệ thống tạm thời chưa sẵn sàng; thử lại sau ít phút.", "The system is not available for now; try again in a few minutes."},
}

// translate returns the page text for key in lang.
func translate(lang, key string) string {
	text, ok := uiText[key]
	if !ok {
		return key
	}
	if lang == "en" {
		return text[1]
	}
	return text[0]
}

// figure writes a value of an indicator as the page's language writes
// figures ("12.000" on a Vietnamese page, "12,000" on an English one); text
// and values that do not read are written as they are.
func figure(lang string, ind reporting.Indicator, value string) string {
	if ind.Type == reporting.TypeText || value == "" {
		return value
	}
	shown, err := reporting.FormatNumber(value, reporting.NotationFor(lang))
	if err != nil {
		return value
	}
	return shown
}

// eventNames are the names people read for the moments of a cycle's timeline.
var eventNames = map[string][2]string{
	string(reporting.EventDeadlineNotice): {"thông báo hạn nộp", "deadline notice"},
	string(reporting.EventReminder):       {"nhắc nộp", "reminder"},
	string(reporting.EventOverdue):        {"thông báo quá hạn", "overdue notice"},
	string(reporting.EventEscalation):     {"báo cáo cấp trên", "escalation"},
	string(reporting.EventClose):          {"khóa sổ (gửi tổng kết)", "close (summary sent)"},
	string(reporting.RecipientOfficer):    {"cán bộ báo cáo", "reporting officer"},
	string(reporting.RecipientHead):       {"thủ trưởng đơn vị", "head of the agency"},
	string(reporting.RecipientSupervisor): {"cấp giám sát", "supervisor"},
	string(reporting.SendInHours):         {"trong giờ hành chính", "in office hours"},
	string(reporting.SendOffHours):        {"ngoài giờ hành chính", "outside office hours"},
	string(reporting.SendOffDay):          {"ngày nghỉ", "on a day off"},
}

// EventName is the name people read for a moment of a timeline, a
// recipient of its notices, or when it goes out (reporting.SendWhen); an
// unknown code is returned as it is.
func EventName(lang, code string) string {
	names, ok := eventNames[code]
	if !ok {
		return code
	}
	if lang == "en" {
		return names[1]
	}
	return names[0]
}

// sourceName is how a version came in (form, api, csv, xlsx), in lang.
func sourceName(lang, source string) string {
	if _, ok := uiText["source_"+source]; ok {
		return translate(lang, "source_"+source)
	}
	return source
}
