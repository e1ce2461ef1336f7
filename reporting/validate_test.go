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
