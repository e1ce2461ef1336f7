package reporting

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseDecimalCanonicalForm(t *testing.T) {
	tests := []struct{ in, canonical, problem string }{
		{"0", "0", decimalOK},
		{"-0", "0", decimalOK},
		{"+0.000", "0", decimalOK},
		{"00012.3400", "12.34", decimalOK},
		{"-00012.3400", "-12.34", decimalOK},
		{"1e5", "", decimalNotANum},
		{"", "", decimalNotANum},
		{"+", "", decimalNotANum},
		{"1_000", "", decimalNotANum},
		{"1,000", "", decimalComma},
		{"0,5", "", decimalComma},
	}
	for _, tt := range tests {
		canonical, value, problem := parseDecimal(tt.in)
		assert.Equal(t, tt.problem, problem, tt.in)
		assert.Equal(t, tt.canonical, canonical, tt.in)
		if problem == decimalOK {
			want, _ := new(big.Rat).SetString(tt.canonical)
			assert.Equal(t, 0, want.Cmp(value), tt.in)
		}
	}
}

func TestFormatDecimalExactOrRounded(t *testing.T) {
	rat := func(s string) *big.Rat { r, _ := new(big.Rat).SetString(s); return r }
	tests := []struct {
		in     *big.Rat
		places int
		want   string
	}{
		{rat("470.75"), -1, "470.75"},
		{rat("1/8"), -1, "0.125"},
		{rat("1/1024"), -1, "0.0009765625"},
		{rat("-3"), -1, "-3"},
		{rat("0"), -1, "0"},
		{rat("2/3"), 4, "0.6667"},
		{rat("-2/3"), 4, "-0.6667"},
		{rat("1/2"), 4, "0.5"},
		{rat("5/100000"), 4, "0.0001"}, // 0.00005: half away from zero
		{rat("-5/100000"), 4, "-0.0001"},
		{rat("4/100000"), 4, "0"},
		{rat("-4/100000"), 4, "0"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, formatDecimal(tt.in, tt.places), "%s to %d places", tt.in, tt.places)
	}
}

func TestExactPlacesFindsTerminatingExpansions(t *testing.T) {
	tests := []struct {
		in     string
		places int
		exact  bool
	}{
		{"1/2", 1, true},
		{"1/40", 3, true},
		{"3", 0, true},
		{"1/3", 0, false},
		{"1/6", 1, false},
	}
	for _, tt := range tests {
		r, _ := new(big.Rat).SetString(tt.in)
		places, exact := exactPlaces(r)
		assert.Equal(t, tt.exact, exact, tt.in)
		if exact {
			assert.Equal(t, tt.places, places, tt.in)
		}
	}
}
