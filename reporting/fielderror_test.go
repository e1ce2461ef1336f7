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

// TestAValueProblemTravelsAsAnErrorByItsCode: people read the reason in
// their language from the catalogue (messages.FieldReason); as an error, a
// value problem names its field, code and limit.
func TestAValueProblemTravelsAsAnErrorByItsCode(t *testing.T) {
	e := FieldError{Field: "values.GRDP", Indicator: "GRDP", Code: FieldBelowMin, Limit: "0"}
	assert.Equal(t, "values.GRDP: below_min (limit 0)", e.Error())
	assert.Equal(t, "values.X: required", FieldError{Field: "values.X", Indicator: "X", Code: FieldRequired}.Error())
	_, err := ParseNumber("12.000", NotationUnstated)
	assert.EqualError(t, err, `number "12.000" in notation unstated: ambiguous_number`)
	ne := &NumberError{Text: "1,5", Notation: NotationVI, Code: FieldTooLong, Limit: "64", Indicator: "GRDP"}
	assert.EqualError(t, ne, `indicator GRDP: number "1,5" in notation vi: too_long (limit 64)`)
}
