package reporting

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// country is a small agency tree: the nation, two regions, four provinces,
// one district, and a separate root for a ministry.
var country = []Node{
	{Code: "VN"},
	{Code: "R_NORTH", Parent: "VN"},
	{Code: "R_SOUTH", Parent: "VN"},
	{Code: "HN", Parent: "R_NORTH"},
	{Code: "HN_BA_DINH", Parent: "HN"},
	{Code: "HP", Parent: "R_NORTH"},
	{Code: "HCM", Parent: "R_SOUTH"},
	{Code: "CT", Parent: "R_SOUTH"}, // did not report
	{Code: "MINISTRIES"},
	{Code: "MOF", Parent: "MINISTRIES"},
}

var countryFigures = map[string]Values{
	"HN":         {"BUDGET_REVENUE": "100.5", "NEW_FIRMS": "10", "GRDP_GROWTH": "7.25", "DISBURSEMENT": "60", "NOTES": "ổn định"},
	"HN_BA_DINH": {"BUDGET_REVENUE": "20", "NEW_FIRMS": "3", "GRDP_GROWTH": "6"},
	"HP":         {"BUDGET_REVENUE": "50.25", "NEW_FIRMS": "4", "GRDP_GROWTH": "8.1", "DISBURSEMENT": "70"},
	"HCM":        {"BUDGET_REVENUE": "300", "NEW_FIRMS": "40", "GRDP_GROWTH": "7", "DISBURSEMENT": "45.5"},
	"MOF":        {"BUDGET_REVENUE": "1"},
}

func TestAggregateRollsUpEachIndicatorItsOwnWay(t *testing.T) {
	got, err := Aggregate(country, socioEconomic().Indicators, countryFigures, nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]map[string]AggregateValue{
		"VN": {
			"BUDGET_REVENUE": {"470.75", 4, 4},
			"NEW_FIRMS":      {"57", 4, 4},
			"GRDP_GROWTH":    {"7.0875", 4, 4}, // (7.25+6+8.1+7)/4, not the mean of the regions' means (7.0583)
			"DISBURSEMENT":   {"45.5", 3, 3},
		},
		"R_NORTH": {
			"BUDGET_REVENUE": {"170.75", 3, 3},
			"NEW_FIRMS":      {"17", 3, 3},
			"GRDP_GROWTH":    {"7.1167", 3, 3}, // 21.35/3 = 7.11666...
			"DISBURSEMENT":   {"60", 2, 2},
		},
		"R_SOUTH": {
			"BUDGET_REVENUE": {"300", 1, 1},
			"NEW_FIRMS":      {"40", 1, 1},
			"GRDP_GROWTH":    {"7", 1, 1},
			"DISBURSEMENT":   {"45.5", 1, 1},
		},
		"HN": {
			"BUDGET_REVENUE": {"120.5", 2, 2},
			"NEW_FIRMS":      {"13", 2, 2},
			"GRDP_GROWTH":    {"6.625", 2, 2},
			"DISBURSEMENT":   {"60", 1, 1},
		},
		"HN_BA_DINH": {
			"BUDGET_REVENUE": {"20", 1, 1},
			"NEW_FIRMS":      {"3", 1, 1},
			"GRDP_GROWTH":    {"6", 1, 1},
		},
		"HP": {
			"BUDGET_REVENUE": {"50.25", 1, 1},
			"NEW_FIRMS":      {"4", 1, 1},
			"GRDP_GROWTH":    {"8.1", 1, 1},
			"DISBURSEMENT":   {"70", 1, 1},
		},
		"HCM": {
			"BUDGET_REVENUE": {"300", 1, 1},
			"NEW_FIRMS":      {"40", 1, 1},
			"GRDP_GROWTH":    {"7", 1, 1},
			"DISBURSEMENT":   {"45.5", 1, 1},
		},
		"MINISTRIES": {"BUDGET_REVENUE": {"1", 1, 1}},
		"MOF":        {"BUDGET_REVENUE": {"1", 1, 1}},
	}, got, "CT reported nothing and has no entry; NOTES (text) is skipped")
}

func TestAggregateIsExact(t *testing.T) {
	tree := []Node{{Code: "ROOT"}, {Code: "A", Parent: "ROOT"}, {Code: "B", Parent: "ROOT"}, {Code: "C", Parent: "ROOT"}}
	inds := []Indicator{
		{Code: "SUM", Type: TypeDecimal, Aggregation: AggregationSum},
		{Code: "AVG", Type: TypeDecimal, Aggregation: AggregationAvg},
		{Code: "MAX", Type: TypeDecimal, Aggregation: AggregationMax},
		{Code: "MIN", Type: TypeInteger, Aggregation: AggregationMin},
		{Code: "NONE", Type: TypeDecimal, Aggregation: AggregationNone},
		{Code: "EMPTY", Type: TypeDecimal},
	}
	got, err := Aggregate(tree, inds, map[string]Values{
		"A": {"SUM": "0.1", "AVG": "1", "MAX": "-5", "MIN": "-3", "NONE": "1", "EMPTY": "1"},
		"B": {"SUM": "0.2", "AVG": "0", "MAX": "-4.999", "MIN": "2"},
		"C": {"SUM": "-0.3", "AVG": "1", "MAX": "-10", "MIN": "-3"},
	}, nil)
	require.NoError(t, err)
	assert.Equal(t, map[string]AggregateValue{
		"SUM": {"0", 3, 3},      // 0.1 + 0.2 - 0.3, exactly
		"AVG": {"0.6667", 3, 3}, // 2/3 rounded to 4 places
		"MAX": {"-4.999", 3, 3},
		"MIN": {"-3", 3, 3},
	}, got["ROOT"])
}

func TestAggregateAverageRoundsHalfAwayFromZero(t *testing.T) {
	tree := []Node{{Code: "ROOT"}, {Code: "A", Parent: "ROOT"}, {Code: "B", Parent: "ROOT"}}
	inds := []Indicator{{Code: "AVG", Type: TypeDecimal, Aggregation: AggregationAvg}}
	tests := []struct{ a, b, want string }{
		{"0.00015", "0", "0.0001"}, // 0.000075
		{"-0.00015", "0", "-0.0001"},
		{"0.00001", "0", "0"}, // 0.000005 rounds to zero, written "0"
		{"-0.00001", "0", "0"},
		{"1", "2", "1.5"},
	}
	for _, tt := range tests {
		got, err := Aggregate(tree, inds, map[string]Values{"A": {"AVG": tt.a}, "B": {"AVG": tt.b}}, nil)
		require.NoError(t, err)
		assert.Equal(t, AggregateValue{tt.want, 2, 2}, got["ROOT"]["AVG"], "avg of %s and %s", tt.a, tt.b)
	}
}

func TestAggregateOfNothingIsEmpty(t *testing.T) {
	got, err := Aggregate(country, socioEconomic().Indicators, nil, nil)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestAggregateRefusesBadTreesAndValues(t *testing.T) {
	inds := socioEconomic().Indicators
	tests := []struct {
		name     string
		tree     []Node
		accepted map[string]Values
		inds     []Indicator
		want     string
	}{
		{"cycle", []Node{{Code: "ROOT"}, {Code: "A", Parent: "C"}, {Code: "B", Parent: "A"}, {Code: "C", Parent: "B"}}, nil, inds,
			"agency tree: the parents go round in a cycle (A → C → B → A); fix the parent of one of them"},
		{"own parent", []Node{{Code: "A", Parent: "A"}}, nil, inds,
			"agency tree: the parents go round in a cycle (A → A); fix the parent of one of them"},
		{"unknown parent", []Node{{Code: "A"}, {Code: "B", Parent: "X"}}, nil, inds,
			`agency tree: agency "B" has parent "X", which is not in the tree`},
		{"duplicate", []Node{{Code: "A"}, {Code: "A"}}, nil, inds,
			`agency tree: agency "A" is listed twice`},
		{"no code", []Node{{Code: "A"}, {Parent: "A"}}, nil, inds,
			"agency tree: node 2 has no code"},
		{"agency outside the tree", country, map[string]Values{"DN": {"NEW_FIRMS": "1"}}, inds,
			`aggregate: agency "DN" has accepted values but is not in the agency tree`},
		{"not a number", country, map[string]Values{"HN": {"NEW_FIRMS": "1,5"}}, inds,
			`aggregate: agency "HN", indicator NEW_FIRMS: value "1,5" is not a number`},
		{"unknown aggregation", country, nil, []Indicator{{Code: "X", Type: TypeDecimal, Aggregation: "median"}},
			`aggregate: indicator X: aggregation "median" is unknown; use sum, avg, min, max, weighted_mean:CODE (CODE a numeric indicator of the template) or none`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Aggregate(tt.tree, tt.inds, tt.accepted, nil)
			assert.EqualError(t, err, tt.want)
		})
	}
}

func TestAggregateDoesNotDependOnTreeOrder(t *testing.T) {
	want, err := Aggregate(country, socioEconomic().Indicators, countryFigures, nil)
	require.NoError(t, err)
	reversed := make([]Node, len(country))
	for i, n := range country {
		reversed[len(country)-1-i] = n
	}
	got, err := Aggregate(reversed, socioEconomic().Indicators, countryFigures, nil)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// TestAggregateWeightedMeanAndNoneWithCoverage: growth weighted by GRDP, a
// rate that does not roll up, and coverage (contributors of expected).
func TestAggregateWeightedMeanAndNoneWithCoverage(t *testing.T) {
	inds := []Indicator{
		{Code: "GRDP", Type: TypeDecimal, Aggregation: AggregationSum},
		{Code: "GRDP_GROWTH", Type: TypePercent, Aggregation: WeightedMean("GRDP")},
		{Code: "POVERTY_RATE", Type: TypePercent, Aggregation: AggregationNone},
	}
	accepted := map[string]Values{
		"HN":  {"GRDP": "1000", "GRDP_GROWTH": "8", "POVERTY_RATE": "1.2"},
		"HP":  {"GRDP": "500", "GRDP_GROWTH": "11", "POVERTY_RATE": "2"},
		"HCM": {"GRDP": "1500", "GRDP_GROWTH": "6"},
		// No GRDP: no weight, so no part in the weighted mean.
		"MOF": {"GRDP_GROWTH": "50"},
	}
	expected := []string{"HN", "HN_BA_DINH", "HP", "HCM", "CT", "MOF"}
	got, err := Aggregate(country, inds, accepted, expected)
	require.NoError(t, err)
	// (8×1000 + 11×500 + 6×1500) ÷ 3000 = 22500 ÷ 3000 = 7.5; the plain
	// mean would be 8.3333.
	assert.Equal(t, AggregateValue{"7.5", 3, 5}, got["VN"]["GRDP_GROWTH"])
	assert.Equal(t, AggregateValue{"3000", 3, 5}, got["VN"]["GRDP"])
	// (8×1000 + 11×500) ÷ 1500 = 9.
	assert.Equal(t, AggregateValue{"9", 2, 3}, got["R_NORTH"]["GRDP_GROWTH"], "coverage: 2 of R_NORTH's 3 expected")
	assert.Equal(t, AggregateValue{"6", 1, 2}, got["R_SOUTH"]["GRDP_GROWTH"], "coverage: 1 of 2 (CT sent nothing)")
	assert.NotContains(t, got["MINISTRIES"], "GRDP_GROWTH", "MOF has no weight")
	for node, figures := range got {
		assert.NotContains(t, figures, "POVERTY_RATE", "%s: none does not roll up", node)
	}

	// Weights adding up to zero give no figure rather than a division by zero.
	got, err = Aggregate(country, inds, map[string]Values{"HN": {"GRDP": "0", "GRDP_GROWTH": "8"}}, expected)
	require.NoError(t, err)
	assert.NotContains(t, got["VN"], "GRDP_GROWTH")

	_, err = Aggregate(country, inds, accepted, []string{"NOWHERE"})
	assert.ErrorContains(t, err, `"NOWHERE"`)
}

func TestTemplateRefusesABadWeight(t *testing.T) {
	base := func(agg Aggregation, weight Indicator) Template {
		return Template{Code: "T", NameVI: "Mẫu", Indicators: []Indicator{
			weight,
			{Code: "GROWTH", NameVI: "Tăng trưởng", Type: TypePercent, Aggregation: agg},
		}}
	}
	grdp := Indicator{Code: "GRDP", NameVI: "GRDP", Type: TypeDecimal, Aggregation: AggregationSum}
	assert.Empty(t, base(WeightedMean("GRDP"), grdp).Problems())
	tests := []struct {
		name string
		t    Template
		want string
	}{
		{"weight missing", base(WeightedMean("GDP"), grdp), "the weight indicator GDP is not in the template"},
		{"weight not numeric", base(WeightedMean("NOTE"), Indicator{Code: "NOTE", NameVI: "Ghi chú", Type: TypeText}), "the weight indicator NOTE is text, not a number"},
		{"weighted by itself", base(WeightedMean("GROWTH"), grdp), "cannot be weighted by itself"},
		{"malformed", base("weighted_mean:grdp", grdp), `aggregation "weighted_mean:grdp" is unknown`},
		{"unknown method", base("median", grdp), "weighted_mean:CODE"},
	}
	for _, tt := range tests {
		problems := tt.t.Problems()
		require.Len(t, problems, 1, tt.name)
		assert.Equal(t, "indicators[1]", problems[0].Field, tt.name)
		assert.Contains(t, problems[0].Reason, tt.want, tt.name)
	}
}
