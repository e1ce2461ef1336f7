package reporting

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFieldErrorsCollectEveryRefusedField(t *testing.T) {
	var fe FieldErrors
	assert.NoError(t, fe.Err(), "nothing refused")
	fe.Add("due", "required")
	err := fe.Err()
	assert.EqualError(t, err, "invalid input: due: required")
	fe.Add("[2].parent", "agency %s does not exist", "ZZ")
	fe = append(fe, Under("values.", []FieldError{{Field: "GRDP", Reason: "x"}})...)
	err = fe.Err()
	assert.EqualError(t, err, "invalid input (3 problems): due: required; [2].parent: agency ZZ does not exist; values.GRDP: x")
	var in *InputError
	require.True(t, errors.As(err, &in))
	assert.Len(t, in.Fields, 3)
}

func TestAValueProblemSpeaksTheReadersLanguage(t *testing.T) {
	_, problems := socioEconomic().ValidateValues(Values{"BUDGET_REVENUE": "1,5", "NEW_FIRMS": "1"})
	require.Len(t, problems, 1)
	p := problems[0]
	assert.Equal(t, "values.BUDGET_REVENUE", p.Field)
	assert.Contains(t, p.Message("vi"), "dùng dấu chấm")
	assert.Contains(t, p.Message("en"), "use '.' as the decimal point")
	assert.Equal(t, "values.BUDGET_REVENUE: "+p.Message("en"), p.Error())
	plain := FieldError{Field: "reason", Reason: "required"}
	assert.Equal(t, "required", plain.Message("vi"), "other reasons are written once")
}

func TestTemplateProblemsNameTheIndicatorByIndex(t *testing.T) {
	tp := socioEconomic()
	tp.NameVI = ""
	tp.Indicators[2].Min = "low"
	tp.Indicators[4].Aggregation = AggregationSum
	problems := tp.Problems()
	var fields []string
	for _, p := range problems {
		fields = append(fields, p.Field)
	}
	assert.Equal(t, []string{"template", "indicators[2]", "indicators[4]"}, fields)
	assert.Equal(t, `template "BC_KTXH-01": indicator "GRDP_GROWTH" (position 3): min "low" is not a number`, problems[1].Reason)
	assert.Empty(t, socioEconomic().Problems())
}

func TestInputErrorSaysHowManyProblems(t *testing.T) {
	one := &InputError{Fields: []FieldError{{Field: "due", Reason: "required"}}}
	assert.Equal(t, "invalid input: due: required", one.Error())
	many := &InputError{Fields: []FieldError{valueError("GRDP", FieldRequired, ""), valueError("EMP", FieldRequired, "")}}
	assert.Contains(t, many.Error(), "2 problems")
	assert.Contains(t, many.Error(), "GRDP")
}

func TestALocalizedReasonFollowsTheReader(t *testing.T) {
	e := Localized("reason", "Nhập lý do.", "say why")
	require.Equal(t, "Nhập lý do.", e.Message("vi"))
	require.Equal(t, "say why", e.Message("en"))
	require.Equal(t, "reason: say why", e.Error(), "errors travel in English")
	var fe FieldErrors
	fe.AddIn("due", "Chọn ngày.", "choose a day")
	require.Equal(t, "Chọn ngày.", fe[0].Message("vi"))
	require.Equal(t, "say why", FieldError{Field: "reason", Reason: "say why"}.Message("vi"), "a reason written once is said as it is")
}
