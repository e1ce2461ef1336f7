package messages

import (
	"strconv"
	"time"

	"rcm/reporting"
)

// periodTexts name the periods: a month takes its number written with two
// digits, its English name and the year (%[1]s, %[2]s, %[3]d); a quarter
// its Roman number, its number and the year.
var periodTexts = map[string]entry{
	"period.monthly":       {"tháng %[1]s/%[3]d", "%[2]s %[3]d"},
	"period.quarterly":     {"quý %[1]s/%[3]d", "Q%[2]s %[3]d"},
	"period.six_monthly.1": {"6 tháng đầu năm %d", "H1 %d"},
	"period.six_monthly.2": {"6 tháng cuối năm %d", "H2 %d"},
	"period.nine_monthly":  {"9 tháng năm %d", "9 months %d"},
	"period.annual":        {"năm %d", "year %d"},
	"period.custom":        {"từ %s đến %s", "%s to %s"},
}

var romanQuarters = [4]string{"I", "II", "III", "IV"}

// PeriodLabel names a period for people in lang: "tháng 10/2026", "quý
// IV/2026", "6 tháng đầu năm 2026", "6 tháng cuối năm 2026", "9 tháng năm
// 2026", "năm 2026"; "October 2026", "Q4 2026", "H1 2026", "9 months 2026",
// "year 2026". Vietnamese labels write months 1 and 2 with a leading zero
// ("tháng 01/2026"), as Decree 30/2020 asks of dates in administrative
// documents. A period of no known cadence is named by its ID.
func PeriodLabel(lang Lang, p reporting.Period) string {
	switch p.Cadence {
	case reporting.Monthly:
		month := strconv.Itoa(p.Index)
		if p.Index < 3 {
			month = "0" + month
		}
		return Text(lang, "period.monthly", month, time.Month(p.Index).String(), p.Year)
	case reporting.Quarterly:
		return Text(lang, "period.quarterly", romanQuarters[p.Index-1], strconv.Itoa(p.Index), p.Year)
	case reporting.SixMonthly:
		return Text(lang, "period.six_monthly."+strconv.Itoa(p.Index), p.Year)
	case reporting.NineMonthly:
		return Text(lang, "period.nine_monthly", p.Year)
	case reporting.Annual:
		return Text(lang, "period.annual", p.Year)
	case reporting.Custom:
		return Text(lang, "period.custom", p.CustomStart.Format(string(lang)), p.CustomEnd.Format(string(lang)))
	}
	return p.ID
}
