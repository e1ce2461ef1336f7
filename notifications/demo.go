package notifications

import (
	"time"

	"rcm/messages"
	"rcm/reporting"
)

// DemoData returns realistic data for a message of the given kind in lang,
// for previews (rcm notify preview) and tests: Tỉnh Lào Cai, the monthly
// socio-economic report of October 2026, times in Asia/Ho_Chi_Minh. The
// reviewer's reason holds markup and an ampersand to show that the HTML
// part escapes user text. Agency names are proper names and stay in
// Vietnamese in English messages.
func DemoData(kind reporting.Event, lang messages.Lang) Data {
	loc := vietnamTime()
	at := func(day, hour, minute int) time.Time {
		return time.Date(2026, time.October, day, hour, minute, 0, 0, loc)
	}
	en := lang == messages.English

	d := Data{
		AgencyCode:     "LCI",
		AgencyName:     "Tỉnh Lào Cai",
		RegimeName:     "Báo cáo tình hình kinh tế - xã hội hằng tháng",
		PeriodLabel:    "tháng 10/2026",
		CutOff:         at(15, 0, 0), // data up to the end of 14/10
		Due:            at(16, 0, 0), // due by the end of 15/10
		Close:          at(26, 0, 0), // closes at the end of 25/10
		Location:       loc,
		ReminderNumber: 2,
		ReminderCount:  3,
		EscalationStep: 1,
		ReceiptNumber:  "KTXH_THANG-2026-10-LCI-v1-K7Q2M4XP9A",
		ContentHash:    "3f5d2c0a9b8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a392817f6e5d4",
		Version:        1,
		// 06:30 in Hanoi is still 14/10 in UTC: the message must say 15/10.
		SubmittedAt:    at(15, 6, 30),
		ReviewDue:      at(20, 17, 0),
		SubmissionLink: "https://rcm.example.gov.vn/cycles/ktxh-2026-10/agencies/LCI",
		DashboardLink:  "https://rcm.example.gov.vn/cycles/ktxh-2026-10",
		Reason: "Chỉ tiêu “Vốn đầu tư thực hiện” chênh lệch so với số liệu của Thống kê tỉnh & chưa có thuyết minh.\n" +
			"Ô ghi chú có đoạn mã <script>alert(\"x\")</script>, đề nghị xóa.",
	}
	if en {
		d.RegimeName = "Monthly socio-economic situation report"
		d.PeriodLabel = "October 2026"
		d.Reason = "The indicator “Investment realised” differs from the provincial statistics office's figure & has no explanation.\n" +
			"The notes field contains <script>alert(\"x\")</script>; please remove it."
	}

	switch kind {
	case reporting.EventReminder:
		d.Reason = "" // set only when the agency is chased for a returned version
	case reporting.EventOverdue, reporting.EventEscalation:
		d.DaysOverdue = 3
		d.Reason = ""
	case reporting.EventEscalationDigest:
		d.DaysOverdue = 3
		d.OverdueAgencies = []string{"Sở Tài chính tỉnh Lào Cai", "Sở Xây dựng tỉnh Lào Cai", "Sở Y tế tỉnh Lào Cai"}
		d.DashboardLink += "/compliance?scope=LCI"
	case reporting.EventAccepted:
		d.Version = 2
		d.SubmittedAt = at(17, 9, 15)
	case reporting.EventReviewWaiting, reporting.EventReviewOverdue:
		d.DashboardLink += "/review/LCI"
	case reporting.EventCycleSummary:
		d.DashboardLink += "/summary?scope=LCI"
		d.Summary = Summary{
			Expected: 24, Submitted: 21, OnTime: 17, Late: 3, NotAccepted: 1, Missing: 3,
			ReportingRate: 87.5, OnTimeRate: 70.83,
			MissingAgencies:     []string{"Sở Tài chính tỉnh Lào Cai", "Sở Xây dựng tỉnh Lào Cai", "Sở Y tế tỉnh Lào Cai"},
			LateAgencies:        []string{"Sở Công Thương tỉnh Lào Cai", "Sở Giáo dục và Đào tạo tỉnh Lào Cai", "Sở Nông nghiệp và Môi trường tỉnh Lào Cai"},
			UnreachableAgencies: []string{"Sở Y tế tỉnh Lào Cai"},
		}
	case reporting.EventReopened:
		d.Version = 2
	case reporting.EventLateFiled, reporting.EventLateFilingAdmitted, reporting.EventLateFilingRefused:
		d.Version = 2
		d.Reason = "Báo cáo bị trả lại do mất điện diện rộng & chưa kịp nộp lại trước khi khóa sổ."
		if en {
			d.Reason = "The report was returned during a wide power cut & could not be resubmitted before close."
		}
		if kind == reporting.EventLateFiled {
			d.DashboardLink += "/agencies/LCI"
		}
	case reporting.EventNilReported:
		d.Reason = "Tỉnh không có dự án FDI nào giải ngân trong kỳ & không phát sinh số liệu."
		if en {
			d.Reason = "No FDI project disbursed in the province this period & there are no figures."
		}
	case reporting.EventExtensionRequested, reporting.EventExtensionRefused:
		d.RequestedDue = at(21, 0, 0)
		d.DashboardLink += "/agencies/LCI"
	case reporting.EventDeadlineExtended:
		d.OldDue = d.Due
		d.Due = at(21, 0, 0)
		d.Close = at(31, 0, 0)
		d.ExtensionReason = "Theo đề nghị của UBND tỉnh do ảnh hưởng của bão số 10 & mưa lũ kéo dài."
		if en {
			d.ExtensionReason = "At the provincial People's Committee's request, after typhoon No. 10 & prolonged flooding."
		}
	}
	return d
}

// vietnamTime is Asia/Ho_Chi_Minh, or UTC+7 where the system has no time
// zone database (Vietnam has kept UTC+7 without daylight saving since 1975).
func vietnamTime() *time.Location {
	if loc, err := time.LoadLocation("Asia/Ho_Chi_Minh"); err == nil {
		return loc
	}
	return time.FixedZone("+07", 7*60*60)
}
