package reporting

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidateValuesNormalisesNumbers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1234.5", "1234.5"},
		{"+1234.50", "1234.5"},
		{"007", "7"},
		{"5.000", "5"},
		{"0.0", "0"},
		{".5", "0.5"},
		{"5.", "5"},
		{"  12.30 ", "12.3"},
		{"0", "0"},
		{"100", "100"},
	}
	tp := socioEconomic()
	for _, tt := range tests {
		got, problems := tp.ValidateValues(Values{"BUDGET_REVENUE": tt.in, "NEW_FIRMS": "1"})
		assert.Empty(t, problems, tt.in)
		assert.Equal(t, tt.want, got["BUDGET_REVENUE"], tt.in)
	}
	got, problems := tp.ValidateValues(Values{"BUDGET_REVENUE": "1", "NEW_FIRMS": "1", "GRDP_GROWTH": "-0.0"})
	assert.Empty(t, problems)
	assert.Equal(t, "0", got["GRDP_GROWTH"], "minus zero is zero")
	got, problems = tp.ValidateValues(Values{"BUDGET_REVENUE": "1", "NEW_FIRMS": "1", "GRDP_GROWTH": "-3.50"})
	assert.Empty(t, problems)
	assert.Equal(t, "-3.5", got["GRDP_GROWTH"])
}

func TestValidateValuesReturnsOnlyGivenValidValues(t *testing.T) {
	got, problems := socioEconomic().ValidateValues(Values{
		"BUDGET_REVENUE": " 1520.75 ",
		"NEW_FIRMS":      "312",
		"GRDP_GROWTH":    "",
		"NOTES":          "  Tăng trưởng khá.\nXuất khẩu tăng.  ",
	})
	assert.Empty(t, problems)
	assert.Equal(t, Values{
		"BUDGET_REVENUE": "1520.75",
		"NEW_FIRMS":      "312",
		"NOTES":          "Tăng trưởng khá.\nXuất khẩu tăng.",
	}, got, "empty optional values are left out, text is trimmed")
}

func TestValidateValuesReportsEveryProblemInTemplateOrder(t *testing.T) {
	got, problems := socioEconomic().ValidateValues(Values{
		"ZZZ":          "1",
		"NOTES":        strings.Repeat("ạ", MaxTextLength+1),
		"DISBURSEMENT": "100.01",
		"GRDP_GROWTH":  "-100.5",
		"NEW_FIRMS":    "12.5",
		"AAA":          "",
	})
	assert.Equal(t, []FieldError{
		{Field: "values.BUDGET_REVENUE", Indicator: "BUDGET_REVENUE", Code: FieldRequired},
		{Field: "values.NEW_FIRMS", Indicator: "NEW_FIRMS", Code: FieldNotAnInteger},
		{Field: "values.GRDP_GROWTH", Indicator: "GRDP_GROWTH", Code: FieldBelowMin, Limit: "-100"},
		{Field: "values.DISBURSEMENT", Indicator: "DISBURSEMENT", Code: FieldAboveMax, Limit: "100"},
		{Field: "values.NOTES", Indicator: "NOTES", Code: FieldTooLong, Limit: "4000"},
		{Field: "values.AAA", Indicator: "AAA", Code: FieldUnknownIndicator},
		{Field: "values.ZZZ", Indicator: "ZZZ", Code: FieldUnknownIndicator},
	}, problems)
	assert.Empty(t, got)
}

func TestValidateValuesExplainsEachKindOfBadNumber(t *testing.T) {
	tests := []struct {
		value string
		code  string
	}{
		{"1,5", FieldDecimalComma},
		{"1.234,5", FieldDecimalComma},
		{"1,234", FieldDecimalComma},
		{"abc", FieldNotANumber},
		{"1 234", FieldNotANumber},
		{"1e3", FieldNotANumber},
		{"--1", FieldNotANumber},
		{"1.2.3", FieldNotANumber},
		{".", FieldNotANumber},
		{"-", FieldNotANumber},
		{"12%", FieldNotANumber},
		{"0x10", FieldNotANumber},
		{"١٢", FieldNotANumber}, // Arabic-Indic digits
		{"-1", FieldBelowMin},
		{strings.Repeat("9", 65), FieldTooLong},
		{"1.5", FieldNotAnInteger},
	}
	for _, tt := range tests {
		_, problems := socioEconomic().ValidateValues(Values{"BUDGET_REVENUE": "1", "NEW_FIRMS": tt.value})
		if assert.Len(t, problems, 1, tt.value) {
			assert.Equal(t, "NEW_FIRMS", problems[0].Indicator)
			assert.Equal(t, tt.code, problems[0].Code, tt.value)
		}
	}
}

func TestValidateValuesBoundsAreInclusive(t *testing.T) {
	tp := socioEconomic()
	for _, v := range []string{"0", "100", "100.000", "50"} {
		_, problems := tp.ValidateValues(Values{"BUDGET_REVENUE": "1", "NEW_FIRMS": "0", "DISBURSEMENT": v})
		assert.Empty(t, problems, v)
	}
	_, problems := tp.ValidateValues(Values{"BUDGET_REVENUE": "1", "NEW_FIRMS": "0", "DISBURSEMENT": "-0.001"})
	assert.Equal(t, []FieldError{{Field: "values.DISBURSEMENT", Indicator: "DISBURSEMENT", Code: FieldBelowMin, Limit: "0"}}, problems)
}

func TestValidateValuesText(t *testing.T) {
	tp := socioEconomic()
	base := Values{"BUDGET_REVENUE": "1", "NEW_FIRMS": "0"}
	with := func(notes string) Values {
		v := Values{"NOTES": notes}
		for k, x := range base {
			v[k] = x
		}
		return v
	}
	got, problems := tp.ValidateValues(with(strings.Repeat("ữ", MaxTextLength)))
	assert.Empty(t, problems, "4000 characters, more bytes, is fine")
	assert.Len(t, []rune(got["NOTES"]), MaxTextLength)

	_, problems = tp.ValidateValues(with("bad \xff byte"))
	assert.Equal(t, []FieldError{{Field: "values.NOTES", Indicator: "NOTES", Code: FieldInvalidText}}, problems)
	_, problems = tp.ValidateValues(with("nul \x00 char"))
	assert.Equal(t, []FieldError{{Field: "values.NOTES", Indicator: "NOTES", Code: FieldInvalidText}}, problems)
	got, problems = tp.ValidateValues(with("1,5 is fine in text"))
	assert.Empty(t, problems)
	assert.Equal(t, "1,5 is fine in text", got["NOTES"])
}

func TestFieldErrorMessagesInBothLanguages(t *testing.T) {
	tests := []struct {
		err    FieldError
		vi, en string
	}{
		{FieldError{Indicator: "NEW_FIRMS", Code: FieldRequired},
			"Chỉ tiêu NEW_FIRMS: bắt buộc, chưa nhập giá trị.",
			"Indicator NEW_FIRMS: required, but no value was given."},
		{FieldError{Indicator: "NEW_FIRMS", Code: FieldNotANumber},
			"Chỉ tiêu NEW_FIRMS: giá trị không phải là số; nhập số như 1234.5.",
			"Indicator NEW_FIRMS: the value is not a number; write a number such as 1234.5."},
		{FieldError{Indicator: "BUDGET_REVENUE", Code: FieldDecimalComma},
			"Chỉ tiêu BUDGET_REVENUE: dùng dấu chấm (.) làm dấu thập phân và không dùng dấu phân cách hàng nghìn, ví dụ 1234.5.",
			"Indicator BUDGET_REVENUE: use '.' as the decimal point and no thousands separators, for example 1234.5."},
		{FieldError{Indicator: "NEW_FIRMS", Code: FieldNotAnInteger},
			"Chỉ tiêu NEW_FIRMS: phải là số nguyên.",
			"Indicator NEW_FIRMS: must be a whole number."},
		{FieldError{Indicator: "GRDP_GROWTH", Code: FieldBelowMin, Limit: "-100"},
			"Chỉ tiêu GRDP_GROWTH: giá trị nhỏ hơn mức tối thiểu -100.",
			"Indicator GRDP_GROWTH: the value is below the minimum of -100."},
		{FieldError{Indicator: "DISBURSEMENT", Code: FieldAboveMax, Limit: "100"},
			"Chỉ tiêu DISBURSEMENT: giá trị lớn hơn mức tối đa 100.",
			"Indicator DISBURSEMENT: the value is above the maximum of 100."},
		{FieldError{Indicator: "ZZZ", Code: FieldUnknownIndicator},
			"Chỉ tiêu ZZZ không có trong biểu mẫu.",
			"Indicator ZZZ is not in the template."},
		{FieldError{Indicator: "NOTES", Code: FieldTooLong, Limit: "4000"},
			"Chỉ tiêu NOTES: dài quá 4000 ký tự.",
			"Indicator NOTES: longer than 4000 characters."},
		{FieldError{Indicator: "NOTES", Code: FieldInvalidText},
			"Chỉ tiêu NOTES: văn bản chứa ký tự không hợp lệ.",
			"Indicator NOTES: the text holds characters that are not valid text."},
		{FieldError{Indicator: "X", Code: "weird"},
			"Chỉ tiêu X: giá trị không hợp lệ (weird).",
			"Indicator X: invalid value (weird)."},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.vi, tt.err.Message("vi"), tt.err.Code)
		assert.Equal(t, tt.en, tt.err.Message("en"), tt.err.Code)
		assert.Equal(t, tt.en, tt.err.Error(), tt.err.Code)
	}
}
