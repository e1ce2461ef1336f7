package messages

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/reporting"
)

func TestLabelsInVietnameseAndEnglish(t *testing.T) {
	tests := []struct{ period, vi, en string }{
		{"2026-10", "tháng 10/2026", "October 2026"},
		{"2026-01", "tháng 01/2026", "January 2026"},
		{"2026-02", "tháng 02/2026", "February 2026"},
		{"2026-03", "tháng 3/2026", "March 2026"},
		{"2026-Q1", "quý I/2026", "Q1 2026"},
		{"2026-Q2", "quý II/2026", "Q2 2026"},
		{"2026-Q3", "quý III/2026", "Q3 2026"},
		{"2026-Q4", "quý IV/2026", "Q4 2026"},
		{"2026-H1", "6 tháng đầu năm 2026", "H1 2026"},
		{"2026-H2", "6 tháng cuối năm 2026", "H2 2026"},
		{"2026-9M", "9 tháng năm 2026", "9 months 2026"},
		{"2026", "năm 2026", "year 2026"},
		{"2026-11-01..2026-11-20", "từ 01/11/2026 đến 20/11/2026", "01/11/2026 to 20/11/2026"},
	}
	for _, tt := range tests {
		p := reporting.MustParsePeriod(tt.period)
		assert.Equal(t, tt.vi, PeriodLabel(Vietnamese, p), tt.period)
		assert.Equal(t, tt.en, PeriodLabel(English, p), tt.period)
		assert.Equal(t, tt.en, PeriodLabel(Of("en-GB"), p), tt.period)
		assert.Equal(t, tt.vi, PeriodLabel("", p), "Vietnamese is the default for %s", tt.period)
	}
}

func TestFieldErrorMessagesInBothLanguages(t *testing.T) {
	tests := []struct {
		err    reporting.FieldError
		vi, en string
	}{
		{reporting.FieldError{Indicator: "NEW_FIRMS", Code: reporting.FieldRequired},
			"Chỉ tiêu NEW_FIRMS: bắt buộc, chưa nhập giá trị.",
			"Indicator NEW_FIRMS: required, but no value was given."},
		{reporting.FieldError{Indicator: "NEW_FIRMS", Code: reporting.FieldNotANumber},
			"Chỉ tiêu NEW_FIRMS: giá trị không phải là số; nhập số như 1234.5.",
			"Indicator NEW_FIRMS: the value is not a number; write a number such as 1234.5."},
		{reporting.FieldError{Indicator: "BUDGET_REVENUE", Code: reporting.FieldDecimalComma},
			"Chỉ tiêu BUDGET_REVENUE: dùng dấu chấm (.) làm dấu thập phân và không dùng dấu phân cách hàng nghìn, ví dụ 1234.5.",
			"Indicator BUDGET_REVENUE: use '.' as the decimal point and no thousands separators, for example 1234.5."},
		{reporting.FieldError{Indicator: "NEW_FIRMS", Code: reporting.FieldNotAnInteger},
			"Chỉ tiêu NEW_FIRMS: phải là số nguyên.",
			"Indicator NEW_FIRMS: must be a whole number."},
		{reporting.FieldError{Indicator: "GRDP_GROWTH", Code: reporting.FieldBelowMin, Limit: "-100"},
			"Chỉ tiêu GRDP_GROWTH: giá trị nhỏ hơn mức tối thiểu -100.",
			"Indicator GRDP_GROWTH: the value is below the minimum of -100."},
		{reporting.FieldError{Indicator: "DISBURSEMENT", Code: reporting.FieldAboveMax, Limit: "100"},
			"Chỉ tiêu DISBURSEMENT: giá trị lớn hơn mức tối đa 100.",
			"Indicator DISBURSEMENT: the value is above the maximum of 100."},
		{reporting.FieldError{Indicator: "ZZZ", Code: reporting.FieldUnknownIndicator},
			"Chỉ tiêu ZZZ không có trong biểu mẫu.",
			"Indicator ZZZ is not in the template."},
		{reporting.FieldError{Indicator: "NOTES", Code: reporting.FieldTooLong, Limit: "4000"},
			"Chỉ tiêu NOTES: dài quá 4000 ký tự.",
			"Indicator NOTES: longer than 4000 characters."},
		{reporting.FieldError{Indicator: "NOTES", Code: reporting.FieldInvalidText},
			"Chỉ tiêu NOTES: văn bản chứa ký tự không hợp lệ.",
			"Indicator NOTES: the text holds characters that are not valid text."},
		{reporting.FieldError{Indicator: "X", Code: "weird"},
			"Chỉ tiêu X: giá trị không hợp lệ (weird).",
			"Indicator X: invalid value (weird)."},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.vi, FieldReason(Vietnamese, tt.err), tt.err.Code)
		assert.Equal(t, tt.en, FieldReason(English, tt.err), tt.err.Code)
	}
}
func TestParseNumberUnstatedNamesBothReadings(t *testing.T) {
	_, err := reporting.ParseNumber("12.000", reporting.NotationUnstated)
	var ne *reporting.NumberError
	require.True(t, errors.As(err, &ne))
	assert.Equal(t, []string{"12", "12000"}, ne.Readings)
	assert.Equal(t, "“12.000” could be read as 12 or as 12000, and nothing says which; write 12 or 12000, without thousands separators.", NumberReason(English, ne))
	assert.Contains(t, NumberReason(Vietnamese, ne), "có thể hiểu là 12 hoặc 12000")
}

func TestNumberErrorMessages(t *testing.T) {
	parse := func(text string, n reporting.Notation) *reporting.NumberError {
		t.Helper()
		_, err := reporting.ParseNumber(text, n)
		var ne *reporting.NumberError
		require.True(t, errors.As(err, &ne), "%q", text)
		return ne
	}
	tests := []struct {
		err      *reporting.NumberError
		lang     Lang
		contains string
	}{
		{parse("12.5", reporting.NotationVI), "vi", "“12.5” không đọc được chắc chắn theo cách viết số tiếng Việt: dấu phẩy (,) là dấu thập phân (12,5)"},
		{parse("12.5", reporting.NotationVI), "en", "“12.5” cannot be read for sure in Vietnamese notation: ',' is the decimal mark (12,5)"},
		{parse("8,2", reporting.NotationEN), "en", "“8,2” cannot be read for sure in English notation: '.' is the decimal point (12.5)"},
		{parse("8,2", reporting.NotationEN), "vi", "dấu chấm (.) là dấu thập phân (12.5)"},
		{parse("8,2", reporting.NotationCanonical), "en", "use '.' as the decimal point and no thousands separators, for example 1234.5."},
		{parse("8,2", reporting.NotationCanonical), "vi", "dùng dấu chấm (.) làm dấu thập phân và không dùng dấu phân cách hàng nghìn, ví dụ 1234.5."},
		{parse("abc", reporting.NotationVI), "vi", "“abc” không phải là số; nhập số như 1.234,5."},
		{parse("abc", reporting.NotationEN), "en", "“abc” is not a number; write a number such as 1,234.5."},
		{parse("abc", reporting.NotationCanonical), "en", "write a number such as 1234.5."},
		{parse(strings.Repeat("9", 70), reporting.NotationVI), "en", "longer than 64 characters"},
	}
	for _, tt := range tests {
		assert.Contains(t, NumberReason(tt.lang, tt.err), tt.contains)
	}
	named := parse("12.5", reporting.NotationVI)
	named.Indicator = "GRDP"
	assert.True(t, strings.HasPrefix(NumberReason(Vietnamese, named), "Chỉ tiêu GRDP: “12.5” không đọc được"), NumberReason(Vietnamese, named))
	assert.True(t, strings.HasPrefix(NumberReason(English, named), "Indicator GRDP: “12.5” cannot be read"), NumberReason(English, named))
}

func TestAValueProblemSpeaksTheReadersLanguage(t *testing.T) {
	_, problems := reporting.Template{Code: "T", Indicators: []reporting.Indicator{{Code: "BUDGET_REVENUE", Type: reporting.TypeDecimal}, {Code: "NEW_FIRMS", Type: reporting.TypeInteger}}}.ValidateValues(reporting.Values{"BUDGET_REVENUE": "1,5", "NEW_FIRMS": "1"})
	require.Len(t, problems, 1)
	p := problems[0]
	assert.Equal(t, "values.BUDGET_REVENUE", p.Field)
	assert.Contains(t, FieldReason(Vietnamese, p), "dùng dấu chấm")
	assert.Contains(t, FieldReason(English, p), "use '.' as the decimal point")
	plain := reporting.FieldError{Field: "reason", Reason: "required"}
	assert.Equal(t, "required", FieldReason(Vietnamese, plain), "other reasons are written once")
}

// TestAKeyedReasonFollowsTheReader: a reason with a catalogue key is said
// in the reader's language with its arguments; as an error it names the key
// and the arguments; one written once is said as it is.
func TestAKeyedReasonFollowsTheReader(t *testing.T) {
	e := reporting.Keyed("reason", "reason.too_long", 500)
	require.Equal(t, "Lý do quá dài; tối đa 500 ký tự.", FieldReason(Vietnamese, e))
	require.Equal(t, "at most 500 characters", FieldReason(English, e))
	require.Equal(t, "reason: reason.too_long [500]", e.Error(), "errors name the key and its arguments")
	var fe reporting.FieldErrors
	fe.AddKey("due", "reason.due_passed", "01/12/2026")
	require.Equal(t, "Ngày 01/12/2026 đã qua; chọn một ngày trong tương lai.", FieldReason(Vietnamese, fe[0]))
	require.Equal(t, "01/12/2026 has passed", FieldReason(English, fe[0]))
	ne := &reporting.NumberError{Text: "1,5", Notation: reporting.NotationUnstated, Code: reporting.FieldDecimalComma, Indicator: "GRDP"}
	number := reporting.FieldError{Field: "values.GRDP", Indicator: "GRDP", Code: ne.Code, Number: ne}
	require.Equal(t, NumberReason(Vietnamese, ne), FieldReason(Vietnamese, number), "a figure that does not read is said by NumberReason")
	require.Equal(t, "say why", FieldReason(Vietnamese, reporting.FieldError{Field: "reason", Reason: "say why"}), "a reason written once is said as it is")
}
