package messages

import "rcm/reporting"

// statusKey is the catalogue's key of a status code's name.
func statusKey(code string) string { return "status." + code }

// statusTexts are the names people read for the statuses of obligations
// and cycles; review decisions (accepted, returned) share the obligation's.
var statusTexts = map[string]entry{
	// Obligations while the cycle runs.
	statusKey(string(reporting.ObligationPending)):     {"chưa nộp", "not submitted"},
	statusKey(string(reporting.ObligationNotified)):    {"đã thông báo", "notified"},
	statusKey(string(reporting.ObligationSubmitted)):   {"đã nộp", "submitted"},
	statusKey(string(reporting.ObligationUnderReview)): {"đang xem xét", "under review"},
	statusKey(string(reporting.ObligationReturned)):    {"bị trả lại", "returned"},
	statusKey(string(reporting.ObligationAccepted)):    {"đã chấp nhận", "accepted"},
	statusKey(string(reporting.ObligationOverdue)):     {"quá hạn", "overdue"},
	// Final states.
	statusKey(string(reporting.ObligationOnTime)):      {"đúng hạn", "on time"},
	statusKey(string(reporting.ObligationLate)):        {"trễ hạn", "late"},
	statusKey(string(reporting.ObligationMissing)):     {"thiếu", "missing"},
	statusKey(string(reporting.ObligationNotAccepted)): {"không được chấp nhận", "not accepted"},
	statusKey(string(reporting.ObligationNotReviewed)): {"đã nộp, chưa được xem xét", "submitted, not reviewed"},
	statusKey(string(reporting.ObligationNilReport)):   {"không có số liệu để báo cáo", "nothing to report"},
	// Live states that are not obligation statuses.
	statusKey(string(reporting.LiveNotYetDue)):      {"chưa đến hạn", "not yet due"},
	statusKey(string(reporting.LiveAwaitingReview)): {"chờ xem xét", "awaiting review"},
	// Cycles.
	statusKey(string(reporting.CycleLaunching)): {"đang khởi tạo", "launching"},
	statusKey(string(reporting.CycleOpen)):      {"đang mở", "open"},
	statusKey(string(reporting.CycleClosing)):   {"đang đóng", "closing"},
	statusKey(string(reporting.CycleClosed)):    {"đã đóng", "closed"},
	statusKey(string(reporting.CycleCancelled)): {"đã hủy", "cancelled"},
}

// StatusName is the name people read for an obligation, cycle or review
// status code ("late" → "trễ hạn" in Vietnamese, "late" in English); an
// unknown code is returned as it is.
func StatusName(lang Lang, code string) string {
	if !Has(statusKey(code)) {
		return code
	}
	return Text(lang, statusKey(code))
}
