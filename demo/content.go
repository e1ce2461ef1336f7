package demo

import (
	"slices"
	"time"

	"rcm/reporting"
)

// The demo's template and regime codes.
const (
	TemplateCode = "SEI"
	RegimeCode   = "SEI_MONTHLY"
	// TieredRegimeCode is the demo's two-tier regime: provincial
	// departments report to their province, which consolidates and reports
	// to the Government Office.
	TieredRegimeCode = "SEI_TWO_TIER"
)

// TieredProvinces are the provinces of the demo's two-tier regime, each
// with the demo departments of DepartmentsOf.
func TieredProvinces() []string { return []string{"HNI", "HPG", "HCM"} }

// demoDepartments are the departments (Sở) each tiered province has in the
// demo, by code suffix: the data file lists no departments, so the demo
// adds three per province.
var demoDepartments = []struct{ suffix, nameVI, nameEN string }{
	{"STC", "Sở Tài chính", "Department of Finance"},
	{"SCT", "Sở Công Thương", "Department of Industry and Trade"},
	{"SXD", "Sở Xây dựng", "Department of Construction"},
}

// DepartmentsOf returns the demo departments of a province, under it.
func DepartmentsOf(province reporting.Agency) []reporting.Agency {
	out := make([]reporting.Agency, len(demoDepartments))
	for i, d := range demoDepartments {
		out[i] = reporting.Agency{Code: province.Code + "-" + d.suffix, ParentCode: province.Code,
			NameVI: d.nameVI + " " + province.NameVI, NameEN: d.nameEN + ", " + province.NameEN, Kind: "department"}
	}
	return out
}

// tieredRegime is the demo's two-tier regime (Circular 02/2023's shape):
// departments due two working days after the cut-off, reviewed by their
// province; provinces due four, reviewed by reviewerID at the office.
func tieredRegime(assigned []string, reviewerID int64) reporting.Regime {
	return reporting.Regime{
		Code:         TieredRegimeCode,
		NameVI:       "Chế độ báo cáo kinh tế - xã hội hằng tháng hai cấp (Sở → Tỉnh → Văn phòng Chính phủ)",
		NameEN:       "Two-tier monthly socio-economic reporting (departments → province → Government Office)",
		TemplateCode: TemplateCode,
		Cadence:      reporting.Monthly,
		DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleWorkingDays, N: 4},
		TimeZone:     reporting.DefaultZone,
		Policy:       Policy(),
		ReviewerID:   &reviewerID,
		Tiers: []reporting.Tier{
			{NameVI: "Sở, ngành", NameEN: "Provincial departments", Depth: 4,
				DeadlineRule: reporting.DeadlineRule{Kind: reporting.RuleWorkingDays, N: 2}},
			{NameVI: "Tỉnh, thành phố", NameEN: "Provinces and cities", Depth: 3},
		},
		Assignments: assignments(assigned),
	}
}

// RootCode is the national root of the demo agency tree.
const RootCode = "VN"

// Template is the demo's monthly socio-economic report: eleven indicators a
// province or centrally-run city reports to the Government Office each month.
func Template() reporting.Template {
	return reporting.Template{
		Code:   TemplateCode,
		NameVI: "Báo cáo tình hình kinh tế - xã hội hằng tháng",
		NameEN: "Monthly socio-economic report",
		// Each indicator rolls up by the method that means something: amounts
		// add up; growth is weighted by the size that grows (GRDP growth by
		// GRDP, consumer prices by retail sales as the nearest measure of
		// consumption); rates with no weight in the template (industrial
		// production index, unemployment) are not combined.
		Indicators: []reporting.Indicator{
			{Code: "GRDP", NameVI: "Tổng sản phẩm trên địa bàn (GRDP) theo giá hiện hành (ước tính)",
				NameEN: "Gross regional domestic product at current prices (estimate)", Unit: "tỷ đồng", Type: reporting.TypeDecimal,
				Required: true, Min: "0", Aggregation: reporting.AggregationSum},
			{Code: "GRDP_GROWTH", NameVI: "Tốc độ tăng tổng sản phẩm trên địa bàn (GRDP) so với cùng kỳ (ước tính)",
				NameEN: "GRDP growth, year on year (estimate)", Unit: "%", Type: reporting.TypePercent,
				Required: true, Min: "-50", Max: "50", Aggregation: reporting.WeightedMean("GRDP")},
			{Code: "IIP_GROWTH", NameVI: "Chỉ số sản xuất công nghiệp (IIP) tăng so với cùng kỳ",
				NameEN: "Industrial production index growth, year on year", Unit: "%", Type: reporting.TypePercent,
				Required: true, Min: "-100", Max: "200", Aggregation: reporting.AggregationNone},
			{Code: "RETAIL_SALES", NameVI: "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng",
				NameEN: "Retail sales of goods and consumer services", Unit: "tỷ đồng", Type: reporting.TypeDecimal,
				Required: true, Min: "0", Aggregation: reporting.AggregationSum},
			{Code: "BUDGET_REVENUE", NameVI: "Thu ngân sách nhà nước trên địa bàn",
				NameEN: "State budget revenue in the locality", Unit: "tỷ đồng", Type: reporting.TypeDecimal,
				Required: true, Min: "0", Aggregation: reporting.AggregationSum},
			{Code: "FDI_REALISED", NameVI: "Vốn đầu tư trực tiếp nước ngoài (FDI) thực hiện",
				NameEN: "Realised foreign direct investment", Unit: "triệu USD", Type: reporting.TypeDecimal,
				Required: true, Min: "0", Aggregation: reporting.AggregationSum},
			{Code: "EXPORTS", NameVI: "Kim ngạch xuất khẩu hàng hóa",
				NameEN: "Exports of goods", Unit: "triệu USD", Type: reporting.TypeDecimal,
				Required: true, Min: "0", Aggregation: reporting.AggregationSum},
			{Code: "NEW_ENTERPRISES", NameVI: "Số doanh nghiệp đăng ký thành lập mới",
				NameEN: "Newly registered enterprises", Unit: "doanh nghiệp", Type: reporting.TypeInteger,
				Required: true, Min: "0", Aggregation: reporting.AggregationSum},
			{Code: "CPI_CHANGE", NameVI: "Chỉ số giá tiêu dùng (CPI) tăng so với tháng trước",
				NameEN: "Consumer price index change, month on month", Unit: "%", Type: reporting.TypePercent,
				Required: true, Min: "-20", Max: "20", Aggregation: reporting.WeightedMean("RETAIL_SALES")},
			{Code: "UNEMPLOYMENT_RATE", NameVI: "Tỷ lệ thất nghiệp của lực lượng lao động trong độ tuổi (điều tra)",
				NameEN: "Surveyed unemployment rate of the working-age labour force", Unit: "%", Type: reporting.TypePercent,
				Required: true, Min: "0", Max: "100", Aggregation: reporting.AggregationNone},
			{Code: "HIGHLIGHTS", NameVI: "Tình hình nổi bật", NameEN: "Highlights of the month",
				Type: reporting.TypeText, Aggregation: reporting.AggregationNone},
		},
	}
}

// Policy is the demo regime's timeline: reminders 3 days and 1 day before
// due; a day after due the officer and the head are told, three days after
// it the supervisors; a reviewer has 2 days; the cycle closes 10 days after
// due. A cycle may override all of it at launch (offsets in minutes for a
// live demo).
func Policy() reporting.Policy {
	const day = 24 * time.Hour
	return reporting.Policy{
		ReminderOffsets: []time.Duration{3 * day, 1 * day},
		Escalations: []reporting.EscalationStep{
			{After: 1 * day, Recipients: []reporting.Recipient{reporting.RecipientOfficer, reporting.RecipientHead}, Times: 1},
			{After: 3 * day, Recipients: []reporting.Recipient{reporting.RecipientSupervisor}, Times: 1},
		},
		ReviewTime: 2 * day,
		CloseAfter: 10 * day,
	}
}

// Holidays2026 are the public holidays of 2026 on working days that the demo
// regime's working-day deadline skips: New Year, the Lunar New Year (Tết,
// 17 February) with the days around it, the Hùng Kings' commemoration
// (Sunday 26 April, observed on Monday 27), Reunification Day and Labour Day,
// National Day. They are demo data: the office keeps its regimes' lists from
// the Government's yearly announcement.
func Holidays2026() []reporting.Date {
	var days []reporting.Date
	for _, s := range []string{
		"2026-01-01",
		"2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
		"2026-04-27", "2026-04-30", "2026-05-01",
		"2026-09-02",
	} {
		days = append(days, reporting.MustParseDate(s))
	}
	return days
}

// regime is the demo regime, assigned to the given agencies and reviewed by
// reviewerID.
func regime(assigned []string, reviewerID int64) (reporting.Regime, error) {
	rule, err := reporting.ParseDeadlineRule("workdays:2")
	if err != nil {
		return reporting.Regime{}, err
	}
	return reporting.Regime{
		Code:         RegimeCode,
		NameVI:       "Chế độ báo cáo tình hình kinh tế - xã hội hằng tháng",
		NameEN:       "Monthly socio-economic reporting",
		TemplateCode: TemplateCode,
		Cadence:      reporting.Monthly,
		DeadlineRule: rule,
		TimeZone:     reporting.DefaultZone,
		Holidays:     Holidays2026(),
		Policy:       Policy(),
		ReviewerID:   &reviewerID,
		Assignments:  assignments(assigned),
	}, nil
}

// regionNamesEN are the English names of the six socio-economic regions,
// as the General Statistics Office writes them, by their Vietnamese names.
func regionNamesEN() map[string]string {
	return map[string]string{
		"Trung du và miền núi phía Bắc":        "Northern Midlands and Mountain Areas",
		"Đồng bằng sông Hồng":                  "Red River Delta",
		"Bắc Trung Bộ và duyên hải miền Trung": "North Central and Central Coastal Areas",
		"Tây Nguyên":              "Central Highlands",
		"Đông Nam Bộ":             "South East",
		"Đồng bằng sông Cửu Long": "Mekong River Delta",
	}
}

// reports says whether an agency of this kind reports under the demo regime:
// the provinces and centrally-run cities.
func reports(kind string) bool { return kind == "province" || kind == "city" }

// tiered says whether a province has demo departments and reports under the
// two-tier regime.
func tiered(code string) bool { return slices.Contains(TieredProvinces(), code) }

// assignments assigns the agencies for good.
func assignments(codes []string) []reporting.Assignment {
	as := make([]reporting.Assignment, len(codes))
	for i, code := range codes {
		as[i] = reporting.Assignment{AgencyCode: code}
	}
	return as
}
