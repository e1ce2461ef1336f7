package reporting

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestJumpsFlagFiguresThatMoveMoreThanTheFactor(t *testing.T) {
	tmpl := Template{Code: "T", Indicators: []Indicator{
		{Code: "A", Type: TypeDecimal}, {Code: "B", Type: TypeDecimal}, {Code: "C", Type: TypeInteger},
		{Code: "D", Type: TypeDecimal}, {Code: "E", Type: TypeDecimal}, {Code: "NOTE", Type: TypeText},
	}}
	previous := Values{"A": "12000", "B": "5.5", "C": "100", "D": "0", "E": "-4", "NOTE": "x"}
	current := Values{"A": "12", "B": "60", "C": "1000", "D": "7", "E": "4", "NOTE": "a much longer note"}
	jumps := Jumps(tmpl, current, previous, 10)
	require.Equal(t, []Jump{
		{Indicator: "A", Previous: "12000", Current: "12", Larger: false, Times: 1000},
		{Indicator: "B", Previous: "5.5", Current: "60", Larger: true, Times: 10},
	}, jumps, "C moved exactly ×10 (not more); D and E have no ratio; text is not compared")
	require.Empty(t, Jumps(tmpl, current, previous, 1000), "a regime may set a wider factor")
	require.Len(t, Jumps(tmpl, current, previous, 0), 2, "0 is the default factor")
	require.Empty(t, Jumps(tmpl, current, Values{}, 10), "no previous period, nothing to compare")
}
