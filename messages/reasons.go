package messages

// reasonTexts are the reasons a field of an input is refused, for the person
// who filled it in (reporting.Keyed, said by FieldReason): the reasons of
// the operations, of the web pages' checks and of the readers of uploaded
// files.
var reasonTexts = map[string]entry{
	// Actions of an agency or of the office, and their decisions.
	"reason.reopen_needs_reason": {"Nhập lý do mở lại báo cáo; đơn vị sẽ nhận được lý do này.",
		"say why the report is reopened; the agency is told"},
	"reason.nil_report_needs_reason": {"Nhập lý do không có số liệu để báo cáo; văn phòng sẽ đọc lý do này.",
		"say why there is nothing to report; the office reads it"},
	"reason.extension_needs_reason": {"Nhập lý do cần thêm thời gian; văn phòng sẽ đọc lý do này.",
		"say why more time is needed; the office reads it"},
	"reason.due_only_for_extension": {"Chỉ đề nghị gia hạn mới nêu hạn nộp.",
		"only an extension request asks for a due date"},
	"reason.due_required": {"Nhập hạn nộp đề nghị, dạng yyyy-mm-dd (ví dụ 2026-12-31).",
		"say which due date you ask for (yyyy-mm-dd)"},
	// The text typed.
	"reason.due_not_a_date": {"%q không phải là ngày; viết dạng yyyy-mm-dd, ví dụ 2026-12-31.",
		"%q is not a date; write yyyy-mm-dd, for example 2026-12-31"},
	// The date asked for, then the current due date.
	"reason.due_not_later": {"Ngày %s không sau hạn nộp hiện tại (%s); chọn một ngày muộn hơn.",
		"%s is not after the current due date %s"},
	"reason.due_passed": {"Ngày %s đã qua; chọn một ngày trong tương lai.", "%s has passed"},
	"reason.grant_passed": {"Ngày %s đã qua; cho phép một ngày muộn hơn.",
		"%s has passed; grant a later date"},
	"reason.refusal_no_due": {"Từ chối thì không nêu hạn nộp mới; để trống mục này.",
		"a refusal grants no due date"},
	"reason.request_refusal_needs_reason": {"Nhập lý do từ chối yêu cầu gia hạn; đơn vị sẽ nhận được lý do này.",
		"say why the request is refused; the agency is told"},
	"reason.late_filing_refusal_needs_reason": {"Nhập lý do từ chối báo cáo nộp muộn; đơn vị sẽ nhận được lý do này.",
		"say why the late filing is refused; the agency is told"},
	// The decision given, then the word for yes (granted, admitted).
	"reason.not_a_decision": {"%q không phải là quyết định; chọn đồng ý (%s) hoặc từ chối (refused).",
		"%q is not a decision; use %s or refused"},
	// The limit in characters.
	"reason.too_long": {"Lý do quá dài; tối đa %d ký tự.", "at most %d characters"},

	// Submissions and their review.
	"reason.narrative_too_long": {"Thuyết minh quá dài; tối đa %d ký tự.", "at most %d characters"},
	"reason.return_needs_reason": {"Trả lại báo cáo thì phải nêu lý do để đơn vị sửa.",
		"a returned submission needs a reason the agency can act on"},
	"reason.not_a_review_decision": {"%q không phải là quyết định; chọn chấp nhận (accepted) hoặc trả lại (returned).",
		"%q is not a decision; use accepted or returned"},

	// The web pages' checks.
	"reason.close_needs_reason": {"Nêu lý do khóa sổ sớm; lý do được ghi vào nhật ký.",
		"say why the cycle closes now; the reason is logged"},
	"reason.not_utf8": {"không phải văn bản hợp lệ (UTF-8); gõ lại mục này", "not valid UTF-8 text"},
	"reason.nul":      {"chứa ký tự NUL không hợp lệ; gõ lại mục này", "contains a NUL character (\\u0000)"},

	// The readers of uploaded files.
	// The sheet's name, then the template's code.
	"reason.file_no_sheet": {"không có trang %q: đây không phải bảng tính tải từ biểu mẫu %s",
		"no sheet %q: this is not a spreadsheet exported from template %s"},
	// The first row of indicators, then the template's code.
	"reason.file_no_rows": {"không có dòng chỉ tiêu nào từ dòng %d; tải biểu mẫu %s và điền vào đó",
		"no indicator rows from row %d on; export template %s and fill that in"},
	"reason.file_old_excel": {"đây là tệp Excel cũ (.xls) hoặc bảng tính có mật khẩu; lưu lại dạng .xlsx không đặt mật khẩu",
		"this is an old Excel file (.xls) or a spreadsheet protected with a password; save it as .xlsx without a password"},
	// The cell, the template it names, then the expected template twice.
	"reason.file_other_template": {"ô %s ghi biểu mẫu %q, không phải %s; tải biểu mẫu %s và điền vào đó",
		"cell %s holds template %q, not %s; export template %s and fill that in"},
	// The cell, then what it holds.
	"reason.cell_not_a_number": {"ô %s ghi %q, không phải là số", "cell %s holds %q, which is not a number"},
	"reason.cell_not_a_figure": {"ô %s ghi %q, không phải là số liệu; gõ con số vào ô",
		"cell %s holds %q, which is not a figure; type the number"},
	// The indicator's code, then the template's.
	"reason.file_unknown_indicator": {"chỉ tiêu %q không có trong biểu mẫu %s; dùng mã chỉ tiêu của biểu mẫu tải về",
		"indicator %q is not in template %s; use the codes of the exported template"},
	// The indicator's code, then the line of its first value.
	"reason.file_duplicate": {"chỉ tiêu %s đã có giá trị ở dòng %d; mỗi chỉ tiêu chỉ một dòng",
		"indicator %s already has a value on line %d; keep one line per indicator"},
	// The two columns' names.
	"reason.file_empty": {"tệp trống; dòng đầu phải là dòng tiêu đề %s,%s",
		"the file is empty; the first line must be the header %s,%s"},
	// The two columns' names, then the first line found.
	"reason.file_header": {"dòng đầu phải có hai cột %s và %s (tệp có %q); tải biểu mẫu và điền vào đó",
		"the first line must name the columns %s and %s (found %q)"},
}
