package messages

import "rcm/reporting"

// eventKey is the catalogue's key of the name of a moment of a timeline, a
// recipient of its notices, or when it goes out.
func eventKey(code string) string { return "event." + code }

// eventTexts are the names people read for the moments of a cycle's
// timeline, the recipients of their notices and when they go out
// (reporting.SendWhen).
var eventTexts = map[string]entry{
	eventKey(string(reporting.EventDeadlineNotice)): {"thông báo hạn nộp", "deadline notice"},
	eventKey(string(reporting.EventReminder)):       {"nhắc nộp", "reminder"},
	eventKey(string(reporting.EventOverdue)):        {"thông báo quá hạn", "overdue notice"},
	eventKey(string(reporting.EventEscalation)):     {"báo cáo cấp trên", "escalation"},
	eventKey(string(reporting.EventClose)):          {"khóa sổ (gửi tổng kết)", "close (summary sent)"},
	eventKey(string(reporting.RecipientOfficer)):    {"cán bộ báo cáo", "reporting officer"},
	eventKey(string(reporting.RecipientHead)):       {"thủ trưởng đơn vị", "head of the agency"},
	eventKey(string(reporting.RecipientSupervisor)): {"cấp giám sát", "supervisor"},
	eventKey(string(reporting.SendInHours)):         {"trong giờ hành chính", "in office hours"},
	eventKey(string(reporting.SendOffHours)):        {"ngoài giờ hành chính", "outside office hours"},
	eventKey(string(reporting.SendOffDay)):          {"ngày nghỉ", "on a day off"},
}

// EventName is the name people read for a moment of a timeline, a
// recipient of its notices, or when it goes out (reporting.SendWhen); an
// unknown code is returned as it is.
func EventName(lang Lang, code string) string {
	if !Has(eventKey(code)) {
		return code
	}
	return Text(lang, eventKey(code))
}
