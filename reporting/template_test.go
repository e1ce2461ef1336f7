package reporting

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// socioEconomic is a small monthly socio-economic template.
func socioEconomic() Template {
	return Template{
		Code:   "BC_KTXH-01",
		NameVI: "Báo cáo tình hình kinh tế - xã hội",
		NameEN: "Socio-economic situation report",
		Indicators: []Indicator{
			{Code: "BUDGET_REVENUE", NameVI: "Thu ngân sách", Unit: "tỷ đồng", Type: TypeDecimal, Required: true, Min: "0", Aggregation: AggregationSum},
			{Code: "NEW_FIRMS", NameVI: "Doanh nghiệp thành lập mới", Type: TypeInteger, Required: true, Min: "0", Aggregation: AggregationSum},
			{Code: "GRDP_GROWTH", NameVI: "Tăng trưởng GRDP", Unit: "%", Type: TypePercent, Min: "-100", Max: "100", Aggregation: AggregationAvg},
			{Code: "DISBURSEMENT", NameVI: "Tỷ lệ giải ngân", Unit: "%", Type: TypePercent, Min: "0", Max: "100", Aggregation: AggregationMin},
			{Code: "NOTES", NameVI: "Ghi chú", Type: TypeText},
		},
	}
}

func TestValidateAcceptsAWellFormedTemplate(t *testing.T) {
	assert.NoError(t, socioEconomic().Validate())
}

func TestTemplateValidateNamesTheIndicator(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Template)
		want   string
	}{
		{"lower-case code", func(tp *Template) { tp.Indicators[1].Code = "new_firms" },
			`template "BC_KTXH-01": indicator "new_firms" (position 2): code must be an upper-case letter followed by up to 31 upper-case letters, digits or '_', such as GRDP_GROWTH`},
		{"code with a dash", func(tp *Template) { tp.Indicators[1].Code = "NEW-FIRMS" },
			`template "BC_KTXH-01": indicator "NEW-FIRMS" (position 2): code must be an upper-case letter followed by up to 31 upper-case letters, digits or '_', such as GRDP_GROWTH`},
		{"code too long", func(tp *Template) { tp.Indicators[0].Code = "A234567890123456789012345678901234" },
			`template "BC_KTXH-01": indicator "A234567890123456789012345678901234" (position 1): code must be an upper-case letter followed by up to 31 upper-case letters, digits or '_', such as GRDP_GROWTH`},
		{"repeated code", func(tp *Template) { tp.Indicators[3].Code = "NEW_FIRMS" },
			`template "BC_KTXH-01": indicator "NEW_FIRMS" (position 4): code repeats the indicator at position 2; codes must be unique in a template`},
		{"no name", func(tp *Template) { tp.Indicators[0].NameVI = "  " },
			`template "BC_KTXH-01": indicator "BUDGET_REVENUE" (position 1): the Vietnamese name (name_vi) is empty`},
		{"unknown type", func(tp *Template) { tp.Indicators[0].Type = "money" },
			`template "BC_KTXH-01": indicator "BUDGET_REVENUE" (position 1): type "money" is unknown; use integer, decimal, percent or text`},
		{"unknown aggregation", func(tp *Template) { tp.Indicators[0].Aggregation = "total" },
			`template "BC_KTXH-01": indicator "BUDGET_REVENUE" (position 1): aggregation "total" is unknown; use sum, avg, min, max, weighted_mean:CODE (CODE a numeric indicator of the template) or none`},
		{"min above max", func(tp *Template) { tp.Indicators[2].Min = "150" },
			`template "BC_KTXH-01": indicator "GRDP_GROWTH" (position 3): min 150 is above max 100`},
		{"min not a number", func(tp *Template) { tp.Indicators[2].Min = "low" },
			`template "BC_KTXH-01": indicator "GRDP_GROWTH" (position 3): min "low" is not a number`},
		{"max with a decimal comma", func(tp *Template) { tp.Indicators[2].Max = "99,5" },
			`template "BC_KTXH-01": indicator "GRDP_GROWTH" (position 3): max "99,5": write the number with '.' as the decimal point and no thousands separators`},
		{"fractional bound on an integer", func(tp *Template) { tp.Indicators[1].Max = "10.5" },
			`template "BC_KTXH-01": indicator "NEW_FIRMS" (position 2): max 10.5 is not a whole number, as an integer indicator needs`},
		{"text aggregated", func(tp *Template) { tp.Indicators[4].Aggregation = AggregationMax },
			`template "BC_KTXH-01": indicator "NOTES" (position 5): text indicators cannot be aggregated (max); use none`},
		{"text bounded", func(tp *Template) { tp.Indicators[4].Max = "10" },
			`template "BC_KTXH-01": indicator "NOTES" (position 5): text indicators have no min or max; leave them empty`},
		{"percent summed", func(tp *Template) { tp.Indicators[2].Aggregation = AggregationSum },
			`template "BC_KTXH-01": indicator "GRDP_GROWTH" (position 3): percentages cannot be summed; use weighted_mean:CODE, avg, min, max or none`},
		{"bad template code", func(tp *Template) { tp.Code = "bc 01" },
			`template "bc 01": code must be an upper-case letter followed by up to 31 upper-case letters, digits, '_' or '-', such as BC_KTXH-01`},
		{"no template name", func(tp *Template) { tp.NameVI = "" },
			`template "BC_KTXH-01": the Vietnamese name (name_vi) is empty`},
		{"no indicators", func(tp *Template) { tp.Indicators = nil },
			`template "BC_KTXH-01": has no indicators; add at least one`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tp := socioEconomic()
			tt.change(&tp)
			assert.EqualError(t, tp.Validate(), tt.want)
		})
	}
}

func TestTemplateValidateReportsEveryProblem(t *testing.T) {
	tp := socioEconomic()
	tp.Indicators[0].Type = "money"
	tp.Indicators[4].Aggregation = AggregationSum
	assert.EqualError(t, tp.Validate(),
		`template "BC_KTXH-01": indicator "BUDGET_REVENUE" (position 1): type "money" is unknown; use integer, decimal, percent or text`+"\n"+
			`template "BC_KTXH-01": indicator "NOTES" (position 5): text indicators cannot be aggregated (sum); use none`)
}

func TestEmptyAggregationMeansNone(t *testing.T) {
	tp := socioEconomic()
	tp.Indicators[4].Aggregation = ""
	tp.Indicators[0].Aggregation = ""
	assert.NoError(t, tp.Validate())
	assert.False(t, Aggregation("").Rolls())
	assert.False(t, AggregationNone.Rolls())
	assert.True(t, AggregationAvg.Rolls())
}

func TestTemplateIndicatorLooksUpByCode(t *testing.T) {
	ind, ok := socioEconomic().Indicator("NEW_FIRMS")
	assert.True(t, ok)
	assert.Equal(t, TypeInteger, ind.Type)
	_, ok = socioEconomic().Indicator("NOPE")
	assert.False(t, ok)
}

func TestCodeShapes(t *testing.T) {
	assert.True(t, ValidIndicatorCode("A"))
	assert.True(t, ValidIndicatorCode("A2345678901234567890123456789012")) // 32 characters
	assert.False(t, ValidIndicatorCode("A23456789012345678901234567890123"))
	assert.False(t, ValidIndicatorCode("1A"))
	assert.False(t, ValidIndicatorCode(""))
	assert.False(t, ValidIndicatorCode("Ă"))
	assert.True(t, ValidTemplateCode("BC-01"))
	assert.False(t, ValidTemplateCode("-BC"))
}
